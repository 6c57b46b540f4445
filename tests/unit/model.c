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
 * Concurrent model-based tester: worker threads run random sequences of
 * create/destroy/lock/unlock/MakeResident/Evict/Offer/Reclaim/priority/
 * open-resource/destroy-device/close-adapter calls on SHARED objects,
 * destroying objects other threads are using, and a shadow model checks:
 *   - every status is one the call may return in that situation (a call
 *     whose objects were destroyed while it ran may also see
 *     STATUS_INVALID_PARAMETER; nothing else changes what is allowed);
 *   - every byte written under a lock reads back at the next lock (content
 *     slots; their content is only touched with the slot's mutex held, and
 *     Offer/Reclaim there tell when the content may be gone);
 *   - object counts, usage, backing bytes and budget claim are zero at the end.
 * A watchdog turns a hang into a failure and prints every worker's current
 * operation and stack.
 *
 * Objects live in slots: device slots (a device, its paging queue and the
 * adapter handle it is on) each with allocation slots.  A slot's sequence
 * number is even while its objects are live; whoever makes it odd (a CAS)
 * owns the slot until it stores the next even value, and may destroy and
 * re-create its objects meanwhile.  Other threads read a handle between two
 * reads of the sequence; if it changed by the end of their call, the object
 * may have gone while they used it.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <execinfo.h>
#endif

#include "model_backend.h"
#include "wine-d3dkmt/d3dkmt_status.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

#define DEVICES 4
#define ALLOCS 8           /* per device; even ones are content slots, odd ones chaos slots */
#define MAX_THREADS 8
#define STALL_SECONDS 30   /* no worker finished an operation for this long: a hang */

#define CV D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE
#define SWIZZLED D3DKMT_WINE_ALLOC_FLAG_SWIZZLED

struct alloc_slot
{
    atomic_uint seq;
    atomic_uint handle, resource, global;
    uint64_t size;
    uint32_t group, flags;
    int shared;
    pthread_mutex_t content;     /* content slots: lock/verify/write, offer/reclaim, destroy */
    uint32_t seed;               /* content: the pattern last written, under content */
    int known;                   /* content: seed is what the memory holds */
};

struct device_slot
{
    atomic_uint seq;
    atomic_uint device, queue, adapter;
    int own_adapter;             /* adapter is a second handle of ours, closed with the device */
    struct alloc_slot allocs[ALLOCS];
};

struct worker
{
    struct model *m;
    pthread_t thread;
    int id;
    uint64_t rng;
    atomic_ulong ops;
    const char *volatile op;     /* current operation, for the watchdog */
    volatile uint32_t op_handle;
};

struct model
{
    const struct model_backend *b;
    uint32_t adapter;            /* lives for the whole run */
    struct device_slot devices[DEVICES];
    struct worker workers[MAX_THREADS];
    unsigned int threads;
    atomic_int stop, failures;
    pthread_mutex_t print_lock;
};

static uint32_t rnd(struct worker *w)
{
    w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(w->rng >> 33);
}

static void failure(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failure(struct model *m, const char *fmt, ...)
{
    va_list args;

    if (atomic_fetch_add(&m->failures, 1) >= 20) return;   /* the first ones tell */
    pthread_mutex_lock(&m->print_lock);
    va_start(args, fmt);
    fprintf(stderr, "model: FAIL: ");
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    pthread_mutex_unlock(&m->print_lock);
}

/* ---- status rules ---- */

/* A status the call may return: one of `allowed` (0-terminated list, SUCCESS
 * written as 0 first), or STATUS_INVALID_PARAMETER when its objects went away. */
static void check(struct model *m, struct worker *w, const char *call, model_status status, int gone,
                  const model_status *allowed, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++) if (status == allowed[i]) return;
    if (gone && status == (model_status)STATUS_INVALID_PARAMETER) return;
    failure(m, "thread %d: %s on %#x: status %#x%s", w ? w->id : -1, call, w ? w->op_handle : 0,
            (unsigned int)status, gone ? " (objects destroyed meanwhile)" : "");
}

#define CHECK(m, w, call, status, gone, ...) do { \
        static const model_status allowed_[] = { __VA_ARGS__ }; \
        check(m, w, call, status, gone, allowed_, sizeof(allowed_) / sizeof(allowed_[0])); } while (0)

