/*
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
 * see COPYING.LIB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Fault injection for application developers (include/private/vidmm_faults.h):
 * the setting's parser (good and bad rows), the PRNG, and each fault kind
 * through a manager on native memory, with a clock the test moves.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private/vidmm.h"
#include "private/vidmm_faults.h"
#include "private/vidmm_alloc.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "native_memory.h"
#include "core_calls.h"

#define KB 1024ull
#define MB (1024ull * 1024ull)
#define LOCAL_SIZE (1 * MB)
#define NONLOCAL_SIZE (16 * MB)
#define TEST_LUID 0x0000000100000abcull
#define LOCAL D3DKMT_WINE_SEGMENT_GROUP_LOCAL
#define NONLOCAL D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL
#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE

/* ---- what the manager logs, and its clock ---- */

static char log_text[16384];
static unsigned int log_errors, log_warnings;
static uint64_t clock_ms = 1000;

static void test_log(void *ctx, int error, const char *message)
{
    size_t len = strlen(log_text);

    if (error) log_errors++;
    else log_warnings++;
    snprintf(log_text + len, sizeof(log_text) - len, "%s: %s\n", error ? "err" : "warn", message);
}

static uint64_t test_now(void *ctx)
{
    return clock_ms;
}

static const struct vidmm_faults_ops test_ops = { NULL, test_log, test_now };

static void log_reset(void)
{
    log_text[0] = 0;
    log_errors = log_warnings = 0;
}

static unsigned int count_in_log(const char *what)
{
    unsigned int n = 0;
    const char *p = log_text;

    while ((p = strstr(p, what))) { n++; p += strlen(what); }
    return n;
}

/* ---- the parser ---- */

static unsigned int reports;
static void count_report(void *ctx, const char *message)
{
    reports++;
    assert_non_null(strstr(message, "ignoring fault setting"));
}

static void test_parse_defaults(void **state)
{
    struct vidmm_faults_config cfg;

    reports = 0;
    assert_int_equal(vidmm_faults_parse(NULL, &cfg, count_report, NULL), 0);
    assert_int_equal(cfg.set, 0);
    assert_int_equal(cfg.seed, 1);
    assert_int_equal(vidmm_faults_parse("", &cfg, count_report, NULL), 0);
    assert_int_equal(cfg.set, 0);
    assert_int_equal(reports, 0);
}

static void test_parse_good(void **state)
{
    struct vidmm_faults_config cfg;

    reports = 0;
    assert_int_equal(vidmm_faults_parse("seed=42,removed-after-calls=500,removed-after-ms=3000,"
                                        "create-no-video-memory=0.1,create-no-memory=0.05,"
                                        "create-fail-after-bytes=64M,lock-busy=0.25,budget=128M,"
                                        "budget-after-ms=2000", &cfg, count_report, NULL), 0);
    assert_int_equal(reports, 0);
    assert_int_equal(cfg.set, 0x1ff);
    assert_int_equal(cfg.seed, 42);
    assert_int_equal(cfg.removed_after_calls, 500);
    assert_int_equal(cfg.removed_after_ms, 3000);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_CREATE_NO_VIDEO_MEMORY], 100000000);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_CREATE_NO_MEMORY], 50000000);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_LOCK_BUSY], 250000000);
    assert_true(cfg.create_after_bytes == 64 * MB);
    assert_true(cfg.budget == 128 * MB);
    assert_int_equal(cfg.budget_after_ms, 2000);

    /* Blanks around items, suffixes, the extreme probabilities, one trailing comma. */
    assert_int_equal(vidmm_faults_parse(" lock-busy=1 ,\tcreate-no-memory=0.000000001, budget=4096,"
                                        "create-fail-after-bytes=3k,seed=18446744073709551615,",
                                        &cfg, count_report, NULL), 0);
    assert_int_equal(reports, 0);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_LOCK_BUSY], VIDMM_FAULTS_PPB_ONE);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_CREATE_NO_MEMORY], 1);
    assert_true(cfg.budget == 4096);
    assert_true(cfg.create_after_bytes == 3 * KB);
    assert_true(cfg.seed == UINT64_MAX);
    assert_int_equal(vidmm_faults_parse("lock-busy=1.000000000,create-no-memory=0,budget=1T,budget=5000",
                                        &cfg, count_report, NULL), 1);   /* budget twice */
    assert_int_equal(cfg.ppb[VIDMM_FAULT_LOCK_BUSY], VIDMM_FAULTS_PPB_ONE);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_CREATE_NO_MEMORY], 0);
    assert_true(cfg.budget == 1024 * 1024 * MB);   /* the first one */
    /* A budget is rounded down to pages. */
    assert_int_equal(vidmm_faults_parse("budget=5000", &cfg, NULL, NULL), 0);
    assert_true(cfg.budget == 4096);
}

