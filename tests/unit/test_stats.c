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
 * Unit tests of statistics.c with the native system provider.  Two managers
 * stand for two processes (their own slots, their own watcher threads):
 *  - this process' counts: committed, resident, allocations, locked;
 *  - another process' counts as it publishes them, its locked count at its
 *    next tick after the request, and the system-wide sums;
 *  - eviction counters after the pager trimmed to a lower budget;
 *  - a process that is gone is not counted;
 *  - queries racing creates, locks and destroys in both processes (also
 *    built with TSan): no torn or negative figure, all zero at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "native_system.h"
#include "core_calls.h"

#define LUID 0x0000000100000e73ull
#define MB (1024ull * 1024)
#define LOCAL_SIZE (32 * MB)

struct proc
{
    struct native_memory *nm;
    struct native_system sys;
    struct vidmm *mm;
    uint32_t adapter, device;
};

static char view_name[64];

static void proc_init(struct proc *p, uint32_t pid)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops ops;
    struct vidmm_system_ops yops;

    p->nm = native_memory_create();
    native_memory_ops(p->nm, &ops);
    assert_int_equal(vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &p->mm), STATUS_SUCCESS);
    native_system_init(&p->sys, view_name);
    p->sys.pid = pid;
    p->sys.poll_ms = 10;
    native_system_ops(&p->sys, &yops);
    assert_int_equal(vidmm_system_set_ops(p->mm, &yops), STATUS_SUCCESS);
    open.luid = LUID;
    open.local_size = LOCAL_SIZE;
    open.nonlocal_size = 256 * MB;
    open.source_count = 1;
    assert_int_equal(vidmm_open_adapter(p->mm, &open), STATUS_SUCCESS);
    p->adapter = open.handle;
    dev.adapter = p->adapter;
    assert_int_equal(vidmm_create_device(p->mm, &dev), STATUS_SUCCESS);
    p->device = dev.handle;
}

static void proc_done(struct proc *p)
{
    if (!p->mm) return;
    vidmm_destroy(p->mm);
    native_memory_destroy(p->nm);
    p->mm = NULL;
}

struct fx
{
    struct proc a, b;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    snprintf(view_name, sizeof(view_name), "/vidmm-test-stats-%d", getpid());
    native_system_unlink(view_name);
    proc_init(&f->a, 1000);
    proc_init(&f->b, 2000);
    *state = f;
    alarm(60);
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    alarm(0);
    proc_done(&f->a);
    proc_done(&f->b);
    native_system_unlink(view_name);
    free(f);
    return 0;
}

static struct vidmm_statistics query(struct proc *p, uint32_t scope, uint32_t pid)
{
    struct vidmm_query_statistics_args args = {0};

    args.luid = LUID;
    args.scope = scope;
    args.process_id = pid;
    assert_int_equal(vidmm_query_statistics(p->mm, &args), STATUS_SUCCESS);
    assert_int_equal(args.found, 1);
    return args.stats;
}

static uint32_t create(struct proc *p, uint64_t size, uint32_t group)
{
    uint32_t handle = 0;

    assert_int_equal(core_create(p->mm, p->device, size, group, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE, &handle),
                     STATUS_SUCCESS);
    return handle;
}

/* Another process' locked count comes with its next tick after we asked. */
static uint32_t locked_of(struct proc *asker, uint32_t pid, uint32_t want)
{
    struct vidmm_statistics st;
    int i;

    for (i = 0; i < 200; i++)
    {
        st = query(asker, VIDMM_STATS_PROCESS, pid);
        if (st.locked == want) break;
        usleep(10000);
    }
    return st.locked;
}