/* ---- slots ---- */

static const struct { uint64_t size; uint32_t group, flags; } kinds[ALLOCS] =
{
    { 8192, 0, CV }, { 4096, 0, CV },          /* local, CPU-visible */
    { 4096, 0, 0 }, { 8192, 0, 0 },            /* local, lock must evict */
    { 16384, 1, CV }, { 4096, 1, CV },         /* non-local */
    { 4096, 0, SWIZZLED | CV }, { 65536, 0, CV },
};

/* A consistent snapshot of a slot's handle; seq is odd if it is changing. */
static uint32_t read_handle(atomic_uint *seq, atomic_uint *handle, unsigned int *seen)
{
    unsigned int before, after;
    uint32_t value;

    do
    {
        before = atomic_load(seq);
        value = atomic_load(handle);
        after = atomic_load(seq);
    } while (before != after);
    *seen = before;
    return value;
}

static int claim(atomic_uint *seq)
{
    unsigned int value = atomic_load(seq);
    return !(value & 1) && atomic_compare_exchange_strong(seq, &value, value + 1);
}

static void release_claim(atomic_uint *seq)
{
    atomic_fetch_add(seq, 1);
}

static void pattern_write(void *ptr, uint64_t size, uint32_t seed)
{
    uint32_t *p = ptr;
    uint64_t i;

    for (i = 0; i < size / 4; i++) p[i] = seed ^ (uint32_t)(i * 2654435761u);
}

static int pattern_check(const void *ptr, uint64_t size, uint32_t seed, uint64_t *bad)
{
    const uint32_t *p = ptr;
    uint64_t i;

    for (i = 0; i < size / 4; i++)
        if (p[i] != (seed ^ (uint32_t)(i * 2654435761u)))
        {
            *bad = i * 4;
            return 0;
        }
    return 1;
}

/* Creates the slot's allocation; the slot is claimed (or not yet shared). */
static void alloc_slot_create(struct model *m, struct worker *w, struct device_slot *d, int index)
{
    struct alloc_slot *a = &d->allocs[index];
    uint32_t handle = 0, resource = 0, global = 0;
    model_status status;

    status = m->b->create_allocation(m->b->ctx, atomic_load(&d->device), a->size, a->group, a->flags, a->shared,
                                     &handle, &resource, &global);
    /* Over-commit is allowed, so only running out of host memory fails it. */
    CHECK(m, w, "CreateAllocation", status, 0, STATUS_SUCCESS);
    atomic_store(&a->handle, status ? 0 : handle);
    atomic_store(&a->resource, status ? 0 : resource);
    atomic_store(&a->global, status ? 0 : global);
    a->known = 0;
}

static void alloc_slot_destroy(struct model *m, struct worker *w, struct device_slot *d, int index)
{
    struct alloc_slot *a = &d->allocs[index];
    uint32_t handle = atomic_load(&a->handle);
    model_status status;

    if (!handle) return;
    if (a->shared) status = m->b->destroy_resource(m->b->ctx, atomic_load(&d->device), atomic_load(&a->resource));
    else status = m->b->destroy_allocation(m->b->ctx, atomic_load(&d->device), handle);
    CHECK(m, w, "DestroyAllocation", status, 0, STATUS_SUCCESS);
    atomic_store(&a->handle, 0);
}

static void device_slot_create(struct model *m, struct worker *w, struct device_slot *d, int own_adapter)
{
    uint32_t adapter = m->adapter, device = 0, queue = 0;
    model_status status;
    int i;

    if (own_adapter)
    {
        status = m->b->open_adapter(m->b->ctx, &adapter);
        CHECK(m, w, "OpenAdapter", status, 0, STATUS_SUCCESS);
        if (status) adapter = m->adapter, own_adapter = 0;
    }
    d->own_adapter = own_adapter;
    status = m->b->create_device(m->b->ctx, adapter, &device);
    CHECK(m, w, "CreateDevice", status, 0, STATUS_SUCCESS);
    status = m->b->create_paging_queue(m->b->ctx, device, &queue);
    CHECK(m, w, "CreatePagingQueue", status, 0, STATUS_SUCCESS);
    atomic_store(&d->adapter, adapter);
    atomic_store(&d->device, device);
    atomic_store(&d->queue, queue);
    for (i = 0; i < ALLOCS; i++) alloc_slot_create(m, w, d, i);
}

