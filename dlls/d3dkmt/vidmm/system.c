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
 * The system view (include/private/vidmm_system.h): the process table shared
 * by the processes of a prefix, liveness, doorbells, published usage, and
 * the budget policy over it.
 *
 * Who writes what in the view:
 *  - the header: the process that wins init_state NONE -> BUSY, once;
 *  - a slot: only the process holding its liveness token (its owner, or a
 *    process clearing a dead owner's slot, which takes the token first);
 *  - a doorbell: anyone, by atomic increment.
 * Readers load each word atomically; a slot's generation read before and
 * after its usage tells a reader that the slot changed hands meanwhile.
 *
 * Liveness, cheap and full: a slot is "live" when its state says so and this
 * process has not found its owner dead.  The full test (vidmm_system_alive,
 * QueryVideoMemoryInfo) also asks the kernel (the token is held) and the
 * provider (Wine has not terminated the process).  The watcher thread asks
 * the kernel every poll while other processes are in the table, and clears
 * the slots of dead processes, so the cheap test used on the allocation
 * paths is at most one poll late.
 */
#if 0
#pragma makedep unix
#endif
#include <errno.h>
#include <linux/futex.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vidmm_private.h"

_Static_assert(sizeof(struct vidmm_system_adapter) == 128, "adapter entry layout: whole 64-bit words");
_Static_assert(sizeof(struct vidmm_system_slot) == 1088, "slot layout");
_Static_assert(offsetof(struct vidmm_system_slot, doorbell) == 12, "slot layout");
_Static_assert(offsetof(struct vidmm_system_slot, adapters) == 64, "slot layout");
_Static_assert(sizeof(struct vidmm_system_header) == 256, "header layout");
_Static_assert(offsetof(struct vidmm_system_view, slots) == 256, "view layout");
_Static_assert(VIDMM_SYSTEM_VIEW_SIZE == 73728, "view size");
_Static_assert(VIDMM_SYSTEM_SLOTS <= 64, "slot masks are 64 bits");
/* 64-bit words in the view are read and written whole by an i686 process too. */
_Static_assert(__atomic_always_lock_free(sizeof(uint64_t), 0), "lock-free 64-bit atomics");

#define LOAD32(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE32(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define LOAD64(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE64(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

#define INIT_WAIT_MS 2000   /* how long a process waits for another's initialisation */

struct vidmm_system
{
    struct vidmm_system_ops ops;
    pthread_mutex_t lock;          /* attach, adapter entries, listeners; innermost */
    int attached;                  /* attach tried (status in attach_status) */
    NTSTATUS attach_status;
    struct vidmm_system_view *view;
    uint32_t slot;                 /* ~0u: none */
    uint32_t generation;
    uint32_t dead_gen[VIDMM_SYSTEM_SLOTS]; /* generation + 1 of a slot found dead here (atomic) */

    struct { vidmm_system_listener fn; void *ctx; } listeners[VIDMM_SYSTEM_LISTENERS];
    uint32_t listener_count;       /* atomic; entries below it are set */

    pthread_t watcher;
    int watcher_running;
    int stop;                      /* atomic */
    /* The watcher's own: what it saw live at its last look. */
    uint64_t seen_live;
    uint32_t seen_gen[VIDMM_SYSTEM_SLOTS];
    uint32_t first_seen;           /* the doorbell at attach: rings from then on reach the listeners */
};

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *timeout)
{
    /* Not FUTEX_PRIVATE_FLAG: the word is in memory other processes map. */
    return syscall(SYS_futex, addr, op, val, timeout, NULL, 0);
}

NTSTATUS vidmm_system_set_ops(struct vidmm *mm, const struct vidmm_system_ops *ops)
{
    struct vidmm_system *sys;

    if (!ops || !ops->map || !ops->unmap || !ops->claim_slot || !ops->release_slot || !ops->slot_held
        || !ops->process_id)
        return STATUS_INVALID_PARAMETER;
    vidmm_mutex_lock(&mm->gpus_lock);
    if (mm->system || !list_empty(&mm->gpus))
    {
        vidmm_mutex_unlock(&mm->gpus_lock);
        return STATUS_INVALID_PARAMETER;
    }
    if (!(sys = vidmm_calloc(1, sizeof(*sys))))
    {
        vidmm_mutex_unlock(&mm->gpus_lock);
        return STATUS_NO_MEMORY;
    }
    sys->ops = *ops;
    if (!sys->ops.poll_ms) sys->ops.poll_ms = 100;
    sys->slot = ~0u;
    pthread_mutex_init(&sys->lock, NULL);
    mm->system = sys;
    vidmm_mutex_unlock(&mm->gpus_lock);
    return STATUS_SUCCESS;
}

