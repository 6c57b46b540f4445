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
 * make bench: the figures of issue 10's table and issue 11's sync rows, each
 * against a baseline measured in the same run (a pair of bare Wine system
 * calls, memcpy and memset of the same size, SetEvent + WaitForSingleObject),
 * as medians of interleaved repetitions.
 *
 *   d3dkmt_bench.exe          the full form (under 3 minutes)
 *   d3dkmt_bench.exe --short  every measurement with tiny counts (make check:
 *                             it only checks that each row ran and printed)
 * D3DKMT_BENCH_SHORT=1 in the environment means --short as well;
 * D3DKMT_BENCH_ONLY=<part of a section's name> runs that section alone, and
 * D3DKMT_BENCH_SAMPLES=1 prints each pass of the live-allocation levels.  The
 * exit code is the number of sections that did not print all their rows; a
 * call that fails is reported on its row, not fatal.  The budget and pager
 * rows need the test escape (WINE_D3DKMT_TEST_CONTROL=1, set by
 * tests/wine-log-compiler.sh).
 */
#include "bench_util.h"

struct params
{
    UINT reps;                 /* interleaved repetitions of each measurement */
    UINT pairs;                /* Lock + Unlock pairs (or calls) per timed batch */
    UINT creates;              /* CreateAllocation2 + Destroy pairs per batch */
    UINT thread_ms;            /* each threads run: many time slices (4 threads on 2 CPUs) */
    UINT64 evict_high, evict_low, evict_chunk, copy_buffer;
    UINT levels[5];            /* live allocations at which create, destroy and Lock are timed */
    UINT level_batch;          /* creates (destroys) per batch at a level */
    UINT random_pairs;
    UINT64 full_budget;        /* the local budget the small allocations fill */
    UINT full_batch;
    UINT handles;              /* MakeResident / Evict / Offer list length */
    UINT chunks;               /* ... and the list cut in this many calls, for linearity */
    UINT64 big_region;         /* pSystemMem, against 1 MiB */
    UINT sysmem_pairs;
    UINT ceiling_cap;          /* live allocations the ceiling rows stop at */
    double ceiling_seconds;    /* time budget of a ceiling run */
    UINT metadata_count;
    UINT sync_pairs;           /* Signal + Wait (or SetEvent + Wait) pairs per batch */
    UINT pingpongs;            /* round trips per ping-pong batch */
};

static const struct params full_form =
{
    7, 100000, 5000, 50,
    512 * MB, 64 * MB, 4 * MB, 64 * MB,
    { 100, 1000, 10000, 100000, 1000000 }, 1000, 100000,
    64 * MB, 500,
    10240, 10,
    4 * GB, 50,
    1000000, 20.0,
    100000,
    20000, 2000,
};

static const struct params short_form =
{
    3, 1000, 50, 2,
    8 * MB, 1 * MB, 1 * MB, 1 * MB,
    { 10, 30, 100, 300, 1000 }, 10, 500,
    1 * MB, 10,
    256, 4,
    64 * MB, 3,
    2000, 2.0,
    300,
    200, 20,
};

static const struct params *P;
static D3DKMT_HANDLE adapter, device;
static D3DKMT_HANDLE paging_queue;
static BOOL have_escape;

static struct figure ns(double v) { struct figure f = { v, UNIT_NS }; return f; }
static struct figure fig(double v, enum unit u) { struct figure f = { v, u }; return f; }

static NTSTATUS escape(UINT command, UINT64 value, D3DKMT_WINE_ESCAPE *out)
{
    D3DKMT_WINE_ESCAPE ignored;
    return wine_escape(adapter, command, value, out ? out : &ignored);
}

static NTSTATUS create_4k(UINT group, D3DKMT_HANDLE *alloc)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, group, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    return create_alloc(device, &desc, alloc);
}

static NTSTATUS create_sized(UINT64 size, UINT group, void *user, D3DKMT_HANDLE *alloc)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(size, group, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    return create_alloc_in(device, &desc, user, alloc);
}

/* Destroys and forgets handles list[from..count). */
static void destroy_from(D3DKMT_HANDLE *list, UINT from, UINT *count)
{
    while (*count > from) destroy_alloc(device, list[--*count]);
}

static D3DKMT_HANDLE *new_handles(UINT count)
{
    D3DKMT_HANDLE *list = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (SIZE_T)count * sizeof(*list));
    if (!list) printf("bench: no memory for %u handles\n", count);
    return list;
}

static void status_note(char *buf, size_t size, const char *what, NTSTATUS status)
{
    if (status) snprintf(buf, size, "(%s failed: %#lx)", what, (unsigned long)status);
    else *buf = 0;
}

/* ================= Lock, Lock2, CreateAllocation2 of 64 KiB ================= */

struct lock_args
{
    D3DKMT_LOCK lock;
    D3DKMT_UNLOCK unlock;
    D3DKMT_LOCK2 lock2;
    D3DKMT_UNLOCK2 unlock2;
    D3DKMT_HANDLE alloc;
};

static void lock_args_init(struct lock_args *a, D3DKMT_HANDLE alloc)
{
    memset(a, 0, sizeof(*a));
    a->alloc = alloc;
    a->lock.hDevice = a->lock2.hDevice = a->unlock.hDevice = a->unlock2.hDevice = device;
    a->lock.hAllocation = a->lock2.hAllocation = a->unlock2.hAllocation = alloc;
    a->unlock.NumAllocations = 1;
    a->unlock.phAllocations = &a->alloc;
}

static double time_lock(struct lock_args *a, UINT n, NTSTATUS *fail)
{
    double start = now_ns();
    UINT i;

    for (i = 0; i < n; i++)
    {
        NOTE_FAIL(*fail, pLock(&a->lock));
        pUnlock(&a->unlock);
    }
    return (now_ns() - start) / n;
}

static double time_lock2(struct lock_args *a, UINT n, NTSTATUS *fail)
{
    double start = now_ns();
    UINT i;

    for (i = 0; i < n; i++)
    {
        NOTE_FAIL(*fail, pLock2(&a->lock2));
        pUnlock2(&a->unlock2);
    }
    return (now_ns() - start) / n;
}

static double time_create64k(UINT n, NTSTATUS *fail)
{
    D3DKMT_HANDLE alloc;
    double start = now_ns();
    NTSTATUS status;
    UINT i;

    for (i = 0; i < n; i++)
    {
        status = create_sized(64 * KB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, NULL, &alloc);
        NOTE_FAIL(*fail, status);
        if (!status) destroy_alloc(device, alloc);
    }
    return (now_ns() - start) / n;
}

static double syscall_ns;      /* the run's median syscall pair, for the later rows */