/* Destroys the device (and so everything on it) by DestroyDevice or by
 * closing its adapter; the device slot and all its allocation slots are claimed. */
static void device_slot_destroy(struct model *m, struct worker *w, struct device_slot *d, int explicit_allocs)
{
    model_status status;
    int i;

    if (explicit_allocs)
        for (i = 0; i < ALLOCS; i++) alloc_slot_destroy(m, w, d, i);
    if (d->own_adapter && (!w || (rnd(w) & 1)))
    {
        status = m->b->close_adapter(m->b->ctx, atomic_load(&d->adapter));
        CHECK(m, w, "CloseAdapter", status, 0, STATUS_SUCCESS);
    }
    else
    {
        status = m->b->destroy_device(m->b->ctx, atomic_load(&d->device));
        CHECK(m, w, "DestroyDevice", status, 0, STATUS_SUCCESS);
        if (d->own_adapter)
        {
            status = m->b->close_adapter(m->b->ctx, atomic_load(&d->adapter));
            CHECK(m, w, "CloseAdapter", status, 0, STATUS_SUCCESS);
        }
    }
    for (i = 0; i < ALLOCS; i++) atomic_store(&d->allocs[i].handle, 0);
    atomic_store(&d->device, 0);
}

/* ---- operations ---- */

struct target
{
    struct device_slot *d;
    struct alloc_slot *a;
    unsigned int dseq, aseq;
    uint32_t device, queue, handle;
};

static void pick(struct worker *w, struct target *t)
{
    t->d = &w->m->devices[rnd(w) % DEVICES];
    t->a = &t->d->allocs[rnd(w) % ALLOCS];
    t->device = read_handle(&t->d->seq, &t->d->device, &t->dseq);
    t->queue = atomic_load(&t->d->queue);
    t->handle = read_handle(&t->a->seq, &t->a->handle, &t->aseq);
    w->op_handle = t->handle;
}

/* Whether the objects may have been destroyed while the call ran. */
static int gone(const struct target *t)
{
    return (t->dseq & 1) || (t->aseq & 1) || atomic_load(&t->d->seq) != t->dseq || atomic_load(&t->a->seq) != t->aseq
           || !t->handle;
}

static int is_content(const struct target *t)
{
    return !((t->a - t->d->allocs) & 1);
}

/* Lock, check and rewrite the pattern, unlock; content slots only. */
static void op_content(struct worker *w, struct target *t)
{
    struct model *m = w->m;
    struct alloc_slot *a = t->a;
    model_status status;
    uint64_t bad = 0;
    void *ptr = NULL;

    pthread_mutex_lock(&a->content);
    /* With the mutex held nobody destroys it; a claimed slot is being destroyed: skip. */
    t->handle = read_handle(&a->seq, &a->handle, &t->aseq);
    t->device = read_handle(&t->d->seq, &t->d->device, &t->dseq);
    if ((t->aseq & 1) || (t->dseq & 1) || !t->handle)
    {
        pthread_mutex_unlock(&a->content);
        return;
    }
    w->op_handle = t->handle;
    if (rnd(w) % 4 == 0)
    {
        uint32_t result = 0xff;

        w->op = "Offer+Reclaim (content)";
        status = m->b->offer(m->b->ctx, t->device, t->handle, rnd(w) & 3);
        /* Another thread may hold a (content-free) lock on it. */
        CHECK(m, w, "Offer", status, 0, STATUS_SUCCESS, STATUS_INVALID_PARAMETER);
        if (!status)
        {
            status = m->b->reclaim(m->b->ctx, t->device, t->handle, &result);
            CHECK(m, w, "Reclaim", status, 0, STATUS_SUCCESS);
            if (result > 2) failure(m, "thread %d: Reclaim result %u", w->id, result);
            if (result) a->known = 0;   /* discarded: undefined content */
        }
        pthread_mutex_unlock(&a->content);
        return;
    }
    w->op = "Lock/verify/write/Unlock (content)";
    status = m->b->lock(m->b->ctx, t->device, t->handle, &ptr);
    CHECK(m, w, "Lock", status, 0, STATUS_SUCCESS);
    if (!status)
    {
        if (a->known && !pattern_check(ptr, a->size, a->seed, &bad))
            failure(m, "thread %d: allocation %#x (slot %d) lost its content at byte %#llx: %#x", w->id, t->handle,
                    (int)(a - t->d->allocs), (unsigned long long)bad, ((uint32_t *)ptr)[bad / 4]);
        a->seed = rnd(w);
        pattern_write(ptr, a->size, a->seed);
        a->known = 1;
        status = m->b->unlock(m->b->ctx, t->device, t->handle);
        CHECK(m, w, "Unlock", status, 0, STATUS_SUCCESS);
    }
    pthread_mutex_unlock(&a->content);
}