/* Every bad row: how many bad items, and which good ones still apply. */
static void test_parse_bad(void **state)
{
    static const struct
    {
        const char *text;
        unsigned int bad;
        uint32_t set;
    } rows[] =
    {
        { "nonsense", 1, 0 },
        { "seed", 1, 0 },
        { "=1", 1, 0 },
        { ",", 1, 0 },
        { ",,lock-busy=1", 2, VIDMM_FAULTS_LOCK_BUSY },
        { "lock-busy=1,,seed=3", 1, VIDMM_FAULTS_LOCK_BUSY | VIDMM_FAULTS_SEED },
        { "Seed=1", 1, 0 },                          /* keys are lowercase */
        { "seed =1", 1, 0 },                         /* no blank inside an item */
        { "seed=", 1, 0 },
        { "seed=-1", 1, 0 },
        { "seed=+1", 1, 0 },
        { "seed=0x10", 1, 0 },
        { "seed=18446744073709551616", 1, 0 },       /* 2^64 */
        { "seed=1 2", 1, 0 },
        { "removed-after-calls=1.5", 1, 0 },
        { "removed-after-ms=1s", 1, 0 },
        { "lock-busy=1.5", 1, 0 },
        { "lock-busy=2", 1, 0 },
        { "lock-busy=-0.5", 1, 0 },
        { "lock-busy=.5", 1, 0 },
        { "lock-busy=0.", 1, 0 },
        { "lock-busy=0.1234567891", 1, 0 },          /* 10 decimals */
        { "lock-busy=1.01", 1, 0 },
        { "lock-busy=50%", 1, 0 },
        { "lock-busy=0,5", 1, VIDMM_FAULTS_LOCK_BUSY }, /* "5" is an item of its own */
        { "create-fail-after-bytes=M", 1, 0 },
        { "create-fail-after-bytes=1MB", 1, 0 },
        { "create-fail-after-bytes=17179869184G", 1, 0 }, /* 2^64 bytes */
        { "create-fail-after-bytes=16777216T", 1, 0 },
        { "budget=0", 1, 0 },
        { "budget=4095", 1, 0 },
        { "budget-after-ms=10", 1, 0 },              /* without budget= */
        { "budget-after-ms=10,budget=x", 2, 0 },
        { "lock-busy=0.5,lock-busy=0.25", 1, VIDMM_FAULTS_LOCK_BUSY },
        { "seed=7,bogus=1,create-no-memory=1", 1, VIDMM_FAULTS_SEED | VIDMM_FAULTS_CREATE_NO_MEMORY },
        { "seed=1\x01", 1, 0 },
        { "\xff\xfe=\x80", 1, 0 },
    };
    struct vidmm_faults_config cfg;
    unsigned int i;

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    {
        unsigned int bad;

        reports = 0;
        bad = vidmm_faults_parse(rows[i].text, &cfg, count_report, NULL);
        if (bad != rows[i].bad || reports != rows[i].bad || cfg.set != rows[i].set)
            fail_msg("row %u \"%s\": %u bad, %u reports, set %#x", i, rows[i].text, bad, reports, cfg.set);
    }
    /* The first of two lock-busy applies. */
    vidmm_faults_parse("lock-busy=0.5,lock-busy=0.25", &cfg, NULL, NULL);
    assert_int_equal(cfg.ppb[VIDMM_FAULT_LOCK_BUSY], 500000000);
}