static void bench_lock(void)
{
    double sys[16], lk[16], lk2[16], cr[16], ms[16];
    NTSTATUS fail_lock = 0, fail_lock2 = 0, fail_create = 0, status;
    struct lock_args a;
    D3DKMT_HANDLE alloc;
    char note[96];
    BYTE *buffer = HeapAlloc(GetProcessHeap(), 0, 64 * KB);
    UINT r;

    if ((status = create_sized(64 * KB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, NULL, &alloc))) alloc = 0;
    lock_args_init(&a, alloc);
    memset(buffer, 1, 64 * KB);
    for (r = 0; r < P->reps; r++)
    {
        sys[r] = time_syscall_pairs(P->pairs);
        lk[r] = time_lock(&a, P->pairs, &fail_lock);
        lk2[r] = time_lock2(&a, P->pairs, &fail_lock2);
        ms[r] = time_memset(buffer, 64 * KB, P->creates);
        cr[r] = time_create64k(P->creates, &fail_create);
    }
    syscall_ns = median(sys, P->reps);
    baseline_line("syscall pair (gdi32 CloseAdapter x2)", ns(syscall_ns), NULL);
    baseline_line("memset 64 KiB", ns(median(ms, P->reps)), NULL);
    if (status) status_note(note, sizeof(note), "create", status);
    else status_note(note, sizeof(note), "lock", fail_lock);
    row("Lock + Unlock (resident)", ns(median(lk, P->reps)), ns(syscall_ns), "syscall pair", RATIO_AT_MOST, 2.5, note);
    status_note(note, sizeof(note), "lock2", status ? status : fail_lock2);
    row("Lock2 + Unlock2", ns(median(lk2, P->reps)), ns(syscall_ns), "syscall pair", RATIO_AT_MOST, 2.0, note);
    status_note(note, sizeof(note), "create", fail_create);
    row("CreateAllocation2 + Destroy, 64 KiB", ns(median(cr, P->reps)), ns(median(ms, P->reps) + syscall_ns),
        "memset 64K + syscall pair", RATIO_AT_MOST, 1.3, note);
    if (alloc) destroy_alloc(device, alloc);
    HeapFree(GetProcessHeap(), 0, buffer);
}

/* ================= threads locking different allocations ================= */

struct worker
{
    struct lock_args args;
    BOOL syscalls;             /* the baseline: syscall pairs instead */
    UINT64 pairs;              /* done when it saw stop */
    NTSTATUS fail;
    HANDLE go;
    LONG *ready;
    volatile LONG *stop;
    /* Apart from the next worker's structs, which Lock writes: the ratio is
     * the module's scaling, not false sharing in this bench. */
    char separation[64];
};

#define WORKER_BATCH 256

static DWORD WINAPI worker_proc(void *arg)
{
    struct worker *w = arg;
    UINT i;

    InterlockedIncrement(w->ready);
    WaitForSingleObject(w->go, INFINITE);
    while (!*w->stop)
    {
        for (i = 0; i < WORKER_BATCH; i++)
        {
            if (w->syscalls) syscall_pair();
            else
            {
                NOTE_FAIL(w->fail, pLock(&w->args.lock));
                pUnlock(&w->args.unlock);
            }
        }
        w->pairs += WORKER_BATCH;
    }
    return 0;
}

/* Pairs per second of `count` threads together, each on its own
 * allocation, for a fixed time: all of them run until the end, so the
 * figure has no tail where some are done and a CPU idles. */
static double run_threads(struct worker *w, UINT count, BOOL syscalls, NTSTATUS *fail)
{
    HANDLE threads[4], go = CreateEventA(NULL, TRUE, FALSE, NULL);
    volatile LONG stop = 0;
    LONG ready = 0;
    double start, elapsed;
    UINT64 pairs = 0;
    UINT i, started = 0;

    for (i = 0; i < count; i++)
    {
        w[i].syscalls = syscalls;
        w[i].pairs = 0;
        w[i].go = go;
        w[i].ready = &ready;
        w[i].stop = &stop;
        if ((threads[started] = CreateThread(NULL, 0, worker_proc, &w[i], 0, NULL))) started++;
    }
    while (ready < (LONG)started) Sleep(0);
    start = now_ns();
    SetEvent(go);
    Sleep(P->thread_ms);
    InterlockedExchange(&stop, 1);
    WaitForMultipleObjects(started, threads, TRUE, INFINITE);
    elapsed = now_ns() - start;
    for (i = 0; i < started; i++) CloseHandle(threads[i]);
    CloseHandle(go);
    for (i = 0; i < started; i++) pairs += w[i].pairs;
    for (i = 0; i < count; i++) NOTE_FAIL(*fail, w[i].fail);
    if (started < count) NOTE_FAIL(*fail, STATUS_NO_MEMORY);
    return pairs / elapsed * 1e9;
}

static void bench_threads(void)
{
    double one[16], two[16], four[16], sys1[16], sys2[16];
    struct worker w[4];
    NTSTATUS fail = 0, status = 0;
    D3DKMT_HANDLE alloc;
    char note[160], fail_text[64];
    UINT i, r;

    memset(w, 0, sizeof(w));
    for (i = 0; i < 4; i++)
    {
        NOTE_FAIL(status, create_sized(64 * KB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, NULL, &alloc));
        lock_args_init(&w[i].args, status ? 0 : alloc);
    }
    for (r = 0; r < P->reps; r++)
    {
        one[r] = run_threads(w, 1, FALSE, &fail);
        two[r] = run_threads(w, 2, FALSE, &fail);
        four[r] = run_threads(w, 4, FALSE, &fail);
        sys1[r] = run_threads(w, 1, TRUE, &fail);
        sys2[r] = run_threads(w, 2, TRUE, &fail);
    }
    status_note(fail_text, sizeof(fail_text), "create or lock", status ? status : fail);
    /* What two threads of bare system calls get shows how loaded the machine is. */
    snprintf(note, sizeof(note), "(syscall pairs scale %.2fx with 2 threads now)%s%s",
             median(sys2, P->reps) / median(sys1, P->reps), *fail_text ? " " : "", fail_text);
    row("2 threads Lock+Unlock, 2 allocations", fig(median(two, P->reps), UNIT_PER_S),
        fig(median(one, P->reps), UNIT_PER_S), "1 thread", RATIO_AT_LEAST, 1.7, note);
    row("4 threads Lock+Unlock, 4 allocations", fig(median(four, P->reps), UNIT_PER_S),
        fig(median(one, P->reps), UNIT_PER_S), "1 thread", RATIO_AT_LEAST, 1.7, fail_text);
    for (i = 0; i < 4; i++) if (w[i].args.alloc) destroy_alloc(device, w[i].args.alloc);
}

/* ================= metadata per allocation ================= */

/* Resident bytes of N written 4 KiB non-local allocations, beyond their content. */
static void bench_metadata(void)
{
    D3DKMT_HANDLE *list = new_handles(P->metadata_count);
    NTSTATUS fail = 0, lock_fail = 0, status;
    long long before, after;
    UINT count = 0;
    char note[128];
    void *p;

    if (!list)
    {
        row_failed("metadata per 4 KiB allocation", "no handle list", STATUS_NO_MEMORY);
        return;
    }
    /* The list's own pages are resident before, not counted as metadata. */
    memset(list, 0, P->metadata_count * sizeof(*list));
    before = resident_bytes();
    while (count < P->metadata_count)
    {
        if ((status = create_4k(D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, &list[count])))
        {
            fail = status;
            break;
        }
        /* Written, so that the content is resident and can be subtracted. */
        if (!(status = lock_alloc(device, list[count], 0, &p)) && p) *(volatile BYTE *)p = 1;
        else NOTE_FAIL(lock_fail, status ? status : STATUS_UNSUCCESSFUL);
        unlock_alloc(device, list[count]);
        count++;
    }
    after = resident_bytes();
    snprintf(note, sizeof(note), "(%u allocations%s%s)", count, fail ? ", then create failed" : "",
             lock_fail ? ", some not written: lock failed" : "");
    if (before < 0 || after < 0 || !count) row_failed("metadata per 4 KiB allocation", "no resident size", fail);
    else
        row("metadata per 4 KiB allocation", fig((double)(after - before - (long long)count * 4096) / count, UNIT_BYTES),
            fig(4096, UNIT_BYTES), "its content", VALUE_AT_MOST, 160, note);
    destroy_from(list, 0, &count);
    HeapFree(GetProcessHeap(), 0, list);
}