/* Calls that touch no content, on any slot, racing every destroy. */
static void op_blind(struct worker *w, struct target *t)
{
    struct model *m = w->m;
    uint32_t value = 0;
    model_status status;
    void *ptr;
    int chaos = !is_content(t);

    switch (rnd(w) % 6)
    {
    case 0:
        w->op = "Lock/Unlock (blind)";
        status = m->b->lock(m->b->ctx, t->device, t->handle, &ptr);
        /* Offered meanwhile (every slot is offered at times) is an invalid parameter too. */
        CHECK(m, w, "Lock", status, gone(t), STATUS_SUCCESS, STATUS_INVALID_PARAMETER);
        if (status) break;
        status = m->b->unlock(m->b->ctx, t->device, t->handle);
        CHECK(m, w, "Unlock", status, gone(t), STATUS_SUCCESS);
        break;
    case 1:
        w->op = "MakeResident+Evict";
        status = m->b->make_resident(m->b->ctx, t->queue, t->handle);
        /* The budget claim may be full with other threads' references. */
        CHECK(m, w, "MakeResident", status, gone(t), STATUS_SUCCESS, STATUS_PENDING, STATUS_NO_MEMORY);
        if (status && status != STATUS_PENDING) break;
        status = m->b->evict(m->b->ctx, t->device, t->handle);
        CHECK(m, w, "Evict", status, gone(t), STATUS_SUCCESS);
        break;
    case 2:
        w->op = "SetPriority/GetPriority";
        status = m->b->set_priority(m->b->ctx, t->device, t->handle, 0x28000000u + (rnd(w) % 3) * 0x50000000u);
        CHECK(m, w, "SetPriority", status, gone(t), STATUS_SUCCESS);
        status = m->b->get_priority(m->b->ctx, t->device, t->handle, &value);
        CHECK(m, w, "GetPriority", status, gone(t), STATUS_SUCCESS);
        break;
    case 3:
        w->op = "QueryResidency";
        status = m->b->query_residency(m->b->ctx, t->device, t->handle, &value);
        CHECK(m, w, "QueryResidency", status, gone(t), STATUS_SUCCESS);
        if (!status && (value < 1 || value > 3)) failure(m, "thread %d: residency %u", w->id, value);
        break;
    case 4:
        if (!chaos) break;
        w->op = "Offer+Reclaim (chaos)";
        status = m->b->offer(m->b->ctx, t->device, t->handle, rnd(w) & 3);
        CHECK(m, w, "Offer", status, gone(t), STATUS_SUCCESS, STATUS_INVALID_PARAMETER /* offered or locked */);
        if (rnd(w) & 1) sched_yield();
        status = m->b->reclaim(m->b->ctx, t->device, t->handle, &value);
        CHECK(m, w, "Reclaim", status, gone(t), STATUS_SUCCESS);
        break;
    case 5:
    {
        struct alloc_slot *shared = &t->d->allocs[1];   /* each device's shared resource */
        uint32_t mine, global, resource = 0, handle = 0;
        unsigned int seen;
        struct target own;

        pick(w, &own);   /* opened on some (maybe other) device */
        global = read_handle(&shared->seq, &shared->global, &seen);
        if (!global || (seen & 1)) break;
        w->op = "OpenResource/Lock/DestroyResource";
        status = m->b->open_resource(m->b->ctx, own.device, global, &resource, &handle);
        CHECK(m, w, "OpenResource", status,
              gone(&own) || atomic_load(&shared->seq) != seen || atomic_load(&t->d->seq) != t->dseq,
              STATUS_SUCCESS);
        if (status) break;
        mine = handle;
        w->op_handle = mine;
        if (!(status = m->b->lock(m->b->ctx, own.device, mine, &ptr)))
        {
            status = m->b->unlock(m->b->ctx, own.device, mine);
            CHECK(m, w, "Unlock (opened)", status, gone(&own), STATUS_SUCCESS);
        }
        else CHECK(m, w, "Lock (opened)", status, gone(&own), STATUS_INVALID_PARAMETER /* offered */);
        status = m->b->destroy_resource(m->b->ctx, own.device, resource);
        CHECK(m, w, "DestroyResource (opened)", status, gone(&own), STATUS_SUCCESS);
        break;
    }
    }
}

