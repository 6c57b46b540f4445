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
 * The small mutex's waiting half, and the lock checker of the test build
 * (see vidmm_mutex.h).  The product build has only the inline pthread
 * wrappers besides.
 */
#if 0
#pragma makedep unix
#endif
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "private/vidmm_mutex.h"

/* Spins first: most holders let go within a few hundred cycles.  Then marks
 * the lock contended (2) and sleeps until it is free; the unlock that finds
 * 2 wakes one sleeper, which takes it as contended again (it cannot know
 * whether others still sleep). */
void vidmm_small_lock_wait(struct vidmm_small_mutex *mutex)
{
    unsigned int expected;
    int spins;

    for (spins = 0; spins < 100; spins++)
    {
        expected = 0;
        if (atomic_load_explicit(&mutex->state, memory_order_relaxed) == 0
            && atomic_compare_exchange_weak_explicit(&mutex->state, &expected, 1, memory_order_acquire,
                                                     memory_order_relaxed))
            return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    while (atomic_exchange_explicit(&mutex->state, 2, memory_order_acquire))
    {
#ifdef __linux__
        syscall(SYS_futex, (unsigned int *)&mutex->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
#else
        sched_yield();
#endif
    }
}

void vidmm_small_wake(struct vidmm_small_mutex *mutex)
{
#ifdef __linux__
    syscall(SYS_futex, (unsigned int *)&mutex->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#else
    (void)mutex;
#endif
}

#ifdef VIDMM_TEST

static const char *const rank_names[VIDMM_RANK_COUNT] =
{
    "?", "objects_lock", "gpus_lock", "gpu->lock", "alloc->lock", "sync lock", "table.lock", "slab lock",
};

/* What this thread holds: a count per rank and, for the allocation rank,
 * the highest address held (several are taken only in address order). */
static _Thread_local struct
{
    unsigned int held[VIDMM_RANK_COUNT];
    const void *top_alloc;
} self;

static const void *token(void)
{
    return &self;
}

static void fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "vidmm lock checker: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n");
    abort();
}

void (vidmm_mutex_init)(struct vidmm_mutex *mutex, enum vidmm_lock_rank rank)
{
    pthread_mutex_init(&mutex->m, NULL);
    mutex->owner = NULL;
    mutex->rank = rank;
}

void (vidmm_mutex_destroy)(struct vidmm_mutex *mutex)
{
    if (mutex->owner) fail("destroying %s while it is held%s", rank_names[mutex->rank], "");
    pthread_mutex_destroy(&mutex->m);
}

/* Either kind of lock, at `addr`, owned by `owner`. */
static void check_order(const void *addr, const void *owner, enum vidmm_lock_rank rank)
{
    unsigned int r;

    if (owner == token()) fail("taking %s again in the thread that holds it%s", rank_names[rank], "");
    for (r = rank; r < VIDMM_RANK_COUNT; r++)
    {
        if (!self.held[r]) continue;
        /* Several allocation locks: only in increasing address order. */
        if (r == VIDMM_RANK_ALLOC && rank == VIDMM_RANK_ALLOC && (uintptr_t)addr > (uintptr_t)self.top_alloc) continue;
        fail("taking %s while holding %s (wrong lock order)", rank_names[rank], rank_names[r]);
    }
}

static void note_taken(const void *addr, enum vidmm_lock_rank rank)
{
    self.held[rank]++;
    if (rank == VIDMM_RANK_ALLOC) self.top_alloc = addr;
}

static void note_released(const void *owner, enum vidmm_lock_rank rank)
{
    if (owner != token()) fail("unlocking %s, which this thread does not hold%s", rank_names[rank], "");
    /* A lower allocation lock let go first keeps top_alloc: stricter, never looser. */
    if (!--self.held[rank] && rank == VIDMM_RANK_ALLOC) self.top_alloc = NULL;
}

void (vidmm_mutex_lock)(struct vidmm_mutex *mutex)
{
    check_order(mutex, mutex->owner, mutex->rank);
    pthread_mutex_lock(&mutex->m);
    mutex->owner = token();
    note_taken(mutex, mutex->rank);
}

void (vidmm_mutex_unlock)(struct vidmm_mutex *mutex)
{
    note_released(mutex->owner, mutex->rank);
    mutex->owner = NULL;
    pthread_mutex_unlock(&mutex->m);
}

void vidmm_small_init(struct vidmm_small_mutex *mutex, enum vidmm_lock_rank rank)
{
    atomic_init(&mutex->state, 0);
    mutex->owner = NULL;
    mutex->rank = rank;
}

void vidmm_small_destroy(struct vidmm_small_mutex *mutex)
{
    if (mutex->owner || atomic_load(&mutex->state)) fail("destroying %s while it is held%s", rank_names[mutex->rank], "");
}

void vidmm_small_lock(struct vidmm_small_mutex *mutex)
{
    check_order(mutex, mutex->owner, mutex->rank);
    vidmm_small_lock_raw(mutex);
    mutex->owner = token();
    note_taken(mutex, mutex->rank);
}

void vidmm_small_unlock(struct vidmm_small_mutex *mutex)
{
    note_released(mutex->owner, mutex->rank);
    mutex->owner = NULL;
    vidmm_small_unlock_raw(mutex);
}

void vidmm_cond_wait(pthread_cond_t *cond, struct vidmm_mutex *mutex)
{
    vidmm_assert_held(mutex);
    mutex->owner = NULL;
    pthread_cond_wait(cond, &mutex->m);
    mutex->owner = token();
}

int vidmm_cond_timedwait(pthread_cond_t *cond, struct vidmm_mutex *mutex, const struct timespec *deadline)
{
    int ret;

    vidmm_assert_held(mutex);
    mutex->owner = NULL;
    ret = pthread_cond_timedwait(cond, &mutex->m, deadline);
    mutex->owner = token();
    return ret;
}

void vidmm_assert_held_at(const struct vidmm_mutex *mutex, const char *what, const char *file, int line)
{
    char where[256];

    if (mutex->owner == token()) return;
    snprintf(where, sizeof(where), "%s:%d", file, line);
    fail("%s: %s must be held here", where, what);
}

void vidmm_assert_small_held_at(const struct vidmm_small_mutex *mutex, const char *what, const char *file, int line)
{
    char where[256];

    if (mutex->owner == token()) return;
    snprintf(where, sizeof(where), "%s:%d", file, line);
    fail("%s: %s must be held here", where, what);
}

#endif