/* A long text of garbage, every byte value: no crash, everything reported. */
static void test_parse_garbage(void **state)
{
    struct vidmm_faults_config cfg;
    char text[1024];
    unsigned int i;

    for (i = 0; i < sizeof(text) - 1; i++) text[i] = (char)(i % 255 + 1);
    text[sizeof(text) - 1] = 0;
    reports = 0;
    assert_true(vidmm_faults_parse(text, &cfg, count_report, NULL) >= 1);
    assert_true(reports >= 1);
}

/* ---- the PRNG ---- */

static void test_prng(void **state)
{
    unsigned int i, hits = 0, same = 0, n = 200000;

    /* A pure function of (seed, kind, index). */
    assert_true(vidmm_faults_draw(1, 0, 0) == vidmm_faults_draw(1, 0, 0));
    assert_true(vidmm_faults_draw(1, 0, 0) != vidmm_faults_draw(2, 0, 0));
    assert_true(vidmm_faults_draw(1, 0, 0) != vidmm_faults_draw(1, 1, 0));
    assert_true(vidmm_faults_draw(1, 0, 0) != vidmm_faults_draw(1, 0, 1));
    for (i = 0; i < n; i++)
    {
        hits += vidmm_faults_decide(1, VIDMM_FAULT_LOCK_BUSY, i, 250000000);
        same += vidmm_faults_decide(1, VIDMM_FAULT_LOCK_BUSY, i, 500000000)
             == vidmm_faults_decide(2, VIDMM_FAULT_LOCK_BUSY, i, 500000000);
        assert_false(vidmm_faults_decide(i, 0, i, 0));
        assert_true(vidmm_faults_decide(i, 0, i, VIDMM_FAULTS_PPB_ONE));
    }
    /* About a quarter (0.25 +- 0.01), and two seeds agree about half the time. */
    assert_in_range(hits, n / 4 - n / 100, n / 4 + n / 100);
    assert_in_range(same, n / 2 - n / 100, n / 2 + n / 100);
}

/* ---- a manager with a setting ---- */

struct fx
{
    struct native_memory *nm;
    struct vidmm *mm;
    uint32_t adapter, device;
};

static void fx_open(struct fx *f, const char *faults)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;

    log_reset();
    clock_ms = 1000;
    assert_non_null(f->nm = native_memory_create());
    native_memory_ops(f->nm, &ops);
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &f->mm), 0);
    assert_int_equal(vidmm_set_faults(f->mm, faults, &test_ops), 0);
    open.luid = TEST_LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = NONLOCAL_SIZE;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(f->mm, &open), 0);
    f->adapter = open.handle;
    dev.adapter = f->adapter;
    assert_int_equal(vidmm_create_device(f->mm, &dev), 0);
    f->device = dev.handle;
}

static void fx_close(struct fx *f)
{
    struct native_memory_counters c;

    vidmm_destroy(f->mm);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 0);
    assert_int_equal(c.errors, 0);
    native_memory_destroy(f->nm);
}

static void stats(struct fx *f, struct vidmm_stats *s)
{
    vidmm_get_stats(f->mm, s);
}

static uint64_t budget(struct fx *f)
{
    struct vidmm_query_video_memory_args q = {0};

    q.adapter = f->adapter;
    q.group = VIDMM_SEGMENT_GROUP_LOCAL;
    assert_int_equal(vidmm_query_video_memory(f->mm, &q), 0);
    return q.budget;
}

static void test_off(void **state)
{
    struct fx f;
    uint32_t h;
    unsigned int i;

    /* A setting without any fault item, or only bad ones: nothing happens. */
    fx_open(&f, "seed=5,bogus=1");
    assert_int_equal(log_errors, 1);
    assert_int_equal(log_warnings, 0);
    for (i = 0; i < 100; i++)
    {
        assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h), 0);
        assert_int_equal(core_destroy(f.mm, f.device, h), 0);
    }
    assert_true(budget(&f) == LOCAL_SIZE);
    fx_close(&f);
}

