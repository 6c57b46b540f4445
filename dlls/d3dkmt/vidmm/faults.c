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
 * the setting's parser, the PRNG, and the decisions the API layers ask for.
 * Low in the layers: it knows no object, only counters and the clock; the
 * callers (allocation.c, lock.c, object.c, device.c, adapter.c) act on what
 * it decides.  Every counter is atomic; no lock is taken here.
 */
#if 0
#pragma makedep unix
#endif
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vidmm_private.h"

struct vidmm_faults
{
    struct vidmm_faults_config cfg;
    struct vidmm_faults_ops ops;
    atomic_uint_fast64_t create_calls;    /* CreateAllocation calls decided so far */
    atomic_uint_fast64_t created_bytes;   /* bytes of the allocations created (create-fail-after-bytes) */
    atomic_uint_fast64_t lock_calls;      /* Lock calls with DonotWait decided so far */
    atomic_uint_fast64_t device_calls;    /* device calls counted (removed-after-calls) */
    atomic_uint_fast64_t start_ms;        /* the clock at the first CreateDevice, + 1 (0: none yet) */
    atomic_uint removed_epoch;            /* 1 once the devices were reset; devices born before it are */
    atomic_int budget_logged;
};

/* ---- the PRNG ---- */

uint64_t vidmm_faults_draw(uint64_t seed, uint32_t kind, uint64_t index)
{
    /* splitmix64: the state advanced index + 1 times from a state made of
     * the seed and the kind, then its finaliser. */
    uint64_t z = seed ^ ((uint64_t)(kind + 1) * 0xd1b54a32d192ed03ull);

    z += (index + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int vidmm_faults_decide(uint64_t seed, uint32_t kind, uint64_t index, uint32_t ppb)
{
    if (!ppb) return 0;
    if (ppb >= VIDMM_FAULTS_PPB_ONE) return 1;
    return vidmm_faults_draw(seed, kind, index) % VIDMM_FAULTS_PPB_ONE < ppb;
}

/* ---- the parser ---- */

enum value_type { VALUE_INTEGER, VALUE_BYTES, VALUE_PROBABILITY };

static const struct
{
    const char *key;
    uint32_t bit;
    enum value_type type;
} keys[] =
{
    { "seed",                    VIDMM_FAULTS_SEED,                   VALUE_INTEGER },
    { "removed-after-calls",     VIDMM_FAULTS_REMOVED_AFTER_CALLS,    VALUE_INTEGER },
    { "removed-after-ms",        VIDMM_FAULTS_REMOVED_AFTER_MS,       VALUE_INTEGER },
    { "create-no-video-memory",  VIDMM_FAULTS_CREATE_NO_VIDEO_MEMORY, VALUE_PROBABILITY },
    { "create-no-memory",        VIDMM_FAULTS_CREATE_NO_MEMORY,       VALUE_PROBABILITY },
    { "create-fail-after-bytes", VIDMM_FAULTS_CREATE_AFTER_BYTES,     VALUE_BYTES },
    { "lock-busy",               VIDMM_FAULTS_LOCK_BUSY,              VALUE_PROBABILITY },
    { "budget",                  VIDMM_FAULTS_BUDGET,                 VALUE_BYTES },
    { "budget-after-ms",         VIDMM_FAULTS_BUDGET_AFTER_MS,        VALUE_INTEGER },
};

/* Decimal digits [p, end) into *out; at least one, no overflow. */
static int parse_digits(const char *p, const char *end, uint64_t *out)
{
    uint64_t v = 0;

    if (p == end) return -1;
    for (; p < end; p++)
    {
        if (*p < '0' || *p > '9') return -1;
        if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

static int parse_bytes(const char *p, const char *end, uint64_t *out)
{
    unsigned int shift = 0;
    uint64_t v;

    if (p < end)
    {
        switch (end[-1])
        {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        }
        if (shift) end--;
    }
    if (parse_digits(p, end, &v)) return -1;
    if (shift && v > (UINT64_MAX >> shift)) return -1;
    *out = v << shift;
    return 0;
}

/* 0, 1, or 0.d... / 1.0... with 1 to 9 digits, into parts per billion. */
static int parse_probability(const char *p, const char *end, uint32_t *out)
{
    uint32_t v, scale = VIDMM_FAULTS_PPB_ONE;

    if (p == end || (*p != '0' && *p != '1')) return -1;
    v = (*p++ == '1') ? VIDMM_FAULTS_PPB_ONE : 0;
    if (p < end)
    {
        if (*p++ != '.' || p == end || end - p > 9) return -1;
        for (; p < end; p++)
        {
            if (*p < '0' || *p > '9') return -1;
            scale /= 10;
            v += (uint32_t)(*p - '0') * scale;
        }
    }
    if (v > VIDMM_FAULTS_PPB_ONE) return -1;
    *out = v;
    return 0;
}

static void report_bad(void (*report)(void *, const char *), void *ctx, const char *item, size_t len,
                       const char *why)
{
    char message[160];

    if (!report) return;
    if (len > 64) len = 64;
    snprintf(message, sizeof(message), "ignoring fault setting \"%.*s\": %s", (int)len, item, why);
    report(ctx, message);
}

/* One item [p, end), blanks trimmed; 0 applied, -1 bad (reported). */
static int parse_item(const char *p, const char *end, struct vidmm_faults_config *cfg,
                      void (*report)(void *, const char *), void *ctx)
{
    const char *eq;
    size_t i, key_len;
    uint64_t v = 0;
    uint32_t ppb = 0;

    for (eq = p; eq < end && *eq != '='; eq++) ;
    if (eq == end)
    {
        report_bad(report, ctx, p, end - p, p == end ? "empty item" : "expected key=value");
        return -1;
    }
    key_len = eq - p;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strlen(keys[i].key) == key_len && !memcmp(keys[i].key, p, key_len)) break;
    if (i == sizeof(keys) / sizeof(keys[0]))
    {
        report_bad(report, ctx, p, end - p, "unknown key");
        return -1;
    }
    if (cfg->set & keys[i].bit)
    {
        report_bad(report, ctx, p, end - p, "given twice, the first one applies");
        return -1;
    }
    switch (keys[i].type)
    {
    case VALUE_INTEGER:
        if (parse_digits(eq + 1, end, &v))
        {
            report_bad(report, ctx, p, end - p, "expected a decimal integer");
            return -1;
        }
        break;
    case VALUE_BYTES:
        if (parse_bytes(eq + 1, end, &v))
        {
            report_bad(report, ctx, p, end - p, "expected a byte count (digits, optional K, M, G or T)");
            return -1;
        }
        if (keys[i].bit == VIDMM_FAULTS_BUDGET && v < VIDMM_PAGE_SIZE)
        {
            report_bad(report, ctx, p, end - p, "a budget is at least 4096 bytes");
            return -1;
        }
        break;
    case VALUE_PROBABILITY:
        if (parse_probability(eq + 1, end, &ppb))
        {
            report_bad(report, ctx, p, end - p, "expected a probability from 0 to 1 (at most 9 decimals)");
            return -1;
        }
        break;
    }
    cfg->set |= keys[i].bit;
    switch (keys[i].bit)
    {
    case VIDMM_FAULTS_SEED: cfg->seed = v; break;
    case VIDMM_FAULTS_REMOVED_AFTER_CALLS: cfg->removed_after_calls = v; break;
    case VIDMM_FAULTS_REMOVED_AFTER_MS: cfg->removed_after_ms = v; break;
    case VIDMM_FAULTS_CREATE_NO_VIDEO_MEMORY: cfg->ppb[VIDMM_FAULT_CREATE_NO_VIDEO_MEMORY] = ppb; break;
    case VIDMM_FAULTS_CREATE_NO_MEMORY: cfg->ppb[VIDMM_FAULT_CREATE_NO_MEMORY] = ppb; break;
    case VIDMM_FAULTS_CREATE_AFTER_BYTES: cfg->create_after_bytes = v; break;
    case VIDMM_FAULTS_LOCK_BUSY: cfg->ppb[VIDMM_FAULT_LOCK_BUSY] = ppb; break;
    case VIDMM_FAULTS_BUDGET: cfg->budget = v & ~(VIDMM_PAGE_SIZE - 1); break;
    case VIDMM_FAULTS_BUDGET_AFTER_MS: cfg->budget_after_ms = v; break;
    }
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

unsigned int vidmm_faults_parse(const char *text, struct vidmm_faults_config *cfg,
                                void (*report)(void *ctx, const char *message), void *ctx)
{
    unsigned int bad = 0;
    const char *p, *end;

    memset(cfg, 0, sizeof(*cfg));
    cfg->seed = 1;
    if (!text) return 0;
    for (p = text; *p; p = *end ? end + 1 : end)
    {
        const char *b, *e;

        for (end = p; *end && *end != ','; end++) ;
        for (b = p; b < end && is_blank(*b); b++) ;
        for (e = end; e > b && is_blank(e[-1]); e--) ;
        if (b == e && !*end && p != text) break;   /* one trailing comma */
        if (parse_item(b, e, cfg, report, ctx)) bad++;
    }
    if ((cfg->set & VIDMM_FAULTS_BUDGET_AFTER_MS) && !(cfg->set & VIDMM_FAULTS_BUDGET))
    {
        if (report) report(ctx, "ignoring fault setting \"budget-after-ms\": no budget= given");
        cfg->set &= ~VIDMM_FAULTS_BUDGET_AFTER_MS;
        bad++;
    }
    return bad;
}

/* ---- the manager's fault state ---- */

static void faults_logv(struct vidmm_faults *f, int error, const char *fmt, va_list args)
{
    char message[256];

    if (!f->ops.log) return;
    vsnprintf(message, sizeof(message), fmt, args);
    f->ops.log(f->ops.ctx, error, message);
}

void faults_log(struct vidmm_faults *f, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    faults_logv(f, 0, fmt, args);
    va_end(args);
}

static uint64_t now_ms(struct vidmm_faults *f)
{
    struct timespec ts;

    if (f->ops.now_ms) return f->ops.now_ms(f->ops.ctx);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct report_ctx
{
    const struct vidmm_faults_ops *ops;
};

static void report_error(void *ctx, const char *message)
{
    const struct vidmm_faults_ops *ops = ((struct report_ctx *)ctx)->ops;

    if (ops && ops->log) ops->log(ops->ctx, 1, message);
}

NTSTATUS vidmm_set_faults(struct vidmm *mm, const char *text, const struct vidmm_faults_ops *ops)
{
    struct report_ctx rctx = { ops };
    struct vidmm_faults_config cfg;
    struct vidmm_faults *f;

    vidmm_faults_parse(text, &cfg, report_error, &rctx);
    if (!(cfg.set & ~VIDMM_FAULTS_SEED)) return STATUS_SUCCESS;   /* nothing to inject */
    if (mm->faults) return STATUS_INVALID_PARAMETER;               /* armed once */
    if (!(f = vidmm_calloc(1, sizeof(*f)))) return STATUS_NO_MEMORY;
    f->cfg = cfg;
    if (ops) f->ops = *ops;
    atomic_init(&f->create_calls, 0);
    atomic_init(&f->created_bytes, 0);
    atomic_init(&f->lock_calls, 0);
    atomic_init(&f->device_calls, 0);
    atomic_init(&f->start_ms, 0);
    atomic_init(&f->removed_epoch, 0);
    atomic_init(&f->budget_logged, 0);
    faults_log(f, "fault injection on: %s (seed %llu)", text, (unsigned long long)cfg.seed);
    mm->faults = f;
    return STATUS_SUCCESS;
}

void faults_free(struct vidmm_faults *f)
{
    vidmm_free(f);
}

uint32_t faults_device_born(struct vidmm_faults *f)
{
    uint_fast64_t zero = 0;

    if (!f) return 0;
    atomic_compare_exchange_strong(&f->start_ms, &zero, now_ms(f) + 1);
    return atomic_load(&f->removed_epoch);
}

/* Whether the removal is due now: removed-after-calls counts this call. */
static int removal_due(struct vidmm_faults *f, uint64_t call, uint64_t *elapsed)
{
    uint64_t start;

    *elapsed = (start = atomic_load(&f->start_ms)) ? now_ms(f) - (start - 1) : 0;
    if ((f->cfg.set & VIDMM_FAULTS_REMOVED_AFTER_CALLS) && call > f->cfg.removed_after_calls) return 1;
    return (f->cfg.set & VIDMM_FAULTS_REMOVED_AFTER_MS) && start && *elapsed >= f->cfg.removed_after_ms;
}

int faults_device_removed(struct vidmm_faults *f, uint32_t born_epoch)
{
    unsigned int zero = 0;
    uint64_t call, elapsed;

    if (!f || !(f->cfg.set & (VIDMM_FAULTS_REMOVED_AFTER_CALLS | VIDMM_FAULTS_REMOVED_AFTER_MS))) return 0;
    call = atomic_fetch_add(&f->device_calls, 1) + 1;
    if (!atomic_load(&f->removed_epoch) && removal_due(f, call, &elapsed)
        && atomic_compare_exchange_strong(&f->removed_epoch, &zero, 1))
        faults_log(f, "injected device removal at device call %llu, %llu ms after the first device: "
                   "every device is reset (STATUS_DEVICE_REMOVED)", (unsigned long long)call,
                   (unsigned long long)elapsed);
    return born_epoch < atomic_load(&f->removed_epoch);
}

NTSTATUS faults_create(struct vidmm_faults *f, uint64_t bytes, int local)
{
    uint_fast64_t total;
    uint64_t index;

    if (!f || !(f->cfg.set & (VIDMM_FAULTS_CREATE_NO_VIDEO_MEMORY | VIDMM_FAULTS_CREATE_NO_MEMORY
                              | VIDMM_FAULTS_CREATE_AFTER_BYTES)))
        return STATUS_SUCCESS;
    index = atomic_fetch_add(&f->create_calls, 1);
    if (vidmm_faults_decide(f->cfg.seed, VIDMM_FAULT_CREATE_NO_VIDEO_MEMORY, index,
                            f->cfg.ppb[VIDMM_FAULT_CREATE_NO_VIDEO_MEMORY]))
    {
        faults_log(f, "injected STATUS_GRAPHICS_NO_VIDEO_MEMORY (create-no-video-memory) at CreateAllocation #%llu",
                   (unsigned long long)index);
        return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
    }
    if (vidmm_faults_decide(f->cfg.seed, VIDMM_FAULT_CREATE_NO_MEMORY, index,
                            f->cfg.ppb[VIDMM_FAULT_CREATE_NO_MEMORY]))
    {
        faults_log(f, "injected STATUS_NO_MEMORY (create-no-memory) at CreateAllocation #%llu",
                   (unsigned long long)index);
        return STATUS_NO_MEMORY;
    }
    if (!(f->cfg.set & VIDMM_FAULTS_CREATE_AFTER_BYTES)) return STATUS_SUCCESS;
    /* Reserve the call's bytes: all or nothing, also with threads. */
    total = atomic_load(&f->created_bytes);
    do
    {
        if (bytes > f->cfg.create_after_bytes || total > f->cfg.create_after_bytes - bytes)
        {
            NTSTATUS status = local ? STATUS_GRAPHICS_NO_VIDEO_MEMORY : STATUS_NO_MEMORY;

            faults_log(f, "injected %s (create-fail-after-bytes: %llu + %llu > %llu) at CreateAllocation #%llu",
                       local ? "STATUS_GRAPHICS_NO_VIDEO_MEMORY" : "STATUS_NO_MEMORY",
                       (unsigned long long)total, (unsigned long long)bytes,
                       (unsigned long long)f->cfg.create_after_bytes, (unsigned long long)index);
            return status;
        }
    } while (!atomic_compare_exchange_weak(&f->created_bytes, &total, total + bytes));
    return STATUS_SUCCESS;
}

void faults_create_failed(struct vidmm_faults *f, uint64_t bytes)
{
    if (f && (f->cfg.set & VIDMM_FAULTS_CREATE_AFTER_BYTES)) atomic_fetch_sub(&f->created_bytes, bytes);
}

NTSTATUS faults_lock(struct vidmm_faults *f, uint32_t allocation)
{
    uint64_t index;

    if (!f || !(f->cfg.set & VIDMM_FAULTS_LOCK_BUSY)) return STATUS_SUCCESS;
    index = atomic_fetch_add(&f->lock_calls, 1);
    if (!vidmm_faults_decide(f->cfg.seed, VIDMM_FAULT_LOCK_BUSY, index, f->cfg.ppb[VIDMM_FAULT_LOCK_BUSY]))
        return STATUS_SUCCESS;
    faults_log(f, "injected STATUS_GRAPHICS_ALLOCATION_BUSY (lock-busy) at Lock #%llu of allocation %#x",
               (unsigned long long)index, allocation);
    return STATUS_GRAPHICS_ALLOCATION_BUSY;
}

uint64_t faults_budget(struct vidmm_faults *f)
{
    uint64_t start;

    if (!f || !(f->cfg.set & VIDMM_FAULTS_BUDGET)) return UINT64_MAX;
    if (f->cfg.set & VIDMM_FAULTS_BUDGET_AFTER_MS)
    {
        if (!(start = atomic_load(&f->start_ms))) return UINT64_MAX;
        if (now_ms(f) - (start - 1) < f->cfg.budget_after_ms) return UINT64_MAX;
    }
    return f->cfg.budget;
}