/* Destroys and re-creates one allocation slot. */
static void op_recreate(struct worker *w, struct target *t)
{
    struct alloc_slot *a = t->a;

    if (!claim(&a->seq)) return;
    /* The device must stay while we work on its allocation. */
    if (!claim(&t->d->seq))
    {
        release_claim(&a->seq);
        return;
    }
    w->op = "DestroyAllocation/CreateAllocation";
    if (is_content(t)) pthread_mutex_lock(&a->content);
    alloc_slot_destroy(w->m, w, t->d, (int)(a - t->d->allocs));
    if (rnd(w) & 1) sched_yield();
    alloc_slot_create(w->m, w, t->d, (int)(a - t->d->allocs));
    if (is_content(t)) pthread_mutex_unlock(&a->content);
    release_claim(&t->d->seq);
    release_claim(&a->seq);
}

/* Destroys a device with everything on it, by DestroyDevice or CloseAdapter,
 * and builds it again. */
static void op_redevice(struct worker *w, struct target *t)
{
    struct device_slot *d = t->d;
    int i;

    if (!claim(&d->seq)) return;
    w->op = "claiming a device's allocations";
    /* A thread holding one re-creates it, or gives it back when it cannot have the device. */
    for (i = 0; i < ALLOCS; i++)
        while (!claim(&d->allocs[i].seq)) sched_yield();
    for (i = 0; i < ALLOCS; i += 2) pthread_mutex_lock(&d->allocs[i].content);
    w->op = "DestroyDevice/CloseAdapter and rebuild";
    device_slot_destroy(w->m, w, d, rnd(w) % 4 == 0);
    device_slot_create(w->m, w, d, rnd(w) & 1);
    for (i = 0; i < ALLOCS; i += 2) pthread_mutex_unlock(&d->allocs[i].content);
    for (i = 0; i < ALLOCS; i++) release_claim(&d->allocs[i].seq);
    release_claim(&d->seq);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct target t;
    uint32_t r;

    while (!atomic_load(&w->m->stop))
    {
        pick(w, &t);
        r = rnd(w) % 100;
        if (r < 35 && is_content(&t)) op_content(w, &t);
        else if (r < 85) op_blind(w, &t);
        else if (r < 97) op_recreate(w, &t);
        else if (r < 99) op_redevice(w, &t);
        else
        {
            w->op = "SetLocalBudget";
            CHECK(w->m, w, "escape SetLocalBudget",
                  w->m->b->set_budget(w->m->b->ctx, w->m->adapter, (rnd(w) & 1) ? w->m->b->local_size / 2 : 0), 0,
                  STATUS_SUCCESS);
        }
        w->op = "idle";
        atomic_fetch_add(&w->ops, 1);
    }
    return NULL;
}

/* ---- watchdog ---- */

#ifdef __GLIBC__
static void stack_handler(int sig)
{
    void *frames[32];
    int n = backtrace(frames, 32);

    backtrace_symbols_fd(frames, n, 2);
    (void)sig;
}
#endif