/* ================= eviction by the pager ================= */

static void window_begin(void);
static double window_end(void);

/* ns for the pager to bring usage from evict_high to evict_low; *moved: bytes;
 * *wait (if given): the querier's longest wait meanwhile. */
static double evict_once(UINT64 *moved, NTSTATUS *fail, double *wait)
{
    UINT count = 0, total = (UINT)(P->evict_high / P->evict_chunk), i;
    D3DKMT_HANDLE *list = new_handles(total);
    D3DKMT_WINE_ESCAPE before, after;
    NTSTATUS status = 0;
    double start, elapsed = 0;
    void *p;

    *moved = 0;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    if (!list) return 0;
    NOTE_FAIL(status, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, P->evict_high, NULL));
    for (i = 0; !status && i < total; i++)
    {
        if ((status = create_sized(P->evict_chunk, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, NULL, &list[count]))) break;
        count++;
        if (!(status = lock_alloc(device, list[i], 0, &p)) && p) memset(p, 0x5a, P->evict_chunk);
        unlock_alloc(device, list[i]);
    }
    NOTE_FAIL(status, escape(D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, &before));
    if (!status)
    {
        if (wait) window_begin();
        start = now_ns();
        NOTE_FAIL(status, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, P->evict_low, NULL));
        NOTE_FAIL(status, escape(D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, &after));
        elapsed = now_ns() - start;
        if (wait) *wait = window_end();
        if (!status && after.BackingBytes > before.BackingBytes) *moved = after.BackingBytes - before.BackingBytes;
    }
    NOTE_FAIL(*fail, status);
    destroy_from(list, 0, &count);
    escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    HeapFree(GetProcessHeap(), 0, list);
    return elapsed;
}

static void bench_eviction(void)
{
    UINT reps = P->reps < 3 ? P->reps : 3, r, good = 0;
    double pager[16], copy[16];
    BYTE *src = VirtualAlloc(NULL, P->copy_buffer, MEM_COMMIT, PAGE_READWRITE);
    BYTE *dst = VirtualAlloc(NULL, P->copy_buffer, MEM_COMMIT, PAGE_READWRITE);
    UINT64 bytes = P->evict_high - P->evict_low, moved, moved_max = 0;
    NTSTATUS fail = 0;
    char note[128];
    double t;

    if (!src || !dst)
    {
        row_failed("eviction (pager), GB/s", "no copy buffers", STATUS_NO_MEMORY);
        return;
    }
    memset(src, 1, P->copy_buffer);
    memset(dst, 2, P->copy_buffer);   /* faulted in: the copy is the cheapest a copy gets */
    for (r = 0; r < reps; r++)
    {
        copy[r] = bytes / time_memcpy(dst, src, P->copy_buffer, bytes);
        t = evict_once(&moved, &fail, NULL);
        if (moved && t > 0) pager[good++] = moved / t;
        if (moved > moved_max) moved_max = moved;
    }
    baseline_line("memcpy, same bytes", fig(median(copy, reps), UNIT_GBPS), NULL);
    snprintf(note, sizeof(note), "(budget %llu -> %llu MiB: %llu MiB to move, %llu MiB moved)", P->evict_high / MB,
             P->evict_low / MB, bytes / MB, moved_max / MB);
    if (!good) row_failed("eviction (pager), GB/s", fail ? "a call failed" : "the pager moved nothing", fail);
    else row("eviction (pager), GB/s", fig(median(pager, good), UNIT_GBPS), fig(median(copy, reps), UNIT_GBPS),
             "memcpy", RATIO_AT_LEAST, 0.8, note);
    VirtualFree(src, 0, MEM_RELEASE);
    VirtualFree(dst, 0, MEM_RELEASE);
}

/* ================= create, destroy and random Lock at N live ================= */

struct population
{
    D3DKMT_HANDLE *h;
    UINT count, cap;
    NTSTATUS stop;             /* why the last fill ended early */
    BOOL timed_out;
};

static BOOL fill_to(struct population *pop, UINT target, UINT group, double deadline)
{
    NTSTATUS status;

    while (pop->count < target && pop->count < pop->cap)
    {
        if ((status = create_4k(group, &pop->h[pop->count])))
        {
            pop->stop = status;
            return FALSE;
        }
        pop->count++;
        if (!(pop->count & 255) && now_ns() > deadline)
        {
            pop->timed_out = TRUE;
            return FALSE;
        }
    }
    return pop->count >= target;
}

/* ns per create and per destroy of a batch at the current count. */
static void time_batch(struct population *pop, UINT group, double *create, double *destroy, NTSTATUS *fail)
{
    UINT base = pop->count, made = 0, i;
    double start = now_ns();
    NTSTATUS status;

    for (i = 0; i < P->level_batch && pop->count < pop->cap; i++)
    {
        if ((status = create_4k(group, &pop->h[pop->count])))
        {
            NOTE_FAIL(*fail, status);
            break;
        }
        pop->count++;
        made++;
    }
    *create = made ? (now_ns() - start) / made : 0;
    start = now_ns();
    destroy_from(pop->h, base, &pop->count);
    *destroy = made ? (now_ns() - start) / made : 0;
}

static UINT64 rng_state = 0x9e3779b97f4a7c15ull;

static UINT rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (UINT)(rng_state >> 16);
}

/* Lock's status; Unlock only after a Lock that succeeded. */
static NTSTATUS lock_unlock(D3DKMT_LOCK *lock, D3DKMT_UNLOCK *unlock, D3DKMT_HANDLE *alloc)
{
    NTSTATUS status;

    lock->hAllocation = *alloc;
    unlock->phAllocations = alloc;
    if (!(status = pLock(lock))) pUnlock(unlock);
    return status;
}

/* ns per Lock + Unlock of allocations picked at random among the live ones. */
static double time_random_lock(struct population *pop, D3DKMT_HANDLE *picks, NTSTATUS *fail)
{
    D3DKMT_UNLOCK unlock;
    D3DKMT_LOCK lock;
    double start;
    UINT i;

    for (i = 0; i < P->random_pairs; i++) picks[i] = pop->h[rng() % pop->count];
    memset(&lock, 0, sizeof(lock));
    memset(&unlock, 0, sizeof(unlock));
    lock.hDevice = unlock.hDevice = device;
    unlock.NumAllocations = 1;
    /* Untimed, each once: the first Lock of content on reused pages clears
     * it, which is not what this row measures. */
    for (i = 0; i < pop->count; i++) lock_unlock(&lock, &unlock, &pop->h[i]);
    start = now_ns();
    for (i = 0; i < P->random_pairs; i++) NOTE_FAIL(*fail, lock_unlock(&lock, &unlock, &picks[i]));
    return (now_ns() - start) / P->random_pairs;
}