static void test_create_probability(void **state)
{
    struct vidmm_stats before, after;
    struct fx f;
    uint32_t h = 0;

    fx_open(&f, "create-no-memory=1");
    assert_int_equal(count_in_log("fault injection on"), 1);
    stats(&f, &before);
    assert_int_equal(core_create(f.mm, f.device, 64 * KB, LOCAL, CV, &h), STATUS_NO_MEMORY);
    assert_int_equal(core_create(f.mm, f.device, 64 * KB, NONLOCAL, CV, &h), STATUS_NO_MEMORY);
    stats(&f, &after);
    assert_int_equal(after.allocations, before.allocations);
    assert_true(after.local_usage == before.local_usage && after.nonlocal_usage == before.nonlocal_usage);
    assert_int_equal(count_in_log("injected STATUS_NO_MEMORY (create-no-memory) at CreateAllocation #0"), 1);
    assert_int_equal(count_in_log("injected"), 2);
    /* Bad input keeps its own status and is not counted. */
    assert_int_equal(core_create(f.mm, f.device, 0, LOCAL, CV, &h), STATUS_INVALID_PARAMETER);
    assert_int_equal(core_create(f.mm, 0x7777, 4096, LOCAL, CV, &h), STATUS_INVALID_PARAMETER);
    assert_int_equal(count_in_log("injected"), 2);
    fx_close(&f);

    fx_open(&f, "create-no-video-memory=1,create-no-memory=1");
    assert_int_equal(core_create(f.mm, f.device, 64 * KB, NONLOCAL, CV, &h), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    stats(&f, &after);
    assert_int_equal(after.allocations, 0);
    assert_int_equal(after.resources, 0);
    fx_close(&f);
}

/* The indices of failing calls out of n, for a seed. */
static void failing_calls(const char *setting, unsigned int n, char *out, size_t size)
{
    struct fx f;
    unsigned int i;
    uint32_t h;
    size_t len = 0;

    fx_open(&f, setting);
    out[0] = 0;
    for (i = 0; i < n; i++)
    {
        NTSTATUS status = core_create(f.mm, f.device, 4096, NONLOCAL, CV, &h);

        if (status)
        {
            assert_int_equal(status, STATUS_GRAPHICS_NO_VIDEO_MEMORY);
            len += snprintf(out + len, size - len, "%u ", i);
        }
        else assert_int_equal(core_destroy(f.mm, f.device, h), 0);
    }
    fx_close(&f);
}

static void test_create_seeds(void **state)
{
    char a[1024], b[1024], c[1024];

    failing_calls("seed=42,create-no-video-memory=0.3", 100, a, sizeof(a));
    failing_calls("seed=42,create-no-video-memory=0.3", 100, b, sizeof(b));
    failing_calls("seed=43,create-no-video-memory=0.3", 100, c, sizeof(c));
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_true(strlen(a) > 0);
}

static void test_create_after_bytes(void **state)
{
    struct vidmm_stats s;
    uint32_t h[20];
    struct fx f;
    unsigned int i;

    fx_open(&f, "create-fail-after-bytes=64K");
    for (i = 0; i < 8; i++) assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[i]), 0);
    for (; i < 15; i++) assert_int_equal(core_create(f.mm, f.device, 4096, NONLOCAL, CV, &h[i]), 0);
    /* 60 KiB so far: 8 KiB more is too much (local: no video memory, non-local: no memory). */
    assert_int_equal(core_create(f.mm, f.device, 8192, LOCAL, CV, &h[15]), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(core_create(f.mm, f.device, 8192, NONLOCAL, CV, &h[15]), STATUS_NO_MEMORY);
    stats(&f, &s);
    assert_int_equal(s.allocations, 15);
    /* Destroying does not give bytes back: the count is of bytes created. */
    assert_int_equal(core_destroy(f.mm, f.device, h[0]), 0);
    assert_int_equal(core_create(f.mm, f.device, 8192, LOCAL, CV, &h[15]), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    /* The last 4 KiB still fit, then nothing. */
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[15]), 0);
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[16]), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(count_in_log("(create-fail-after-bytes:"), 4);
    fx_close(&f);

    /* No handle value is taken by an injected failure: the handles come as without it. */
    fx_open(&f, "seed=1");
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[0]), 0);
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[1]), 0);
    fx_close(&f);
    fx_open(&f, "create-fail-after-bytes=8K");
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[2]), 0);
    assert_int_equal(core_create(f.mm, f.device, 8192, LOCAL, CV, &h[3]), STATUS_GRAPHICS_NO_VIDEO_MEMORY);
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h[3]), 0);
    assert_int_equal(h[2], h[0]);
    assert_int_equal(h[3], h[1]);
    fx_close(&f);

    /* A creation that fails for its own reason gives its bytes back. */
    fx_open(&f, "create-fail-after-bytes=8K");
    vidmm_alloc_fail_after(0, 0);   /* the next heap allocation of the core fails */
    assert_int_equal(core_create(f.mm, f.device, 8192, LOCAL, CV, &h[0]), STATUS_NO_MEMORY);
    vidmm_alloc_fail_after(-1, 0);
    assert_int_equal(core_create(f.mm, f.device, 8192, LOCAL, CV, &h[0]), 0);
    fx_close(&f);
}