static void test_self(void **state)
{
    struct fx *f = *state;
    struct vidmm_statistics st;
    uint32_t l1 = create(&f->a, 2 * MB, VIDMM_SEGMENT_GROUP_LOCAL), l2 = create(&f->a, 4 * MB, VIDMM_SEGMENT_GROUP_LOCAL);
    uint32_t n1 = create(&f->a, 1 * MB, VIDMM_SEGMENT_GROUP_NON_LOCAL);
    uint8_t *ptr;

    st = query(&f->a, VIDMM_STATS_SELF, 0);
    assert_int_equal(st.committed[0], 6 * MB);
    assert_int_equal(st.resident[0], 6 * MB);
    assert_int_equal(st.allocations[0], 2);
    assert_int_equal(st.resident_allocations[0], 2);
    assert_int_equal(st.committed[1], 1 * MB);
    assert_int_equal(st.allocations[1], 1);
    assert_int_equal(st.segment_size[0], LOCAL_SIZE);
    assert_int_equal(st.processes, 1);
    assert_int_equal(st.locked, 0);
    assert_int_equal(core_lock(f->a.mm, f->a.device, l2, 0, &ptr), STATUS_SUCCESS);
    assert_int_equal(core_lock(f->a.mm, f->a.device, l2, 0, &ptr), STATUS_SUCCESS);
    assert_int_equal(query(&f->a, VIDMM_STATS_SELF, 0).locked, 1);
    core_unlock(f->a.mm, f->a.device, l2);
    core_unlock(f->a.mm, f->a.device, l2);
    assert_int_equal(query(&f->a, VIDMM_STATS_SELF, 0).locked, 0);
    core_destroy(f->a.mm, f->a.device, l1);
    core_destroy(f->a.mm, f->a.device, l2);
    core_destroy(f->a.mm, f->a.device, n1);
    st = query(&f->a, VIDMM_STATS_SELF, 0);
    assert_int_equal(st.committed[0] + st.committed[1] + st.allocations[0] + st.allocations[1], 0);
}

static void test_other_and_system(void **state)
{
    struct fx *f = *state;
    struct vidmm_statistics st;
    uint32_t b1 = create(&f->b, 4 * MB, VIDMM_SEGMENT_GROUP_LOCAL), b2 = create(&f->b, 2 * MB, VIDMM_SEGMENT_GROUP_NON_LOCAL);
    uint32_t a1 = create(&f->a, 8 * MB, VIDMM_SEGMENT_GROUP_LOCAL);
    struct vidmm_query_statistics_args bad = {0};
    uint8_t *ptr;

    st = query(&f->a, VIDMM_STATS_PROCESS, 2000);
    assert_int_equal(st.processes, 1);
    assert_int_equal(st.committed[0], 4 * MB);
    assert_int_equal(st.resident[0], 4 * MB);
    assert_int_equal(st.committed[1], 2 * MB);
    assert_int_equal(st.allocations[0] + st.allocations[1], 2);
    assert_int_equal(st.budget[0], LOCAL_SIZE - 8 * MB);   /* what A leaves it: the budget policy */
    st = query(&f->a, VIDMM_STATS_SYSTEM, 0);
    assert_int_equal(st.processes, 2);
    assert_int_equal(st.committed[0], 12 * MB);
    assert_int_equal(st.allocations[0], 2);
    assert_int_equal(query(&f->a, VIDMM_STATS_PROCESS, 3000).processes, 0);

    assert_int_equal(core_lock(f->b.mm, f->b.device, b1, 0, &ptr), STATUS_SUCCESS);
    assert_int_equal(locked_of(&f->a, 2000, 1), 1);
    core_unlock(f->b.mm, f->b.device, b1);
    assert_int_equal(locked_of(&f->a, 2000, 0), 0);

    /* Gone: not counted any more. */
    core_destroy(f->b.mm, f->b.device, b1);
    core_destroy(f->b.mm, f->b.device, b2);
    proc_done(&f->b);
    assert_int_equal(query(&f->a, VIDMM_STATS_PROCESS, 2000).processes, 0);
    st = query(&f->a, VIDMM_STATS_SYSTEM, 0);
    assert_int_equal(st.processes, 1);
    assert_int_equal(st.committed[0], 8 * MB);
    core_destroy(f->a.mm, f->a.device, a1);

    bad.luid = LUID;
    bad.scope = 3;
    assert_int_equal(vidmm_query_statistics(f->a.mm, &bad), STATUS_INVALID_PARAMETER);
    bad.scope = VIDMM_STATS_PROCESS;
    bad.process_id = 0;
    assert_int_equal(vidmm_query_statistics(f->a.mm, &bad), STATUS_INVALID_PARAMETER);
    bad.scope = VIDMM_STATS_SELF;
    bad.luid = LUID + 1;
    assert_int_equal(vidmm_query_statistics(f->a.mm, &bad), STATUS_SUCCESS);
    assert_int_equal(bad.found, 0);
}