/* A pointer chase round one random cycle through ring[0..n): ns per step.
 * With 8 bytes per live allocation it is what one random slot of a table
 * as big as the fast-lock table's live part costs in this process, now. */
static volatile UINT chase_sink;
static BOOL print_samples;     /* D3DKMT_BENCH_SAMPLES=1: each pass's samples too */

static double time_chase(UINT64 *ring, UINT n)
{
    UINT i, at = 0;
    double start;

    for (i = 0; i < n; i++) ring[i] = i;
    for (i = n - 1; i > 0; i--)   /* Sattolo's shuffle: a single n-cycle */
    {
        UINT j = rng() % i;
        UINT64 t = ring[i];

        ring[i] = ring[j];
        ring[j] = t;
    }
    start = now_ns();
    for (i = 0; i < P->random_pairs; i++) at = (UINT)ring[at];
    chase_sink = at;
    return (now_ns() - start) / P->random_pairs;
}

/* One level's samples, one per pass. */
struct level_samples
{
    double create[16], destroy[16], lock[16], chase[16];
    UINT count, live;
    NTSTATUS fail;
};

struct level_result
{
    UINT live;
    double create, destroy, lock, chase;
    NTSTATUS fail;
    BOOL measured;
};

static void sample_level(struct population *pop, D3DKMT_HANDLE *picks, UINT64 *ring, struct level_samples *s)
{
    UINT n = s->count++;

    s->live = pop->count;
    time_batch(pop, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, &s->create[n], &s->destroy[n], &s->fail);
    s->lock[n] = time_random_lock(pop, picks, &s->fail);
    s->chase[n] = ring && pop->count <= P->levels[4] ? time_chase(ring, pop->count) : 0;
    if (print_samples)
        printf("  pass %u, %u live: create %.0f ns, destroy %.0f ns, random Lock+Unlock %.0f ns, random read %.1f ns\n",
               n + 1, s->live, s->create[n], s->destroy[n], s->lock[n], s->chase[n]);
}

static void level_medians(struct level_samples *s, struct level_result *out)
{
    memset(out, 0, sizeof(*out));
    if (!s->count) return;
    out->live = s->live;
    out->create = median(s->create, s->count);
    out->destroy = median(s->destroy, s->count);
    out->lock = median(s->lock, s->count);
    out->chase = median(s->chase, s->count);
    out->fail = s->fail;
    out->measured = TRUE;
}

static void print_level(const struct level_result *res, const struct level_result *first,
                        const struct level_result *lock_base, BOOL lock_row, UINT level)
{
    char name[64], note[160];

    status_note(note, sizeof(note), "a call", res->fail);
    if (!res->measured)
    {
        snprintf(name, sizeof(name), "create 4 KiB at %u live", level);
        row_failed(name, "not reached (see the ceiling row)", 0);
        snprintf(name, sizeof(name), "destroy 4 KiB at %u live", level);
        row_failed(name, "not reached", 0);
        if (lock_row)
        {
            snprintf(name, sizeof(name), "random Lock+Unlock among %u live", level);
            row_failed(name, "not reached", 0);
        }
        return;
    }
    snprintf(name, sizeof(name), "create 4 KiB at %u live", res->live);
    if (res == first) row(name, ns(res->create), ns(syscall_ns), "syscall pair", VALUE_AT_MOST, 1500, note);
    else row(name, ns(res->create), ns(first->create), "at first level", RATIO_AT_MOST, 1.3, note);
    snprintf(name, sizeof(name), "destroy 4 KiB at %u live", res->live);
    if (res == first) row(name, ns(res->destroy), ns(syscall_ns), "syscall pair", TARGET_NONE, 0, note);
    else row(name, ns(res->destroy), ns(first->destroy), "at first level", RATIO_AT_MOST, 1.3, note);
    if (!lock_row) return;
    snprintf(name, sizeof(name), "random Lock+Unlock among %u live", res->live);
    if (res != lock_base && !res->fail)
        snprintf(note, sizeof(note), "(a random read of 8 B per live allocation: %.0f ns, %+.0f ns on the 2nd level)",
                 res->chase, res->chase - lock_base->chase);
    if (res == lock_base) row(name, ns(res->lock), ns(syscall_ns), "syscall pair", TARGET_NONE, 0, note);
    else row(name, ns(res->lock), ns(lock_base->lock), "at 2nd level", RATIO_AT_MOST, 1.5, note);
}

/* The top level's Lock against, pass by pass, the 2nd level's plus what a
 * random read of the same footprint grew by in that pass: 1.0x when that
 * one miss is all the Lock added. */
static void print_miss_row(const struct level_samples *top, const struct level_samples *second)
{
    UINT i, n = top->count < second->count ? top->count : second->count;
    double lock[16], base[16];
    char name[64];

    snprintf(name, sizeof(name), "random Lock+Unlock among %u live", top->live);
    if (top == second || !n || !top->chase[0])
    {
        row_failed("random Lock+Unlock, top level vs a miss", "no level above the 2nd or no chase buffer", 0);
        return;
    }
    for (i = 0; i < n; i++)
    {
        lock[i] = top->lock[i];
        base[i] = second->lock[i] + top->chase[i] - second->chase[i];
    }
    row(name, ns(median(lock, n)), ns(median(base, n)), "2nd level + read growth", TARGET_NONE, 0, NULL);
}