static void test_lock_busy(void **state)
{
    uint8_t *p = NULL;
    struct fx f;
    uint32_t h;

    fx_open(&f, "lock-busy=1");
    assert_int_equal(core_create(f.mm, f.device, 4096, NONLOCAL, CV, &h), 0);
    assert_int_equal(core_lock(f.mm, f.device, h, VIDMM_LOCK_DONOT_WAIT, &p), STATUS_GRAPHICS_ALLOCATION_BUSY);
    /* Nothing locked: the next unlock has nothing to unlock (first a real lock). */
    assert_int_equal(core_lock(f.mm, f.device, h, 0, &p), 0);
    assert_non_null(p);
    p[0] = 0x5a;
    assert_int_equal(core_unlock(f.mm, f.device, h), 0);
    assert_int_equal(core_lock(f.mm, f.device, h, VIDMM_LOCK_DONOT_WAIT, &p), STATUS_GRAPHICS_ALLOCATION_BUSY);
    /* Bad input keeps its status. */
    assert_int_equal(core_lock(f.mm, f.device, 0x4444, VIDMM_LOCK_DONOT_WAIT, &p), STATUS_INVALID_PARAMETER);
    assert_int_equal(count_in_log("injected STATUS_GRAPHICS_ALLOCATION_BUSY (lock-busy) at Lock #"), 2);
    fx_close(&f);
}

static NTSTATUS device_state(struct fx *f, uint32_t device, uint32_t *state)
{
    return vidmm_get_execution_state(f->mm, device, state);
}

static void test_removed_after_calls(void **state)
{
    struct vidmm_create_device_args dev = {0};
    struct vidmm_destroy_device_args destroy = {0};
    uint32_t h, h2, st;
    uint8_t *p;
    struct fx f;

    fx_open(&f, "removed-after-calls=3");
    assert_int_equal(core_create(f.mm, f.device, 4096, NONLOCAL, CV, &h), 0);    /* call 1 */
    assert_int_equal(device_state(&f, f.device, &st), 0);                        /* call 2 */
    assert_int_equal(st, VIDMM_EXECUTION_ACTIVE);
    assert_int_equal(core_lock(f.mm, f.device, h, 0, &p), 0);                    /* call 3 */
    assert_int_equal(core_unlock(f.mm, f.device, h), 0);                         /* not counted */
    assert_int_equal(count_in_log("injected"), 0);
    assert_int_equal(core_create(f.mm, f.device, 4096, NONLOCAL, CV, &h2), STATUS_DEVICE_REMOVED);
    assert_int_equal(count_in_log("injected device removal at device call 4"), 1);
    assert_int_equal(core_lock(f.mm, f.device, h, 0, &p), STATUS_DEVICE_REMOVED);
    assert_int_equal(device_state(&f, f.device, &st), 0);
    assert_int_equal(st, VIDMM_EXECUTION_RESET);
    /* What a program does next: destroy the old objects, make a new device. */
    assert_int_equal(core_destroy(f.mm, f.device, h), 0);
    dev.adapter = f.adapter;
    assert_int_equal(vidmm_create_device(f.mm, &dev), 0);
    assert_int_equal(core_create(f.mm, dev.handle, 4096, NONLOCAL, CV, &h2), 0);
    assert_int_equal(device_state(&f, dev.handle, &st), 0);
    assert_int_equal(st, VIDMM_EXECUTION_ACTIVE);
    destroy.handle = f.device;
    assert_int_equal(vidmm_destroy_device(f.mm, &destroy), 0);
    assert_int_equal(count_in_log("injected device removal"), 1);   /* once */
    fx_close(&f);
}