static void report_hang(struct model *m)
{
    unsigned int i;

    fprintf(stderr, "model: FAIL: no operation finished for %d s: hang.  Workers:\n", STALL_SECONDS);
    for (i = 0; i < m->threads; i++)
        fprintf(stderr, "  thread %u: %s on %#x (%lu ops done)\n", i, m->workers[i].op, m->workers[i].op_handle,
                atomic_load(&m->workers[i].ops));
#ifdef __GLIBC__
    signal(SIGUSR2, stack_handler);
    for (i = 0; i < m->threads; i++)
    {
        fprintf(stderr, "  stack of thread %u:\n", i);
        pthread_kill(m->workers[i].thread, SIGUSR2);
        sleep(1);
    }
#endif
    fflush(stderr);
    abort();
}

static unsigned long total_ops(struct model *m)
{
    unsigned long now = 0;
    unsigned int i;

    for (i = 0; i < m->threads; i++) now += atomic_load(&m->workers[i].ops);
    return now;
}

/* Lets the workers run `seconds`, then waits until the joiner saw them all
 * end; aborts the run on a hang either way. */
static void watch(struct model *m, unsigned int seconds)
{
    unsigned long last = 0, now;
    unsigned int t, stalled = 0;

    for (t = 0; atomic_load(&m->stop) < 2; t++)
    {
        sleep(1);
        if (t + 1 == seconds) atomic_store(&m->stop, 1);
        now = total_ops(m);
        stalled = now == last ? stalled + 1 : 0;
        last = now;
        if (stalled >= STALL_SECONDS) report_hang(m);
    }
}

static void *joiner(void *arg)
{
    struct model *m = arg;
    unsigned int i;

    for (i = 0; i < m->threads; i++) pthread_join(m->workers[i].thread, NULL);
    atomic_store(&m->stop, 2);
    return NULL;
}

/* ---- the run ---- */

static void check_empty(struct model *m, const char *when, uint32_t adapters)
{
    struct model_stats s;

    memset(&s, 0, sizeof(s));
    CHECK(m, NULL, "WaitIdle", m->b->wait_idle(m->b->ctx, m->adapter), 0, STATUS_SUCCESS);
    CHECK(m, NULL, "QueryStats", m->b->stats(m->b->ctx, m->adapter, &s), 0, STATUS_SUCCESS);
    if (s.devices || s.resources || s.allocations || s.local_usage || s.nonlocal_usage || s.backing_bytes
        || s.paging_queued || s.apertures_used || (s.residency_claim && s.residency_claim != UINT64_MAX)
        || s.adapters != adapters)
        failure(m, "%s: left %u adapters, %u devices, %u resources, %u allocations, usage %llu/%llu, backing %llu, "
                "queued %u, apertures %u, claim %llu", when, s.adapters, s.devices, s.resources, s.allocations,
                (unsigned long long)s.local_usage, (unsigned long long)s.nonlocal_usage,
                (unsigned long long)s.backing_bytes, s.paging_queued, s.apertures_used,
                (unsigned long long)s.residency_claim);
}

