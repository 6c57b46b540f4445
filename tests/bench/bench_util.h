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
 * The benchmark's tools: a clock, medians, the baselines (a pair of bare
 * Wine system calls, memcpy, memset) and the table's lines.  Nothing here
 * passes or fails on time: a line says "met" or "missed" and that is all.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include "d3dkmt_test.h"
#include <psapi.h>

#define KB 1024ull
#define MB (1024ull * 1024ull)
#define GB (1024ull * MB)

/* Keeps the compiler from dropping a memset or memcpy whose result is unused. */
#define BARRIER() __asm__ __volatile__("" ::: "memory")

static double qpc_ns_per_tick;

static double now_ns(void)
{
    LARGE_INTEGER t;

    if (!qpc_ns_per_tick)
    {
        LARGE_INTEGER f;
        QueryPerformanceFrequency(&f);
        qpc_ns_per_tick = 1e9 / (double)f.QuadPart;
    }
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * qpc_ns_per_tick;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of n samples (sorts them). */
static double median(double *v, UINT n)
{
    if (!n) return 0;
    qsort(v, n, sizeof(*v), compare_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the baseline system call: gdi32's D3DKMTCloseAdapter on a bad handle ---- */

static PFND3DKMT_CLOSEADAPTER wine_close_adapter;

static BOOL load_wine_syscall(void)
{
    HMODULE gdi32 = LoadLibraryA("gdi32.dll");
    if (gdi32) wine_close_adapter = (PFND3DKMT_CLOSEADAPTER)(void *)GetProcAddress(gdi32, "D3DKMTCloseAdapter");
    return wine_close_adapter != NULL;
}

/* No adapter of gdi32's has this handle: win32u looks it up and fails. */
static void syscall_pair(void)
{
    D3DKMT_CLOSEADAPTER desc = { 0x7fffffc0 };

    wine_close_adapter(&desc);
    wine_close_adapter(&desc);
}

/* ns per pair over n pairs */
static double time_syscall_pairs(UINT n)
{
    double start = now_ns();
    UINT i;

    for (i = 0; i < n; i++) syscall_pair();
    return (now_ns() - start) / n;
}

/* ---- memcpy and memset: the C library's and the CPU's string instructions;
 * the faster of the two is the baseline (the stricter one) ---- */

static void copy_movsb(void *dst, const void *src, size_t n)
{
    __asm__ __volatile__("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void fill_stosb(void *dst, int c, size_t n)
{
    __asm__ __volatile__("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

/* ns to copy `total` bytes through buffers of `size`, each way; the faster. */
static double time_memcpy(BYTE *dst, const BYTE *src, size_t size, UINT64 total)
{
    double start, lib, cpu;
    UINT64 done;

    start = now_ns();
    for (done = 0; done < total; done += size) memcpy(dst, src, size);
    BARRIER();
    lib = now_ns() - start;
    start = now_ns();
    for (done = 0; done < total; done += size) copy_movsb(dst, src, size);
    cpu = now_ns() - start;
    return lib < cpu ? lib : cpu;
}

/* ns per memset of `size` bytes, over n of them; the faster way. */
static double time_memset(BYTE *dst, size_t size, UINT n)
{
    double start, lib, cpu;
    UINT i;

    start = now_ns();
    for (i = 0; i < n; i++) memset(dst, i, size);
    BARRIER();
    lib = now_ns() - start;
    start = now_ns();
    for (i = 0; i < n; i++) fill_stosb(dst, i, size);
    cpu = now_ns() - start;
    return (lib < cpu ? lib : cpu) / n;
}

/* ---- process memory: the working set, which Wine's ntdll reads from the
 * process's own /proc/self/statm.  (Opening Z:\\proc\\self\\status from a
 * Windows program is no good: wineserver opens files, so that "self" is
 * wineserver.) ---- */

static long long resident_bytes(void)
{
    PROCESS_MEMORY_COUNTERS counters;

    counters.cb = sizeof(counters);
    if (K32GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)))
        return counters.WorkingSetSize;
    return -1;
}

/* ---- the table ---- */

enum target_kind
{
    TARGET_NONE,        /* for information only */
    RATIO_AT_MOST,      /* figure / baseline <= target */
    RATIO_AT_LEAST,
    VALUE_AT_MOST,      /* the figure itself, in its unit */
    VALUE_AT_LEAST,
};

enum unit { UNIT_NS, UNIT_GBPS, UNIT_COUNT, UNIT_BYTES, UNIT_PER_S };

struct figure
{
    double value;
    enum unit unit;
};

static UINT rows_printed, rows_missed, rows_failed;

static void format_figure(char *buf, size_t size, struct figure f)
{
    switch (f.unit)
    {
    case UNIT_NS:
        if (f.value < 1e3) snprintf(buf, size, "%.0f ns", f.value);
        else if (f.value < 1e6) snprintf(buf, size, "%.2f us", f.value / 1e3);
        else if (f.value < 1e9) snprintf(buf, size, "%.1f ms", f.value / 1e6);
        else snprintf(buf, size, "%.2f s", f.value / 1e9);
        break;
    case UNIT_GBPS: snprintf(buf, size, "%.2f GB/s", f.value); break;
    case UNIT_COUNT: snprintf(buf, size, "%.0f", f.value); break;
    case UNIT_BYTES: snprintf(buf, size, "%.0f B", f.value); break;
    case UNIT_PER_S: snprintf(buf, size, "%.0f/s", f.value); break;
    }
}

static BOOL target_met(enum target_kind kind, double ratio, double value, double target)
{
    switch (kind)
    {
    case RATIO_AT_MOST: return ratio <= target;
    case RATIO_AT_LEAST: return ratio >= target;
    case VALUE_AT_MOST: return value <= target;
    case VALUE_AT_LEAST: return value >= target;
    default: return TRUE;
    }
}

static void format_target(char *buf, size_t size, enum target_kind kind, double target, enum unit unit)
{
    char value[32];
    struct figure f = { target, unit };

    format_figure(value, sizeof(value), f);
    switch (kind)
    {
    case RATIO_AT_MOST: snprintf(buf, size, "target <= %gx", target); break;
    case RATIO_AT_LEAST: snprintf(buf, size, "target >= %gx", target); break;
    case VALUE_AT_MOST: snprintf(buf, size, "target <= %s", value); break;
    case VALUE_AT_LEAST: snprintf(buf, size, "target >= %s", value); break;
    default: snprintf(buf, size, "(no target)"); break;
    }
}

/* One line: figure, its ratio to a baseline, the target, met or missed,
 * then a note (counts, failed calls).  A baseline of 0 prints no ratio. */
static void row(const char *name, struct figure f, struct figure base, const char *base_name,
                enum target_kind kind, double target, const char *note)
{
    char fig[32], basefig[32], tgt[48], ratio_text[96];
    double ratio = base.value ? f.value / base.value : 0;
    BOOL met = target_met(kind, ratio, f.value, target);

    format_figure(fig, sizeof(fig), f);
    format_figure(basefig, sizeof(basefig), base);
    if (base.value) snprintf(ratio_text, sizeof(ratio_text), "= %6.2fx %s (%s)", ratio, base_name, basefig);
    else snprintf(ratio_text, sizeof(ratio_text), "  (no baseline: %s)", base_name);
    format_target(tgt, sizeof(tgt), kind, target, f.unit);
    printf("%-42s %10s %-44s %-18s %s%s%s\n", name, fig, ratio_text, tgt,
           kind == TARGET_NONE ? "-" : met ? "met" : "missed", note && *note ? "  " : "", note ? note : "");
    fflush(stdout);
    rows_printed++;
    if (!met) rows_missed++;
}

/* A row whose measurement could not be made: why, and the status. */
static void row_failed(const char *name, const char *what, NTSTATUS status)
{
    if (status) printf("%-42s   not measured: %s (status %#lx)\n", name, what, (unsigned long)status);
    else printf("%-42s   not measured: %s\n", name, what);
    fflush(stdout);
    rows_printed++;
    rows_failed++;
}

static void baseline_line(const char *name, struct figure f, const char *note)
{
    char fig[32];

    format_figure(fig, sizeof(fig), f);
    printf("%-42s %10s   baseline%s%s\n", name, fig, note ? "  " : "", note ? note : "");
    fflush(stdout);
}

/* The first failure of a run of calls, for the row's note. */
#define NOTE_FAIL(first, status) do { NTSTATUS s_ = (status); if (s_ && !(first)) (first) = s_; } while (0)

#endif /* BENCH_UTIL_H */