/* Is the rest of the process still whole (the mapping limit starves it)? */
static const char *process_state(void)
{
    void *mem = VirtualAlloc(NULL, 16 * MB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    void *heap = HeapAlloc(GetProcessHeap(), 0, MB);
    const char *state = mem && heap ? "process still allocates" : "VirtualAlloc or HeapAlloc fails now";

    if (mem) VirtualFree(mem, 0, MEM_RELEASE);
    if (heap) HeapFree(GetProcessHeap(), 0, heap);
    return state;
}

static void print_ceiling(const char *name, const struct population *pop, double seconds)
{
    char note[192];

    if (pop->stop)
        snprintf(note, sizeof(note), "(create failed: %#lx, after %.1f s; %s)", (unsigned long)pop->stop, seconds,
                 process_state());
    else if (pop->timed_out)
        snprintf(note, sizeof(note), "(time budget of %.0f s ran out)", P->ceiling_seconds);
    else snprintf(note, sizeof(note), "(cap reached, no failure, %.1f s)", seconds);
    row(name, fig(pop->count, UNIT_COUNT), fig(P->ceiling_cap, UNIT_COUNT), "cap", VALUE_AT_LEAST, P->ceiling_cap, note);
}

/* One pass up through the levels, a sample at each, then all destroyed;
 * FALSE when the fill stopped short of the top. */
static BOOL population_pass(struct population *pop, D3DKMT_HANDLE *picks, UINT64 *ring,
                            struct level_samples *s)
{
    double deadline = now_ns() + P->ceiling_seconds * 1e9;
    BOOL reached = TRUE;
    UINT i;

    for (i = 0; i < 5 && reached; i++)
    {
        reached = fill_to(pop, P->levels[i], D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, deadline);
        if (!reached && (!pop->count || (i && s[i - 1].count && s[i - 1].live >= pop->count))) break;
        /* Short of the level: measure where the fill stopped, with room for a batch. */
        if (!reached) destroy_from(pop->h, pop->count > P->level_batch ? pop->count - P->level_batch : 0, &pop->count);
        if (pop->count) sample_level(pop, picks, ring, &s[i]);
    }
    destroy_from(pop->h, 0, &pop->count);
    return reached;
}

/* The levels are measured in passes (each pass fills from none to the top
 * and empties again), so that a slow spell of this VM spoils one sample of
 * every level instead of all samples of one. */
static void bench_population(void)
{
    struct population pop = { 0 };
    struct level_samples samples[5];
    struct level_result res[5];
    D3DKMT_HANDLE *picks = new_handles(P->random_pairs);
    /* No level holds more than its target when its chase runs. */
    UINT64 *ring = VirtualAlloc(NULL, (SIZE_T)P->levels[4] * sizeof(*ring), MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    UINT i, pass, top = 0;
    double start;

    memset(samples, 0, sizeof(samples));
    pop.cap = P->ceiling_cap + P->level_batch;
    if (!picks || !(pop.h = new_handles(pop.cap))) return;
    for (pass = 0; pass < P->reps; pass++)
        if (!population_pass(&pop, picks, ring, samples)) break;
    for (i = 0; i < 5; i++)
    {
        level_medians(&samples[i], &res[i]);
        if (res[i].measured) top = i;
    }
    for (i = 0; i < 5; i++) print_level(&res[i], &res[0], &res[1], i >= 1, P->levels[i]);
    print_miss_row(&samples[top], &samples[1]);
    pop.stop = 0;
    pop.timed_out = FALSE;
    start = now_ns();
    fill_to(&pop, P->ceiling_cap, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, start + P->ceiling_seconds * 1e9);
    print_ceiling("live 4 KiB non-local allocations", &pop, (now_ns() - start) / 1e9);
    destroy_from(pop.h, 0, &pop.count);
    if (ring) VirtualFree(ring, 0, MEM_RELEASE);
    HeapFree(GetProcessHeap(), 0, pop.h);
    HeapFree(GetProcessHeap(), 0, picks);
}

/* ================= creates in a full local segment; local ceiling ================= */

/* Creates per second of a batch, then destroys it. */
static double create_rate(struct population *pop, NTSTATUS *fail, double deadline)
{
    UINT base = pop->count, made;
    double start = now_ns(), elapsed;
    NTSTATUS status;

    while (pop->count - base < P->full_batch && pop->count < pop->cap)
    {
        if ((status = create_4k(D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &pop->h[pop->count])))
        {
            NOTE_FAIL(*fail, status);
            break;
        }
        pop->count++;
        if (now_ns() > deadline) break;
    }
    elapsed = now_ns() - start;
    made = pop->count - base;
    destroy_from(pop->h, base, &pop->count);
    return elapsed > 0 ? made / elapsed * 1e9 : 0;
}

static void bench_full_segment(void)
{
    struct population pop = { 0 };
    double empty[16], full[16], start, deadline;
    D3DKMT_WINE_ESCAPE stats;
    NTSTATUS fail = 0;
    UINT r, fill = (UINT)(P->full_budget / 4096);
    char note[128];

    pop.cap = P->ceiling_cap + P->full_batch;
    if (!(pop.h = new_handles(pop.cap))) return;
    start = now_ns();
    deadline = start + P->ceiling_seconds * 1e9;
    NOTE_FAIL(fail, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, P->full_budget, NULL));
    fill_to(&pop, fill, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, deadline);
    for (r = 0; r < P->reps; r++)
    {
        /* The same allocations live; only whether the budget is reached differs. */
        NOTE_FAIL(fail, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL));
        empty[r] = create_rate(&pop, &fail, now_ns() + 5e9);
        NOTE_FAIL(fail, escape(D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &stats));
        NOTE_FAIL(fail, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, stats.LocalUsage, NULL));
        full[r] = create_rate(&pop, &fail, now_ns() + 5e9);
    }
    snprintf(note, sizeof(note), "(%u live, budget %llu MiB)", pop.count, P->full_budget / MB);
    /* Without the budget escape the segment was never full: no figure. */
    if (fail) row_failed("create 4 KiB, local segment full", "the budget escape or a create failed", fail);
    else row("create 4 KiB, local segment full", fig(median(full, P->reps), UNIT_PER_S),
             fig(median(empty, P->reps), UNIT_PER_S), "budget not reached", RATIO_AT_LEAST, 0.8, note);
    /* Then on, over-committed, to the ceiling. */
    NOTE_FAIL(fail, escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, P->full_budget, NULL));
    fill_to(&pop, P->ceiling_cap, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, deadline);
    print_ceiling("live 4 KiB local allocations (over-committed)", &pop, (now_ns() - start) / 1e9);
    destroy_from(pop.h, 0, &pop.count);
    escape(D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL);
    HeapFree(GetProcessHeap(), 0, pop.h);
}

/* ================= MakeResident, Evict, Offer of many handles ================= */

/* Another thread asks QueryVideoMemoryInfo all the time; its longest wait
 * in a window is the figure. */
static volatile LONG query_stop, query_calls;
static volatile LONG64 query_max_ns;
/* The control: the same thread's longest bare syscall pair, timed between
 * its queries.  When it stalls as long, the machine (scheduling, the
 * kernel) held the thread, not a lock of ours. */
static volatile LONG64 control_max_ns;

static DWORD WINAPI query_proc(void *arg)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    double start;
    LONG64 took;

    memset(&info, 0, sizeof(info));
    info.hAdapter = adapter;
    while (!query_stop)
    {
        start = now_ns();
        pQueryVideoMemoryInfo(&info);
        took = (LONG64)(now_ns() - start);
        if (took > query_max_ns) query_max_ns = took;
        start = now_ns();
        syscall_pair();
        took = (LONG64)(now_ns() - start);
        if (took > control_max_ns) control_max_ns = took;
        InterlockedIncrement(&query_calls);
    }
    return 0;
}

static void window_begin(void)
{
    InterlockedExchange64(&query_max_ns, 0);
    InterlockedExchange64(&control_max_ns, 0);
}

/* The longest wait since window_begin, once a call that began in the window ended. */
static double window_end(void)
{
    LONG calls = query_calls;
    double give_up = now_ns() + 2e9;

    while (query_calls - calls < 2 && now_ns() < give_up) Sleep(0);
    return (double)query_max_ns;
}

enum residency_op { OP_MAKE_RESIDENT, OP_EVICT, OP_OFFER, OP_RECLAIM, OP_COUNT };
static const char *const op_names[OP_COUNT] = { "MakeResident", "Evict", "Offer", "Reclaim" };