int model_run(const struct model_backend *b, uint64_t seed, unsigned int seconds, unsigned int threads)
{
    struct model *m = calloc(1, sizeof(*m));
    unsigned long total = 0;
    struct model_stats base;
    uint32_t adapters;
    pthread_t join_thread;
    model_status status;
    unsigned int i, j;
    int failures;

    if (threads > MAX_THREADS) threads = MAX_THREADS;
    m->b = b;
    m->threads = threads;
    pthread_mutex_init(&m->print_lock, NULL);
    printf("model (%s): seed %llu, %u s, %u threads (replay: D3DKMT_MODEL_SEED=%llu)\n", b->name,
           (unsigned long long)seed, seconds, threads, (unsigned long long)seed);
    fflush(stdout);
    status = b->open_adapter(b->ctx, &m->adapter);
    CHECK(m, NULL, "OpenAdapter", status, 0, STATUS_SUCCESS);
    if (status) return 1;
    /* Adapter handles the caller holds stay; everything else must go. */
    memset(&base, 0, sizeof(base));
    CHECK(m, NULL, "QueryStats", b->stats(b->ctx, m->adapter, &base), 0, STATUS_SUCCESS);
    adapters = base.adapters;
    for (i = 0; i < DEVICES; i++)
    {
        struct device_slot *d = &m->devices[i];

        for (j = 0; j < ALLOCS; j++)
        {
            d->allocs[j].size = kinds[j].size;
            d->allocs[j].group = kinds[j].group;
            d->allocs[j].flags = kinds[j].flags;
            d->allocs[j].shared = j == 1;
            pthread_mutex_init(&d->allocs[j].content, NULL);
        }
        device_slot_create(m, NULL, d, i & 1);
    }

    for (i = 0; i < threads; i++)
    {
        m->workers[i].m = m;
        m->workers[i].id = i;
        m->workers[i].rng = seed * 0x9e3779b97f4a7c15ull + i * 0xbf58476d1ce4e5b9ull + 1;
        m->workers[i].op = "starting";
        pthread_create(&m->workers[i].thread, NULL, worker_main, &m->workers[i]);
    }
    pthread_create(&join_thread, NULL, joiner, m);
    watch(m, seconds);
    pthread_join(join_thread, NULL);
    total = total_ops(m);

    /* Single-threaded now: every content slot reads back, then everything goes. */
    for (i = 0; i < DEVICES; i++)
        for (j = 0; j < ALLOCS; j += 2)
        {
            struct alloc_slot *a = &m->devices[i].allocs[j];
            uint32_t device = atomic_load(&m->devices[i].device), handle = atomic_load(&a->handle);
            uint64_t bad = 0;
            void *ptr;

            if (!handle || !a->known) continue;
            status = b->lock(b->ctx, device, handle, &ptr);
            CHECK(m, NULL, "final Lock", status, 0, STATUS_SUCCESS);
            if (status) continue;
            if (!pattern_check(ptr, a->size, a->seed, &bad))
                failure(m, "final: allocation %#x lost its content at byte %#llx", handle, (unsigned long long)bad);
            CHECK(m, NULL, "final Unlock", b->unlock(b->ctx, device, handle), 0, STATUS_SUCCESS);
        }
    CHECK(m, NULL, "escape SetLocalBudget", b->set_budget(b->ctx, m->adapter, 0), 0, STATUS_SUCCESS);
    for (i = 0; i < DEVICES; i++) device_slot_destroy(m, NULL, &m->devices[i], i & 1);
    check_empty(m, "after destroying everything", adapters);

    /* No budget claim leaked: the whole local segment can still be made resident. */
    {
        uint32_t device = 0, queue = 0, handle = 0, resource, global;

        CHECK(m, NULL, "CreateDevice", b->create_device(b->ctx, m->adapter, &device), 0, STATUS_SUCCESS);
        CHECK(m, NULL, "CreatePagingQueue", b->create_paging_queue(b->ctx, device, &queue), 0, STATUS_SUCCESS);
        CHECK(m, NULL, "CreateAllocation", b->create_allocation(b->ctx, device, b->local_size, 0, CV, 0, &handle,
                                                                 &resource, &global), 0, STATUS_SUCCESS);
        status = b->make_resident(b->ctx, queue, handle);
        CHECK(m, NULL, "MakeResident (whole segment)", status, 0, STATUS_SUCCESS, STATUS_PENDING);
        if (!status || status == STATUS_PENDING)
            CHECK(m, NULL, "Evict", b->evict(b->ctx, device, handle), 0, STATUS_SUCCESS);
        CHECK(m, NULL, "DestroyAllocation", b->destroy_allocation(b->ctx, device, handle), 0, STATUS_SUCCESS);
        CHECK(m, NULL, "DestroyDevice", b->destroy_device(b->ctx, device), 0, STATUS_SUCCESS);
        check_empty(m, "after the whole-segment check", adapters);
    }
    CHECK(m, NULL, "CloseAdapter", b->close_adapter(b->ctx, m->adapter), 0, STATUS_SUCCESS);
    failures = atomic_load(&m->failures);
    printf("model (%s): %lu operations, %d failures (seed %llu)\n", b->name, total, failures,
           (unsigned long long)seed);
    for (i = 0; i < DEVICES; i++)
        for (j = 0; j < ALLOCS; j++) pthread_mutex_destroy(&m->devices[i].allocs[j].content);
    pthread_mutex_destroy(&m->print_lock);
    free(m);
    return failures;
}
