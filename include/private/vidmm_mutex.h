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
 * The manager's mutexes.  In the product they are plain pthread mutexes.
 * In the test build of the core (VIDMM_TEST: the unit tests, the model
 * tester and the sanitizer runs) each records its owner and rank, and a
 * thread that takes locks out of order, or calls a function whose "held"
 * precondition it does not meet, aborts with a message.  The ranks and
 * what each lock guards are in vidmm_private.h.
 */
#ifndef VIDMM_MUTEX_H
#define VIDMM_MUTEX_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/* Outermost first: a thread may take a lock only if every lock it holds has
 * a lower rank.  VIDMM_RANK_ALLOC is the one rank of which several may be
 * held at once, taken in increasing address order. */
enum vidmm_lock_rank
{
    VIDMM_RANK_OBJECTS = 1,   /* vidmm.objects_lock */
    VIDMM_RANK_GPUS,          /* vidmm.gpus_lock */
    VIDMM_RANK_GPU,           /* gpu->lock */
    VIDMM_RANK_ALLOC,         /* alloc->lock */
    VIDMM_RANK_SYNC,          /* vidmm_sync.lock (sync.c) */
    VIDMM_RANK_TABLE,         /* the handle table's lock */
    VIDMM_RANK_SLAB,          /* a slab's lock (slab.c): innermost */
    VIDMM_RANK_COUNT
};

struct vidmm_mutex
{
    pthread_mutex_t m;
#ifdef VIDMM_TEST
    const void *_Atomic owner;   /* the owning thread's token, NULL when free */
    enum vidmm_lock_rank rank;
#endif
};

/* The lock of which there is one per allocation: 4 bytes in the product
 * instead of a pthread mutex's 40 (a million allocations hold a million).
 * 0 free, 1 held, 2 held and a thread may sleep on it (a futex); a waiter
 * spins a little first, as holders mostly hold it for a few instructions.
 * No condition waits on it.  vidmm_mutex_lock and the other calls below
 * take either kind (_Generic). */
struct vidmm_small_mutex
{
    atomic_uint state;
#ifdef VIDMM_TEST
    const void *_Atomic owner;
    enum vidmm_lock_rank rank;
#endif
};

/* The waiting and waking halves, out of line. */
void vidmm_small_lock_wait(struct vidmm_small_mutex *mutex);
void vidmm_small_wake(struct vidmm_small_mutex *mutex);

static inline void vidmm_small_lock_raw(struct vidmm_small_mutex *mutex)
{
    unsigned int free_state = 0;

    if (!atomic_compare_exchange_strong_explicit(&mutex->state, &free_state, 1, memory_order_acquire,
                                                 memory_order_relaxed))
        vidmm_small_lock_wait(mutex);
}

static inline void vidmm_small_unlock_raw(struct vidmm_small_mutex *mutex)
{
    if (atomic_exchange_explicit(&mutex->state, 0, memory_order_release) == 2) vidmm_small_wake(mutex);
}

#ifdef VIDMM_TEST

void (vidmm_mutex_init)(struct vidmm_mutex *mutex, enum vidmm_lock_rank rank);
void (vidmm_mutex_destroy)(struct vidmm_mutex *mutex);
void (vidmm_mutex_lock)(struct vidmm_mutex *mutex);
void (vidmm_mutex_unlock)(struct vidmm_mutex *mutex);
void vidmm_small_init(struct vidmm_small_mutex *mutex, enum vidmm_lock_rank rank);
void vidmm_small_destroy(struct vidmm_small_mutex *mutex);
void vidmm_small_lock(struct vidmm_small_mutex *mutex);
void vidmm_small_unlock(struct vidmm_small_mutex *mutex);
void vidmm_cond_wait(pthread_cond_t *cond, struct vidmm_mutex *mutex);
/* pthread_cond_timedwait's result. */
int vidmm_cond_timedwait(pthread_cond_t *cond, struct vidmm_mutex *mutex, const struct timespec *deadline);
/* Aborts unless the calling thread holds the mutex. */
void vidmm_assert_held_at(const struct vidmm_mutex *mutex, const char *what, const char *file, int line);
void vidmm_assert_small_held_at(const struct vidmm_small_mutex *mutex, const char *what, const char *file, int line);
#define vidmm_assert_held(mutex) \
    _Generic((mutex), struct vidmm_small_mutex *: vidmm_assert_small_held_at, \
             const struct vidmm_small_mutex *: vidmm_assert_small_held_at, \
             default: vidmm_assert_held_at)(mutex, #mutex, __FILE__, __LINE__)

#else

static inline void (vidmm_mutex_init)(struct vidmm_mutex *mutex, enum vidmm_lock_rank rank)
{
    pthread_mutex_init(&mutex->m, NULL);
}
static inline void (vidmm_mutex_destroy)(struct vidmm_mutex *mutex) { pthread_mutex_destroy(&mutex->m); }
static inline void (vidmm_mutex_lock)(struct vidmm_mutex *mutex) { pthread_mutex_lock(&mutex->m); }
static inline void (vidmm_mutex_unlock)(struct vidmm_mutex *mutex) { pthread_mutex_unlock(&mutex->m); }
static inline void vidmm_small_init(struct vidmm_small_mutex *mutex, enum vidmm_lock_rank rank)
{
    atomic_init(&mutex->state, 0);
}
static inline void vidmm_small_destroy(struct vidmm_small_mutex *mutex) {}
static inline void vidmm_small_lock(struct vidmm_small_mutex *mutex) { vidmm_small_lock_raw(mutex); }
static inline void vidmm_small_unlock(struct vidmm_small_mutex *mutex) { vidmm_small_unlock_raw(mutex); }
static inline void vidmm_cond_wait(pthread_cond_t *cond, struct vidmm_mutex *mutex)
{
    pthread_cond_wait(cond, &mutex->m);
}
static inline int vidmm_cond_timedwait(pthread_cond_t *cond, struct vidmm_mutex *mutex, const struct timespec *deadline)
{
    return pthread_cond_timedwait(cond, &mutex->m, deadline);
}
#define vidmm_assert_held(mutex) ((void)(mutex))

#endif

/* Either kind of lock. */
#define vidmm_mutex_init(mutex, rank) \
    _Generic((mutex), struct vidmm_small_mutex *: vidmm_small_init, default: vidmm_mutex_init)(mutex, rank)
#define vidmm_mutex_destroy(mutex) \
    _Generic((mutex), struct vidmm_small_mutex *: vidmm_small_destroy, default: vidmm_mutex_destroy)(mutex)
#define vidmm_mutex_lock(mutex) \
    _Generic((mutex), struct vidmm_small_mutex *: vidmm_small_lock, default: vidmm_mutex_lock)(mutex)
#define vidmm_mutex_unlock(mutex) \
    _Generic((mutex), struct vidmm_small_mutex *: vidmm_small_unlock, default: vidmm_mutex_unlock)(mutex)

#endif