static void test_removed_after_ms(void **state)
{
    uint32_t h, st;
    struct fx f;

    fx_open(&f, "removed-after-ms=500");
    clock_ms += 499;
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h), 0);
    clock_ms += 1;
    assert_int_equal(core_create(f.mm, f.device, 4096, LOCAL, CV, &h), STATUS_DEVICE_REMOVED);
    assert_int_equal(device_state(&f, f.device, &st), 0);
    assert_int_equal(st, VIDMM_EXECUTION_RESET);
    assert_int_equal(count_in_log("500 ms after the first device"), 1);
    fx_close(&f);
}

static void test_budget(void **state)
{
    D3DKMT_WINE_ESCAPE esc;
    uint32_t h[4];
    unsigned int i;
    struct fx f;

    fx_open(&f, "budget=256K");
    assert_true(budget(&f) == 256 * KB);
    assert_int_equal(count_in_log("injected budget"), 1);
    fx_close(&f);

    /* Later: the budget drops while allocations are resident, and the pager evicts down to it. */
    fx_open(&f, "budget=256K,budget-after-ms=100");
    assert_true(budget(&f) == LOCAL_SIZE);
    for (i = 0; i < 4; i++) assert_int_equal(core_create(f.mm, f.device, 192 * KB, LOCAL, CV, &h[i]), 0);
    assert_int_equal(core_escape(f.mm, f.adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc), 0);
    assert_true(esc.LocalUsage == 4 * 192 * KB);
    clock_ms += 100;
    assert_true(budget(&f) == 256 * KB);
    assert_int_equal(core_escape(f.mm, f.adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, &esc), 0);
    assert_true(esc.LocalUsage <= 256 * KB);
    assert_true(esc.LocalBudget == 256 * KB);
    /* The test escape still sets its own cap afterwards. */
    assert_int_equal(core_escape(f.mm, f.adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, &esc), 0);
    assert_true(budget(&f) == LOCAL_SIZE);
    fx_close(&f);
}

static void test_set_twice_and_oom(void **state)
{
    struct vidmm_memory_ops ops;
    struct native_memory *nm;
    struct vidmm *mm;

    assert_non_null(nm = native_memory_create());
    native_memory_ops(nm, &ops);
    assert_int_equal(vidmm_create(&ops, 0, &mm), 0);
    vidmm_alloc_fail_after(0, 0);
    assert_int_equal(vidmm_set_faults(mm, "lock-busy=1", NULL), STATUS_NO_MEMORY);
    vidmm_alloc_fail_after(-1, 0);
    assert_int_equal(vidmm_set_faults(mm, "lock-busy=1", NULL), 0);
    assert_int_equal(vidmm_set_faults(mm, "lock-busy=1", NULL), STATUS_INVALID_PARAMETER);
    vidmm_destroy(mm);
    native_memory_destroy(nm);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_parse_defaults),
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_garbage),
        cmocka_unit_test(test_prng),
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_create_probability),
        cmocka_unit_test(test_create_seeds),
        cmocka_unit_test(test_create_after_bytes),
        cmocka_unit_test(test_lock_busy),
        cmocka_unit_test(test_removed_after_calls),
        cmocka_unit_test(test_removed_after_ms),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_set_twice_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