static NTSTATUS residency_call(enum residency_op op, const D3DKMT_HANDLE *list, UINT count)
{
    D3DDDI_MAKERESIDENT resident;
    D3DKMT_EVICT evict;
    D3DKMT_OFFERALLOCATIONS offer;
    D3DKMT_RECLAIMALLOCATIONS reclaim;
    NTSTATUS status;

    switch (op)
    {
    case OP_MAKE_RESIDENT:
        memset(&resident, 0, sizeof(resident));
        resident.hPagingQueue = paging_queue;
        resident.AllocationList = list;
        resident.NumAllocations = count;
        status = pMakeResident(&resident);
        return status == STATUS_PENDING ? STATUS_SUCCESS : status;
    case OP_EVICT:
        memset(&evict, 0, sizeof(evict));
        evict.hDevice = device;
        evict.AllocationList = list;
        evict.NumAllocations = count;
        return pEvict(&evict);
    case OP_OFFER:
        memset(&offer, 0, sizeof(offer));
        offer.hDevice = device;
        offer.HandleList = list;
        offer.NumAllocations = count;
        offer.Priority = D3DKMT_OFFER_PRIORITY_LOW;
        return pOfferAllocations(&offer);
    default:
        memset(&reclaim, 0, sizeof(reclaim));
        reclaim.hDevice = device;
        reclaim.HandleList = list;
        reclaim.NumAllocations = count;
        return pReclaimAllocations(&reclaim);
    }
}