static struct vidmm_system_slot *slot_of(struct vidmm_system *sys, uint32_t i)
{
    return &sys->view->slots[i];
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

/* The header: made by the first process, checked by the others.  A process
 * that died while making it leaves BUSY behind; after INIT_WAIT_MS another
 * writes the same constants itself (they are all the header holds). */
static NTSTATUS init_header(struct vidmm_system_view *view)
{
    struct vidmm_system_header *h = &view->header;
    uint32_t state = VIDMM_SYSTEM_INIT_NONE;
    unsigned int waited = 0;

    if (__atomic_compare_exchange_n(&h->init_state, &state, VIDMM_SYSTEM_INIT_BUSY, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        goto write;
    while ((state = LOAD32(&h->init_state)) == VIDMM_SYSTEM_INIT_BUSY && waited < INIT_WAIT_MS)
    {
        sleep_ms(1);
        waited++;
    }
    if (state == VIDMM_SYSTEM_INIT_READY) goto check;
write:
    STORE32(&h->magic, VIDMM_SYSTEM_MAGIC);
    STORE32(&h->version, VIDMM_SYSTEM_VERSION);
    STORE32(&h->slot_count, VIDMM_SYSTEM_SLOTS);
    STORE32(&h->slot_size, (uint32_t)sizeof(struct vidmm_system_slot));
    STORE32(&h->header_size, (uint32_t)sizeof(struct vidmm_system_header));
    STORE32(&h->init_state, VIDMM_SYSTEM_INIT_READY);
check:
    /* Another version of the module made it: do without. */
    if (LOAD32(&h->magic) != VIDMM_SYSTEM_MAGIC || LOAD32(&h->version) != VIDMM_SYSTEM_VERSION
        || LOAD32(&h->slot_count) != VIDMM_SYSTEM_SLOTS
        || LOAD32(&h->slot_size) != sizeof(struct vidmm_system_slot))
        return STATUS_NOT_SUPPORTED;
    return STATUS_SUCCESS;
}

/* Empties a slot whose token this process holds (its own at exit, or a dead
 * owner's): usage first, then the state. */
/* Zeroes an adapter entry, its LUID last (readers match on it first).  The
 * entry is whole 64-bit words (static assert above). */
static void clear_entry(struct vidmm_system_adapter *a)
{
    uint64_t *word = (uint64_t *)a;
    unsigned int i;

    for (i = 1; i < sizeof(*a) / sizeof(*word); i++) STORE64(&word[i], 0);
    STORE64(&a->luid, 0);
}

static void clear_slot(struct vidmm_system_slot *s)
{
    unsigned int i;

    for (i = 0; i < VIDMM_SYSTEM_ADAPTERS; i++) clear_entry(&s->adapters[i]);
    STORE32(&s->state, VIDMM_SLOT_FREE);
}

/* The header's live_mask bit of slot i (see vidmm_system.h). */
static void mark_in_use(struct vidmm_system_view *view, uint32_t i, int in_use)
{
    uint32_t *word = &view->header.live_mask[i / 32], bit = 1u << (i % 32);

    if (in_use) __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
    else __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
}

/* The first slot from i on whose live_mask bit is set, or VIDMM_SYSTEM_SLOTS:
 * a budget reads the slots in use only, not all 64. */
static uint32_t next_in_use(struct vidmm_system *sys, uint32_t i)
{
    uint32_t bits;

    for (; i < VIDMM_SYSTEM_SLOTS; i = (i | 31) + 1)
        if ((bits = LOAD32(&sys->view->header.live_mask[i / 32]) >> (i % 32)))
            return i + __builtin_ctz(bits);
    return VIDMM_SYSTEM_SLOTS;
}

/* Empties slot i (its token held) and takes it out of the mask. */
static void free_slot(struct vidmm_system_view *view, uint32_t i)
{
    clear_slot(&view->slots[i]);
    mark_in_use(view, i, 0);
}

static void *watcher_main(void *arg);

/* Maps the view and claims a slot, once; sys->lock held. */
static NTSTATUS system_attach_locked(struct vidmm *mm, struct vidmm_system *sys)
{
    struct vidmm_system_slot *s;
    uint64_t others = 0;
    uint32_t i;
    NTSTATUS status;

    if (sys->attached) return sys->attach_status;
    sys->attached = 1;
    if (!(sys->view = sys->ops.map(sys->ops.ctx, VIDMM_SYSTEM_VIEW_SIZE)))
        return sys->attach_status = STATUS_NOT_SUPPORTED;
    if ((status = init_header(sys->view)))
    {
        sys->ops.unmap(sys->ops.ctx, sys->view, VIDMM_SYSTEM_VIEW_SIZE);
        sys->view = NULL;
        return sys->attach_status = status;
    }
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
        if (!sys->ops.claim_slot(sys->ops.ctx, i)) break;
    if (i == VIDMM_SYSTEM_SLOTS)
        return sys->attach_status = STATUS_INSUFFICIENT_RESOURCES;   /* the view stays, for reading */

    /* Ours now: whatever a dead owner left goes first. */
    s = slot_of(sys, i);
    clear_slot(s);
    sys->generation = LOAD32(&s->generation) + 1;
    if (!sys->generation) sys->generation = 1;
    STORE32(&s->generation, sys->generation);
    STORE32(&s->pid, sys->ops.process_id(sys->ops.ctx));
    STORE32(&s->unix_pid, (uint32_t)getpid());
    STORE32(&s->flags, 0);
    mark_in_use(sys->view, i, 1);
    STORE32(&s->state, VIDMM_SLOT_LIVE);
    __atomic_fetch_add(&sys->view->header.claims, 1, __ATOMIC_RELAXED);
    sys->slot = i;

    /* The watcher's first look is this one, whenever its thread runs:
     * processes that come and go before it does are still reported. */
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++) sys->seen_gen[i] = LOAD32(&slot_of(sys, i)->generation);
    sys->first_seen = LOAD32(&s->doorbell);
    if (!pthread_create(&sys->watcher, NULL, watcher_main, mm)) sys->watcher_running = 1;
    /* Tell the others a process came: they start watching the table. */
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
        if (i != sys->slot && LOAD32(&slot_of(sys, i)->state) == VIDMM_SLOT_LIVE) others |= 1ull << i;
    vidmm_system_ring(mm, others);
    return sys->attach_status = STATUS_SUCCESS;
}

NTSTATUS system_attach(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;
    NTSTATUS status;

    if (!sys) return STATUS_NOT_SUPPORTED;
    pthread_mutex_lock(&sys->lock);
    status = system_attach_locked(mm, sys);
    pthread_mutex_unlock(&sys->lock);
    return status;
}

NTSTATUS vidmm_system_self(struct vidmm *mm, uint32_t *slot, uint32_t *generation)
{
    NTSTATUS status = system_attach(mm);

    if (slot) *slot = status ? ~0u : mm->system->slot;
    if (generation) *generation = status ? 0 : mm->system->generation;
    return status;
}

/* ---- liveness ---- */

enum { CHECK_CHEAP, CHECK_KERNEL, CHECK_FULL };

static void mark_dead(struct vidmm_system *sys, uint32_t i, uint32_t gen)
{
    __atomic_store_n(&sys->dead_gen[i], gen + 1, __ATOMIC_RELAXED);
}

/* Takes a dead owner's token and empties its slot, if no one was quicker. */
static void reap(struct vidmm_system *sys, uint32_t i, uint32_t gen)
{
    struct vidmm_system_slot *s = slot_of(sys, i);

    if (sys->ops.claim_slot(sys->ops.ctx, i)) return;
    if (LOAD32(&s->state) == VIDMM_SLOT_LIVE && LOAD32(&s->generation) == gen) free_slot(sys->view, i);
    sys->ops.release_slot(sys->ops.ctx, i);
}

/* Whether slot i is live with generation *gen (any generation if *gen is 0,
 * which is then set).  `level` says how hard to look. */
static int slot_live(struct vidmm_system *sys, uint32_t i, uint32_t *gen, int level)
{
    struct vidmm_system_slot *s = slot_of(sys, i);
    uint32_t g;

    if (LOAD32(&s->state) != VIDMM_SLOT_LIVE) return 0;
    g = LOAD32(&s->generation);
    if (*gen && g != *gen) return 0;
    *gen = g;
    if (i == sys->slot) return 1;
    if (__atomic_load_n(&sys->dead_gen[i], __ATOMIC_RELAXED) == g + 1) return 0;
    if (level == CHECK_CHEAP) return 1;
    if (!sys->ops.slot_held(sys->ops.ctx, i))
    {
        /* Claimed just now (state written after the token is taken)? */
        if (LOAD32(&s->generation) != g) return 0;
        mark_dead(sys, i, g);
        reap(sys, i, g);
        return 0;
    }
    /* Held, but maybe by a process that claimed the slot since: then the
     * generation read first is dead. */
    if (LOAD32(&s->generation) != g || LOAD32(&s->state) != VIDMM_SLOT_LIVE) return 0;
    if (level == CHECK_FULL && sys->ops.process_alive && LOAD32(&s->generation) == g
        && !sys->ops.process_alive(sys->ops.ctx, LOAD32(&s->pid)))
    {
        /* Wine has ended it; the kernel will drop its token soon. */
        if (LOAD32(&s->generation) == g) mark_dead(sys, i, g);
        return 0;
    }
    return 1;
}

int vidmm_system_alive(struct vidmm *mm, uint32_t slot, uint32_t generation)
{
    struct vidmm_system *sys = mm->system;

    if (!sys || !sys->view || slot >= VIDMM_SYSTEM_SLOTS || !generation) return 0;
    return slot_live(sys, slot, &generation, CHECK_FULL);
}

uint32_t vidmm_system_generation(struct vidmm *mm, uint32_t slot)
{
    struct vidmm_system *sys = mm->system;
    uint32_t gen = 0;

    if (!sys || !sys->view || slot >= VIDMM_SYSTEM_SLOTS) return 0;
    return slot_live(sys, slot, &gen, CHECK_FULL) ? gen : 0;
}

uint64_t vidmm_system_live_mask(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;
    uint64_t mask = 0;
    uint32_t i, gen;

    if (!sys || !sys->view) return 0;
    for (i = 0; (i = next_in_use(sys, i)) < VIDMM_SYSTEM_SLOTS; i++)
        if (gen = 0, slot_live(sys, i, &gen, CHECK_FULL)) mask |= 1ull << i;
    return mask;
}

/* ---- doorbells ---- */

void vidmm_system_ring(struct vidmm *mm, uint64_t mask)
{
    struct vidmm_system *sys = mm->system;
    uint32_t i;

    if (!sys || !sys->view) return;
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
    {
        struct vidmm_system_slot *s = slot_of(sys, i);

        if (!(mask & (1ull << i)) || LOAD32(&s->state) != VIDMM_SLOT_LIVE) continue;
        __atomic_fetch_add(&s->doorbell, 1, __ATOMIC_ACQ_REL);
        futex(&s->doorbell, FUTEX_WAKE, INT32_MAX, NULL);
    }
}

uint32_t vidmm_system_doorbell(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;

    if (!sys || !sys->view || sys->slot == ~0u) return 0;
    return LOAD32(&slot_of(sys, sys->slot)->doorbell);
}

static NTSTATUS wait_doorbell(struct vidmm_system *sys, uint32_t seen, uint32_t timeout_ms)
{
    uint32_t *word = &slot_of(sys, sys->slot)->doorbell;
    struct timespec end, now, rel;

    if (timeout_ms != ~0u)
    {
        clock_gettime(CLOCK_MONOTONIC, &end);
        end.tv_sec += timeout_ms / 1000;
        end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
        if (end.tv_nsec >= 1000000000) { end.tv_sec++; end.tv_nsec -= 1000000000; }
    }
    while (LOAD32(word) == seen)
    {
        if (timeout_ms == ~0u)
        {
            futex(word, FUTEX_WAIT, seen, NULL);
            continue;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        rel.tv_sec = end.tv_sec - now.tv_sec;
        rel.tv_nsec = end.tv_nsec - now.tv_nsec;
        if (rel.tv_nsec < 0) { rel.tv_sec--; rel.tv_nsec += 1000000000; }
        if (rel.tv_sec < 0) return STATUS_TIMEOUT;
        futex(word, FUTEX_WAIT, seen, &rel);
    }
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_system_wait(struct vidmm *mm, uint32_t seen, uint32_t timeout_ms)
{
    struct vidmm_system *sys = mm->system;

    if (!sys || !sys->view || sys->slot == ~0u) return STATUS_NOT_SUPPORTED;
    return wait_doorbell(sys, seen, timeout_ms);
}

NTSTATUS vidmm_system_listen(struct vidmm *mm, vidmm_system_listener fn, void *ctx)
{
    struct vidmm_system *sys = mm->system;
    uint32_t n;

    if (!fn) return STATUS_INVALID_PARAMETER;
    if (!sys) return STATUS_NOT_SUPPORTED;
    pthread_mutex_lock(&sys->lock);
    if ((n = sys->listener_count) == VIDMM_SYSTEM_LISTENERS)
    {
        pthread_mutex_unlock(&sys->lock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    sys->listeners[n].fn = fn;
    sys->listeners[n].ctx = ctx;
    __atomic_store_n(&sys->listener_count, n + 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&sys->lock);
    return STATUS_SUCCESS;
}

/* ---- the watcher ---- */

/* Looks at every other slot the way the kernel sees it; returns the slots
 * where a process that may have been alive at the last look is dead now:
 * the one live then, or one that came and went between the two looks (a
 * claim changes the generation, so even a process that lived only between
 * two looks is seen).  A claim in progress may be reported too: listeners
 * check their own (slot, generation). */
static uint64_t watcher_scan(struct vidmm_system *sys)
{
    uint64_t live = 0, dead = 0, bit;
    uint32_t i, gen, now;

    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
    {
        if (i == sys->slot) continue;
        bit = 1ull << i;
        now = LOAD32(&slot_of(sys, i)->generation);
        gen = now;
        if (slot_live(sys, i, &gen, CHECK_KERNEL)) live |= bit;
        if ((sys->seen_live & bit) && (!(live & bit) || now != sys->seen_gen[i])) dead |= bit;
        if (now != sys->seen_gen[i] && (now - sys->seen_gen[i] >= 2 || !(live & bit))) dead |= bit;
        sys->seen_gen[i] = now;
    }
    sys->seen_live = live;
    return dead;
}

static void *watcher_main(void *arg)
{
    struct vidmm *mm = arg;
    struct vidmm_system *sys = mm->system;
    uint32_t seen = sys->first_seen, now, i, n;
    uint64_t dead;
    int rung;

    watcher_scan(sys);
    while (!__atomic_load_n(&sys->stop, __ATOMIC_ACQUIRE))
    {
        /* Alone: still a look a second, for a process that died before it
         * could ring (claimed, then killed) and any wake missed. */
        wait_doorbell(sys, seen, sys->seen_live ? sys->ops.poll_ms : 1000);
        if (__atomic_load_n(&sys->stop, __ATOMIC_ACQUIRE)) break;
        now = vidmm_system_doorbell(mm);
        rung = now != seen;
        seen = now;
        dead = watcher_scan(sys);
        if (mm->system_tick) mm->system_tick(mm);
        if (!rung && !dead) continue;
        n = __atomic_load_n(&sys->listener_count, __ATOMIC_ACQUIRE);
        for (i = 0; i < n; i++) sys->listeners[i].fn(sys->listeners[i].ctx, mm, dead, rung);
    }
    return NULL;
}

void system_stop_watcher(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;

    if (!sys || !sys->watcher_running) return;
    __atomic_store_n(&sys->stop, 1, __ATOMIC_RELEASE);
    vidmm_system_ring(mm, 1ull << sys->slot);
    pthread_join(sys->watcher, NULL);
    sys->watcher_running = 0;
}

void system_detach(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;

    if (!sys) return;
    system_stop_watcher(mm);
    if (sys->slot != ~0u)
    {
        free_slot(sys->view, sys->slot);
        sys->ops.release_slot(sys->ops.ctx, sys->slot);
    }
    if (sys->view) sys->ops.unmap(sys->ops.ctx, sys->view, VIDMM_SYSTEM_VIEW_SIZE);
    pthread_mutex_destroy(&sys->lock);
    vidmm_free(sys);
    mm->system = NULL;
}

/* ---- published usage ---- */

struct vidmm_system_adapter *system_adapter_get(struct vidmm *mm, uint64_t luid, uint64_t segment_size)
{
    struct vidmm_system *sys = mm->system;
    struct vidmm_system_adapter *a, *found = NULL;
    uint32_t i;

    if (!sys || system_attach(mm) || sys->slot == ~0u) return NULL;
    pthread_mutex_lock(&sys->lock);
    for (i = 0; i < VIDMM_SYSTEM_ADAPTERS && !found; i++)
    {
        a = &slot_of(sys, sys->slot)->adapters[i];
        if (LOAD64(&a->luid)) continue;
        clear_entry(a);
        STORE64(&a->segment_size, segment_size);
        STORE64(&a->budget, segment_size);
        STORE64(&a->luid, luid);
        found = a;
    }
    pthread_mutex_unlock(&sys->lock);
    return found;
}

void system_adapter_put(struct vidmm *mm, struct vidmm_system_adapter *a)
{
    if (!a) return;
    pthread_mutex_lock(&mm->system->lock);
    clear_entry(a);
    pthread_mutex_unlock(&mm->system->lock);
}

/* One process' entry for `luid` in slot i, read whole: 0 when it has none or
 * the slot changed hands while it was read. */
static int read_usage(struct vidmm_system *sys, uint32_t i, uint32_t gen, uint64_t luid, uint64_t usage[2],
                      uint64_t *segment_size)
{
    struct vidmm_system_slot *s = slot_of(sys, i);
    uint32_t a;
    int found = 0;

    usage[0] = usage[1] = 0;
    for (a = 0; a < VIDMM_SYSTEM_ADAPTERS; a++)
    {
        if (LOAD64(&s->adapters[a].luid) != luid) continue;
        usage[0] += LOAD64(&s->adapters[a].usage[0]);
        usage[1] += LOAD64(&s->adapters[a].usage[1]);
        if (segment_size) *segment_size = LOAD64(&s->adapters[a].segment_size);
        found = 1;
    }
    if (LOAD32(&s->generation) != gen || LOAD32(&s->state) != VIDMM_SLOT_LIVE)
    {
        usage[0] = usage[1] = 0;
        return 0;
    }
    return found;
}

NTSTATUS vidmm_system_process_usage(struct vidmm *mm, uint32_t pid, uint64_t luid, uint32_t group,
                                    uint64_t *usage, int *found)
{
    struct vidmm_system *sys = mm->system;
    uint64_t u[2];
    uint32_t i, gen;

    *usage = 0;
    *found = 0;
    if (group > VIDMM_SEGMENT_GROUP_NON_LOCAL) return STATUS_INVALID_PARAMETER;
    if (!sys || !sys->view) return STATUS_SUCCESS;
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
    {
        struct vidmm_system_slot *s = slot_of(sys, i);

        if (LOAD32(&s->state) != VIDMM_SLOT_LIVE || LOAD32(&s->pid) != pid) continue;
        if (gen = 0, !slot_live(sys, i, &gen, CHECK_FULL)) continue;
        if (LOAD32(&s->pid) != pid || !read_usage(sys, i, gen, luid, u, NULL)) continue;
        *usage += u[group];
        *found = 1;
    }
    return STATUS_SUCCESS;
}

/* Adds one published entry to sum, field by field (each an atomic load:
 * its owner may be changing it). */
static void add_entry(struct vidmm_system_adapter *sum, struct vidmm_system_adapter *a)
{
    uint32_t g;

    for (g = 0; g < 2; g++)
    {
        sum->usage[g] += LOAD64(&a->usage[g]);
        sum->committed[g] += LOAD64(&a->committed[g]);
        sum->allocations[g] += LOAD32(&a->allocations[g]);
    }
    sum->budget += LOAD64(&a->budget);
    sum->resident_local += LOAD32(&a->resident_local);
    sum->locked += LOAD32(&a->locked);
    sum->evictions += LOAD64(&a->evictions);
    sum->evicted_bytes += LOAD64(&a->evicted_bytes);
    sum->restores += LOAD64(&a->restores);
    sum->restored_bytes += LOAD64(&a->restored_bytes);
    sum->fence_submitted += LOAD64(&a->fence_submitted);
    sum->fence_completed += LOAD64(&a->fence_completed);
}

uint32_t system_read_entries(struct vidmm *mm, uint32_t pid, uint64_t luid, struct vidmm_system_adapter *sum)
{
    struct vidmm_system *sys = mm->system;
    struct vidmm_system_adapter one;
    uint32_t i, a, gen, found = 0, here;

    memset(sum, 0, sizeof(*sum));
    if (!sys || !sys->view) return 0;
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
    {
        struct vidmm_system_slot *s = slot_of(sys, i);

        if (LOAD32(&s->state) != VIDMM_SLOT_LIVE || (pid && LOAD32(&s->pid) != pid)) continue;
        if (i != sys->slot && (gen = 0, !slot_live(sys, i, &gen, CHECK_FULL))) continue;
        if (i == sys->slot) gen = sys->generation;
        memset(&one, 0, sizeof(one));
        for (a = here = 0; a < VIDMM_SYSTEM_ADAPTERS; a++)
        {
            if (LOAD64(&s->adapters[a].luid) != luid) continue;
            add_entry(&one, &s->adapters[a]);
            here = 1;
        }
        /* Changed hands while read: not that process' figures. */
        if (!here || LOAD32(&s->generation) != gen || LOAD32(&s->state) != VIDMM_SLOT_LIVE
            || (pid && LOAD32(&s->pid) != pid))
            continue;
        add_entry(sum, &one);
        found++;
    }
    return found;
}

void system_request_stats(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;

    if (sys && sys->view) __atomic_fetch_add(&sys->view->header.stats_requests, 1, __ATOMIC_ACQ_REL);
}

uint32_t system_stats_requests(struct vidmm *mm)
{
    struct vidmm_system *sys = mm->system;

    return sys && sys->view ? LOAD32(&sys->view->header.stats_requests) : 0;
}

/* The budget policy (a choice; Windows weighs the foreground process): a
 * process may use what the others leave of the segment, and at least an
 * equal share of it among the processes that use the adapter, never more
 * than the segment. */
static uint64_t policy(uint64_t size, uint64_t others, uint32_t processes)
{
    /* No division for one process: an eviction asks this at every victim. */
    uint64_t budget = size > others ? size - others : 0, fair = processes > 1 ? size / processes : size;

    if (budget < fair) budget = fair;
    if (budget > size) budget = size;
    return budget & ~(VIDMM_PAGE_SIZE - 1);
}

void system_budget(struct vidmm *mm, uint64_t luid, uint64_t size, uint64_t own_usage, int full,
                   uint32_t subject_pid, struct vidmm_system_budget *out)
{
    struct vidmm_system *sys = mm->system;
    uint64_t u[2], usage[VIDMM_SYSTEM_SLOTS], sizes[VIDMM_SYSTEM_SLOTS], total = own_usage, users = 0;
    uint32_t i, gen, processes = 1, subject = ~0u;

    memset(out, 0, sizeof(*out));
    out->budget = policy(size, 0, 1);
    out->usage = subject_pid ? 0 : own_usage;
    out->total = own_usage;
    out->processes = 1;
    if (!sys || !sys->view) return;
    for (i = 0; (i = next_in_use(sys, i)) < VIDMM_SYSTEM_SLOTS; i++)
    {
        if (i == sys->slot) continue;
        if (gen = 0, !slot_live(sys, i, &gen, full ? CHECK_FULL : CHECK_CHEAP)) continue;
        sizes[i] = size;
        if (!read_usage(sys, i, gen, luid, u, &sizes[i])) continue;
        if (!sizes[i]) sizes[i] = size;
        usage[i] = u[0];
        users |= 1ull << i;
        total += u[0];
        processes++;
        if (subject_pid && subject == ~0u && LOAD32(&slot_of(sys, i)->pid) == subject_pid) subject = i;
    }
    out->total = total;
    out->processes = processes;
    if (!subject_pid)
        out->budget = policy(size, total - own_usage, processes);
    else if (subject == ~0u)   /* uses no adapter of this LUID: what it would get as one more */
        out->budget = policy(size, total, processes + 1);
    else
    {
        out->usage = usage[subject];
        out->budget = policy(sizes[subject], total - usage[subject], processes);
    }
    /* Who is over its own budget by the same rule (rung to trim).  Only the
     * users' bits: an eviction asks this at every victim. */
    for (; users; users &= users - 1)
    {
        i = __builtin_ctzll(users);
        if (usage[i] > policy(sizes[i], total - usage[i], processes)) out->over_mask |= 1ull << i;
    }
}

uint64_t system_refresh_budget(struct vidmm *mm, struct vidmm_gpu *gpu, int full)
{
    struct vidmm_system_budget b;

    vidmm_assert_held(&gpu->lock);
    if (!gpu->sys) return 0;
    system_budget(mm, gpu->luid, gpu->local.size, gpu->local.usage, full, 0, &b);
    gpu_write(&gpu->local_budget, gpu_budget_for(gpu, b.budget));
    STORE64(&gpu->sys->budget, gpu->local_budget);
    return b.over_mask;
}