static void test_evictions(void **state)
{
    struct fx *f = *state;
    struct vidmm_statistics before, after, seen;
    uint32_t h[4], i;
    uint8_t *ptr;

    for (i = 0; i < 4; i++)
    {
        h[i] = create(&f->a, 4 * MB, VIDMM_SEGMENT_GROUP_LOCAL);
        assert_int_equal(core_lock(f->a.mm, f->a.device, h[i], 0, &ptr), STATUS_SUCCESS);
        memset(ptr, i + 1, 4 * MB);
        core_unlock(f->a.mm, f->a.device, h[i]);
    }
    before = query(&f->a, VIDMM_STATS_SELF, 0);
    assert_int_equal(core_escape(f->a.mm, f->a.adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 8 * MB, NULL),
                     STATUS_SUCCESS);
    assert_int_equal(core_escape(f->a.mm, f->a.adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL), STATUS_SUCCESS);
    after = query(&f->a, VIDMM_STATS_SELF, 0);
    assert_int_equal(after.evictions - before.evictions, 2);
    assert_int_equal(after.evicted_bytes - before.evicted_bytes, 8 * MB);
    assert_int_equal(after.resident[0], 8 * MB);
    assert_int_equal(after.committed[0], 16 * MB);
    assert_int_equal(after.resident_allocations[0], 2);
    assert_true(after.fence_completed == after.fence_submitted && after.fence_submitted > before.fence_submitted);
    /* B sees the same counters, published by A. */
    seen = query(&f->b, VIDMM_STATS_PROCESS, 1000);
    assert_int_equal(seen.evictions, after.evictions);
    assert_int_equal(seen.resident[0], 8 * MB);
    assert_int_equal(seen.resident_allocations[0], 2);
    core_escape(f->a.mm, f->a.adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    /* Destroying an evicted allocation changes no usage: its counts are
     * published all the same, at once. */
    for (i = 0; i < 4; i++)
    {
        core_destroy(f->a.mm, f->a.device, h[i]);
        seen = query(&f->b, VIDMM_STATS_PROCESS, 1000);
        assert_int_equal(seen.allocations[0], 3 - i);
        assert_int_equal(seen.committed[0], (3 - i) * 4 * MB);
    }
}

/* ---- races ---- */

struct racer
{
    struct proc *p;
    uint32_t other_pid;
    int rounds;
    int *stop;
    int bad;
};

static void *churn(void *arg)
{
    struct racer *r = arg;
    uint32_t h[8];
    uint8_t *ptr;
    int round, i;

    for (round = 0; round < r->rounds; round++)
    {
        for (i = 0; i < 8; i++)
            if (core_create(r->p->mm, r->p->device, (i + 1) * 64 * 1024, i & 1, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE,
                            &h[i]))
                h[i] = 0;
        for (i = 0; i < 8; i += 3)
            if (h[i] && !core_lock(r->p->mm, r->p->device, h[i], 0, &ptr)) ptr[0] = 1;
        for (i = 0; i < 8; i++) if (h[i]) core_destroy(r->p->mm, r->p->device, h[i]);   /* locked ones too */
    }
    __atomic_store_n(r->stop, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Any figure read in the middle of the churn stays within what the churn
 * can hold: never torn, never negative (a wrapped unsigned). */
static void *watch(void *arg)
{
    struct racer *r = arg;
    const uint64_t most = 8 * 8 * 64 * 1024;
    struct vidmm_statistics st;
    uint32_t scope = 0;

    while (!__atomic_load_n(r->stop, __ATOMIC_ACQUIRE))
    {
        scope = (scope + 1) % 3;
        st = query(r->p, scope, scope == VIDMM_STATS_PROCESS ? r->other_pid : 0);
        if (st.committed[0] + st.committed[1] > 2 * most || st.allocations[0] + st.allocations[1] > 16
            || st.locked > 6 || st.resident[0] > 2 * most)
            r->bad++;
    }
    return NULL;
}

static void test_races(void **state)
{
    struct fx *f = *state;
    int stop_a = 0, stop_b = 0;
    struct racer ca = { &f->a, 0, 2000, &stop_a, 0 }, cb = { &f->b, 0, 2000, &stop_b, 0 };
    struct racer wa = { &f->a, 2000, 0, &stop_a, 0 }, wb = { &f->b, 1000, 0, &stop_b, 0 };
    pthread_t t[4];
    struct vidmm_statistics st;
    int i;

    pthread_create(&t[0], NULL, churn, &ca);
    pthread_create(&t[1], NULL, churn, &cb);
    pthread_create(&t[2], NULL, watch, &wa);
    pthread_create(&t[3], NULL, watch, &wb);
    for (i = 0; i < 4; i++) pthread_join(t[i], NULL);
    assert_int_equal(wa.bad + wb.bad, 0);
    st = query(&f->a, VIDMM_STATS_SYSTEM, 0);
    assert_int_equal(st.processes, 2);
    assert_int_equal(st.committed[0] + st.committed[1] + st.allocations[0] + st.allocations[1], 0);
    assert_int_equal(st.resident[0] + st.resident[1] + st.resident_allocations[0], 0);
    assert_int_equal(query(&f->a, VIDMM_STATS_SELF, 0).locked, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_self, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_and_system, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evictions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_races, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