/* ns of one op over the whole list in one call (chunks == 1) or in chunks. */
static double time_residency(enum residency_op op, const D3DKMT_HANDLE *list, UINT chunks, double *wait, NTSTATUS *fail)
{
    UINT per = P->handles / chunks, i;
    double start, elapsed;

    window_begin();
    start = now_ns();
    for (i = 0; i < chunks; i++) NOTE_FAIL(*fail, residency_call(op, list + i * per, per));
    elapsed = now_ns() - start;
    if (wait) *wait = window_end();
    escape(D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
    return elapsed;
}

static void print_residency(enum residency_op op, double *whole, double *chunked, NTSTATUS fail)
{
    char name[64], base[48], note[64];

    snprintf(name, sizeof(name), "%s of %u handles", op_names[op], P->handles);
    snprintf(base, sizeof(base), "%u calls of %u", P->chunks, P->handles / P->chunks);
    status_note(note, sizeof(note), op_names[op], fail);
    row(name, ns(median(whole, P->reps)), ns(median(chunked, P->reps)), base, RATIO_AT_MOST, 1.3, note);
}

static BOOL residency_setup(D3DKMT_HANDLE *list, UINT *count)
{
    D3DKMT_CREATEPAGINGQUEUE queue;
    NTSTATUS status;

    memset(&queue, 0, sizeof(queue));
    queue.hDevice = device;
    if ((status = pCreatePagingQueue(&queue)))
    {
        row_failed("MakeResident / Evict / Offer", "CreatePagingQueue", status);
        return FALSE;
    }
    paging_queue = queue.hPagingQueue;
    for (*count = 0; *count < P->handles; (*count)++)
        if ((status = create_4k(D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &list[*count])))
        {
            row_failed("MakeResident / Evict / Offer", "create", status);
            return FALSE;
        }
    return TRUE;
}

static void bench_residency(void)
{
    double whole[OP_COUNT][16], chunked[OP_COUNT][16], waits[16 * 3], idle[16], w, span;
    D3DKMT_HANDLE *list = new_handles(P->handles);
    NTSTATUS fail[OP_COUNT] = { 0 };
    D3DDDI_DESTROYPAGINGQUEUE destroy;
    HANDLE thread = NULL;
    UINT count = 0, r, op, nwaits = 0;
    char note[64];

    if (!list) return;
    if (!residency_setup(list, &count)) goto done;
    query_stop = 0;
    thread = CreateThread(NULL, 0, query_proc, NULL, 0, NULL);
    for (r = 0; r < P->reps; r++)
    {
        span = 0;
        for (op = 0; op < OP_COUNT; op++)
        {
            whole[op][r] = time_residency(op, list, 1, &w, &fail[op]);
            if (op != OP_RECLAIM) waits[nwaits++] = w;
            span += whole[op][r];
        }
        for (op = 0; op < OP_COUNT; op++) chunked[op][r] = time_residency(op, list, P->chunks, NULL, &fail[op]);
        /* The same thread's waits while nothing of ours runs: bare syscalls for as long. */
        window_begin();
        for (w = now_ns() + span; now_ns() < w;) syscall_pair();
        idle[r] = window_end();
    }
    for (op = 0; op < OP_RECLAIM; op++) print_residency(op, whole[op], chunked[op], fail[op]);
    qsort(waits, nwaits, sizeof(*waits), compare_double);
    snprintf(note, sizeof(note), "(longest of %u ops; median op's longest %.2f ms)", nwaits,
             median(waits, nwaits) / 1e6);
    row("longest QueryVideoMemoryInfo wait", ns(waits[nwaits - 1]), ns(median(idle, P->reps)), "when idle",
        VALUE_AT_MOST, 1e6, note);
    query_stop = 1;
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
done:
    destroy_from(list, 0, &count);
    if (paging_queue)
    {
        destroy.hPagingQueue = paging_queue;
        pDestroyPagingQueue(&destroy);
    }
    HeapFree(GetProcessHeap(), 0, list);
}

/* ================= pSystemMem: the caller's region size ================= */

/* ns per create (the destroys between them not counted) of an allocation
 * in the caller's region; each create is microseconds, many clock ticks. */
static double time_sysmem(void *region, UINT64 size, NTSTATUS *fail)
{
    double total = 0, start;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;
    UINT i;

    for (i = 0; i < P->sysmem_pairs; i++)
    {
        start = now_ns();
        status = create_sized(size, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, region, &alloc);
        total += now_ns() - start;
        NOTE_FAIL(*fail, status);
        if (!status) destroy_alloc(device, alloc);
    }
    return total / P->sysmem_pairs;
}

static void bench_sysmem(void)
{
    void *small = VirtualAlloc(NULL, MB, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    void *big = VirtualAlloc(NULL, P->big_region, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    double t_small[16], t_big[16];
    NTSTATUS fail_small = 0, fail_big = 0;
    char name[64], note[64];
    UINT r;

    snprintf(name, sizeof(name), "create, pSystemMem %llu MiB", P->big_region / MB);
    if (!small || !big)
    {
        row_failed("create, pSystemMem 1 MiB", "VirtualAlloc", STATUS_NO_MEMORY);
        row_failed(name, "VirtualAlloc", STATUS_NO_MEMORY);
    }
    else
    {
        for (r = 0; r < P->reps; r++)
        {
            t_small[r] = time_sysmem(small, MB, &fail_small);
            t_big[r] = time_sysmem(big, P->big_region, &fail_big);
        }
        status_note(note, sizeof(note), "create", fail_small);
        row("create, pSystemMem 1 MiB", ns(median(t_small, P->reps)), ns(syscall_ns), "syscall pair",
            TARGET_NONE, 0, note);
        status_note(note, sizeof(note), "create", fail_big);
        row(name, ns(median(t_big, P->reps)), ns(median(t_small, P->reps)), "1 MiB region", RATIO_AT_MOST, 1.3, note);
    }
    if (small) VirtualFree(small, 0, MEM_RELEASE);
    if (big) VirtualFree(big, 0, MEM_RELEASE);
}

/* ================= sync objects: CPU signal and wait ================= */

static NTSTATUS fence_create(D3DKMT_HANDLE *fence)
{
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.Info.Type = D3DDDI_MONITORED_FENCE;
    status = pCreateSynchronizationObject2(&desc);
    *fence = status ? 0 : desc.hSyncObject;
    return status;
}

static void fence_destroy(D3DKMT_HANDLE fence)
{
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT desc = { fence };
    if (fence) pDestroySynchronizationObject(&desc);
}

static NTSTATUS fence_signal(D3DKMT_HANDLE fence, UINT64 value)
{
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.ObjectCount = 1;
    desc.ObjectHandleArray = &fence;
    desc.FenceValueArray = &value;
    return pSignalSynchronizationObjectFromCpu(&desc);
}

/* Blocking when event is NULL, else returns at once and sets the event. */
static NTSTATUS fence_wait(D3DKMT_HANDLE fence, UINT64 value, HANDLE event)
{
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.ObjectCount = 1;
    desc.ObjectHandleArray = &fence;
    desc.FenceValueArray = &value;
    desc.hAsyncEvent = event;
    return pWaitForSynchronizationObjectFromCpu(&desc);
}

/* A timeout, not INFINITE: a lost wake-up fails the row instead of hanging make check. */
static NTSTATUS event_wait(HANDLE event)
{
    return WaitForSingleObject(event, 10000) == WAIT_OBJECT_0 ? STATUS_SUCCESS : STATUS_TIMEOUT;
}

/* ns per Signal(v) + Wait(v) on one fence: the wait finds its value reached. */
static double time_fence_pairs(D3DKMT_HANDLE fence, UINT64 *value, UINT n, NTSTATUS *fail)
{
    double start = now_ns();
    UINT i;

    for (i = 0; i < n; i++)
    {
        ++*value;
        NOTE_FAIL(*fail, fence_signal(fence, *value));
        NOTE_FAIL(*fail, fence_wait(fence, *value, NULL));
    }
    return (now_ns() - start) / n;
}

/* ns per SetEvent + WaitForSingleObject: the wait finds the event signalled. */
static double time_event_pairs(HANDLE event, UINT n, NTSTATUS *fail)
{
    double start = now_ns();
    UINT i;

    for (i = 0; i < n; i++)
    {
        SetEvent(event);
        NOTE_FAIL(*fail, WaitForSingleObject(event, INFINITE) == WAIT_OBJECT_0 ? 0 : STATUS_UNSUCCESSFUL);
    }
    return (now_ns() - start) / n;
}

/* Two threads hand a token back and forth: side 0 is main -> partner, side 1
 * partner -> main.  A round trip is two wake-ups of a blocked thread. */
enum pp_kind { PP_FENCE, PP_FENCE_ASYNC, PP_EVENT };

struct pingpong
{
    enum pp_kind kind;
    D3DKMT_HANDLE fence[2];
    HANDLE event[2];           /* the event ping-pong's, or the async waits' */
    UINT64 base;               /* both fences' value before this batch */
    UINT rounds;
    NTSTATUS partner_fail;
};

static NTSTATUS pp_signal(struct pingpong *pp, UINT side, UINT64 value)
{
    if (pp->kind == PP_EVENT) return SetEvent(pp->event[side]) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
    return fence_signal(pp->fence[side], value);
}

static NTSTATUS pp_wait(struct pingpong *pp, UINT side, UINT64 value)
{
    NTSTATUS status;

    switch (pp->kind)
    {
    case PP_EVENT: return event_wait(pp->event[side]);
    case PP_FENCE: return fence_wait(pp->fence[side], value, NULL);
    default:
        if ((status = fence_wait(pp->fence[side], value, pp->event[side]))) return status;
        return event_wait(pp->event[side]);
    }
}

static DWORD WINAPI pp_partner(void *arg)
{
    struct pingpong *pp = arg;
    UINT i;

    for (i = 0; i <= pp->rounds; i++)
    {
        NOTE_FAIL(pp->partner_fail, pp_wait(pp, 0, pp->base + i + 1));
        NOTE_FAIL(pp->partner_fail, pp_signal(pp, 1, pp->base + i + 1));
    }
    return 0;
}

/* ns per one-way wake-up: round trips / 2; round 0 (the thread's start) not timed. */
static double time_pingpong(struct pingpong *pp, enum pp_kind kind, NTSTATUS *fail)
{
    HANDLE thread;
    double start = 0, elapsed;
    UINT i;

    pp->kind = kind;
    pp->rounds = P->pingpongs;
    pp->partner_fail = 0;
    if (!(thread = CreateThread(NULL, 0, pp_partner, pp, 0, NULL)))
    {
        NOTE_FAIL(*fail, STATUS_NO_MEMORY);
        return 0;
    }
    for (i = 0; i <= pp->rounds; i++)
    {
        if (i == 1) start = now_ns();
        NOTE_FAIL(*fail, pp_signal(pp, 0, pp->base + i + 1));
        NOTE_FAIL(*fail, pp_wait(pp, 1, pp->base + i + 1));
    }
    elapsed = now_ns() - start;
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    NOTE_FAIL(*fail, pp->partner_fail);
    if (kind != PP_EVENT) pp->base += pp->rounds + 1;
    return elapsed / pp->rounds / 2;
}

static const char *const sync_rows[] =
{
    "Signal + Wait from CPU, value reached", "Signal + Wait from CPU, value reached",
    "blocked CPU Wait woken by Signal", "blocked CPU Wait woken by Signal",
    "hAsyncEvent Wait + event wait, woken", "hAsyncEvent Wait + event wait, woken",
};

/* Fences and events for the section; FALSE (rows failed) when the calls do
 * not work, since a blocking wait whose signal fails would never return. */
static BOOL sync_setup(struct pingpong *pp, D3DKMT_HANDLE *fence, HANDLE *event)
{
    NTSTATUS status = 0;
    UINT i;

    NOTE_FAIL(status, fence_create(fence));
    for (i = 0; i < 2; i++)
    {
        NOTE_FAIL(status, fence_create(&pp->fence[i]));
        NOTE_FAIL(status, fence_signal(pp->fence[i], 1));
        NOTE_FAIL(status, fence_wait(pp->fence[i], 1, NULL));
        if (!(pp->event[i] = CreateEventA(NULL, FALSE, FALSE, NULL))) NOTE_FAIL(status, STATUS_NO_MEMORY);
    }
    pp->base = 1;
    if (!(*event = CreateEventA(NULL, FALSE, FALSE, NULL))) NOTE_FAIL(status, STATUS_NO_MEMORY);
    if (!status) return TRUE;
    for (i = 0; i < ARRAY_SIZE(sync_rows); i++) row_failed(sync_rows[i], "create, signal or wait of a fence", status);
    return FALSE;
}

static void sync_cleanup(struct pingpong *pp, D3DKMT_HANDLE fence, HANDLE event)
{
    UINT i;

    fence_destroy(fence);
    for (i = 0; i < 2; i++)
    {
        fence_destroy(pp->fence[i]);
        if (pp->event[i]) CloseHandle(pp->event[i]);
    }
    if (event) CloseHandle(event);
}

static void bench_sync(void)
{
    double sys[16], pair[16], ev[16], blocked[16], async[16], evpp[16];
    NTSTATUS fail_pair = 0, fail_ev = 0, fail_blocked = 0, fail_async = 0, fail_evpp = 0;
    struct pingpong pp;
    D3DKMT_HANDLE fence = 0;
    HANDLE event = NULL;
    UINT64 value = 0;
    double sys_ns, ev_ns, evpp_ns;
    char note[96];
    UINT r;

    memset(&pp, 0, sizeof(pp));
    if (sync_setup(&pp, &fence, &event))
    {
        for (r = 0; r < P->reps; r++)
        {
            sys[r] = time_syscall_pairs(P->sync_pairs);
            pair[r] = time_fence_pairs(fence, &value, P->sync_pairs, &fail_pair);
            ev[r] = time_event_pairs(event, P->sync_pairs, &fail_ev);
            blocked[r] = time_pingpong(&pp, PP_FENCE, &fail_blocked);
            async[r] = time_pingpong(&pp, PP_FENCE_ASYNC, &fail_async);
            evpp[r] = time_pingpong(&pp, PP_EVENT, &fail_evpp);
        }
        sys_ns = median(sys, P->reps);
        ev_ns = median(ev, P->reps);
        evpp_ns = median(evpp, P->reps);
        status_note(note, sizeof(note), "SetEvent or wait", fail_ev);
        baseline_line("SetEvent + WaitForSingleObject (signalled)", ns(ev_ns), *note ? note : NULL);
        status_note(note, sizeof(note), "event ping-pong", fail_evpp);
        baseline_line("event ping-pong, one way (round trip / 2)", ns(evpp_ns), *note ? note : NULL);
        status_note(note, sizeof(note), "signal or wait", fail_pair);
        row(sync_rows[0], ns(median(pair, P->reps)), ns(sys_ns), "syscall pair", TARGET_NONE, 0, note);
        row(sync_rows[1], ns(median(pair, P->reps)), ns(ev_ns), "SetEvent + Wait", TARGET_NONE, 0, note);
        status_note(note, sizeof(note), "signal or wait", fail_blocked);
        row(sync_rows[2], ns(median(blocked, P->reps)), ns(evpp_ns), "event ping-pong", TARGET_NONE, 0, note);
        row(sync_rows[3], ns(median(blocked, P->reps)), ns(sys_ns), "syscall pair", TARGET_NONE, 0, note);
        status_note(note, sizeof(note), "signal or wait", fail_async);
        row(sync_rows[4], ns(median(async, P->reps)), ns(evpp_ns), "event ping-pong", TARGET_NONE, 0, note);
        row(sync_rows[5], ns(median(async, P->reps)), ns(sys_ns), "syscall pair", TARGET_NONE, 0, note);
    }
    sync_cleanup(&pp, fence, event);
}

/* ================= the run ================= */

struct section
{
    const char *name;
    void (*run)(void);
    UINT rows;                 /* lines of the table it must print */
};

/* Another thread's QueryVideoMemoryInfo while the pager evicts (it copies
 * with the GPU lock dropped). */
static void bench_eviction_wait(void)
{
    UINT reps = P->reps < 3 ? P->reps : 3, r, good = 0;
    double waits[16], controls[16], w;
    NTSTATUS fail = 0;
    UINT64 moved;
    HANDLE thread;
    char note[128];

    query_stop = 0;
    thread = CreateThread(NULL, 0, query_proc, NULL, 0, NULL);
    for (r = 0; r < reps; r++)
    {
        w = 0;
        evict_once(&moved, &fail, &w);
        if (moved)
        {
            controls[good] = (double)control_max_ns;
            waits[good++] = w;
        }
    }
    query_stop = 1;
    if (thread)
    {
        WaitForSingleObject(thread, INFINITE);
        CloseHandle(thread);
    }
    if (!good) row_failed("QueryVideoMemoryInfo wait while evicting", "the pager moved nothing", fail);
    else
    {
        qsort(waits, good, sizeof(*waits), compare_double);
        qsort(controls, good, sizeof(*controls), compare_double);
        snprintf(note, sizeof(note), "(longest of the runs; a bare syscall pair in that thread: up to %.2f ms)",
                 controls[good - 1] / 1e6);
        row("QueryVideoMemoryInfo wait while evicting", ns(waits[good - 1]), ns(waits[0]), "shortest run",
            VALUE_AT_MOST, 1e6, note);
    }
}

static const struct section sections[] =
{
    { "Lock, Lock2, CreateAllocation2", bench_lock, 3 },
    { "threads", bench_threads, 2 },
    { "metadata", bench_metadata, 1 },
    { "eviction", bench_eviction, 1 },
    { "eviction wait", bench_eviction_wait, 1 },
    { "live allocations", bench_population, 16 },
    { "full local segment", bench_full_segment, 2 },
    { "residency lists", bench_residency, 4 },
    { "pSystemMem", bench_sysmem, 2 },
    { "sync objects", bench_sync, 6 },
};

/* A function this module does not export fails like a call that is refused. */
static NTSTATUS WINAPI missing_export(void *desc)
{
    return STATUS_NOT_IMPLEMENTED;
}

static void stub_missing_exports(void)
{
#define X(name, type) if (!p##name) { printf("bench: D3DKMT" #name " is missing\n"); \
                                      p##name = (PFND3DKMT_##type)(void *)missing_export; }
    D3DKMT_EXPORTS(X)
#undef X
}

static BOOL is_short(int argc, char **argv)
{
    char value[8];
    int i;

    for (i = 1; i < argc; i++) if (!strcmp(argv[i], "--short")) return TRUE;
    return GetEnvironmentVariableA("D3DKMT_BENCH_SHORT", value, sizeof(value)) && value[0] == '1';
}

int main(int argc, char **argv)
{
    double start = now_ns();
    UINT i, before, incomplete = 0;
    char only[64], value[8];

    P = is_short(argc, argv) ? &short_form : &full_form;
    /* For profiling: D3DKMT_BENCH_ONLY=<part of a section's name> runs that section alone. */
    if (!GetEnvironmentVariableA("D3DKMT_BENCH_ONLY", only, sizeof(only))) only[0] = 0;
    print_samples = GetEnvironmentVariableA("D3DKMT_BENCH_SAMPLES", value, sizeof(value)) && value[0] == '1';
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!load_d3dkmt() || !load_wine_syscall() || open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        printf("bench: d3dkmt.dll, gdi32's D3DKMTCloseAdapter or an adapter is missing\n");
        return 1;
    }
    stub_missing_exports();
    have_escape = !escape(D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL);
    printf("d3dkmt bench (%s form; medians of %u interleaved repetitions%s)\n", P == &short_form ? "short" : "full",
           P->reps, have_escape ? "" : "; no test escape: budget rows fail");
    for (i = 0; i < ARRAY_SIZE(sections); i++)
    {
        before = rows_printed;
        /* make bench stays under 3 minutes whatever the tree's speed. */
        if (P != &short_form && now_ns() - start > 120e9)
        {
            printf("bench: over 120 s so far: the rest runs in the short form\n");
            P = &short_form;
        }
        if (only[0] && !strstr(sections[i].name, only)) continue;
        printf("-- %s\n", sections[i].name);
        sections[i].run();
        if (rows_printed - before != sections[i].rows)
        {
            printf("bench: section \"%s\" printed %u rows of %u\n", sections[i].name, rows_printed - before,
                   sections[i].rows);
            incomplete++;
        }
    }
    printf("bench: %u rows, %u targets missed, %u not measured, %.1f s\n", rows_printed, rows_missed, rows_failed,
           (now_ns() - start) / 1e9);
    destroy_device(device);
    close_adapter(adapter);
    return incomplete;
}
