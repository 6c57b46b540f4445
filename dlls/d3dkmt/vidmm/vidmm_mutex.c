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
 * The lock checker of the test build (see vidmm_mutex.h).  The product
 * build has only the inline pthread wrappers, and this file is empty.
 */
#if 0
#pragma makedep unix
#endif
#ifdef VIDMM_TEST

#include <stdio.h>
#include <stdlib.h>

#include "private/vidmm_mutex.h"

static const char *const rank_names[VIDMM_RANK_COUNT] =
{
    "?", "objects_lock", "gpus_lock", "gpu->lock", "alloc->lock", "sync lock", "table.lock",
};

/* What this thread holds: a count per rank and, for the allocation rank,
 * the highest address held (several are taken only in address order). */
static _Thread_local struct
{
    unsigned int held[VIDMM_RANK_COUNT];
    const struct vidmm_mutex *top_alloc;
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

void vidmm_mutex_init(struct vidmm_mutex *mutex, enum vidmm_lock_rank rank)
{
    pthread_mutex_init(&mutex->m, NULL);
    mutex->owner = NULL;
    mutex->rank = rank;
}

void vidmm_mutex_destroy(struct vidmm_mutex *mutex)
{
    if (mutex->owner) fail("destroying %s while it is held%s", rank_names[mutex->rank], "");
    pthread_mutex_destroy(&mutex->m);
}

static void check_order(const struct vidmm_mutex *mutex)
{
    unsigned int r;

    if (mutex->owner == token()) fail("taking %s again in the thread that holds it%s", rank_names[mutex->rank], "");
    for (r = mutex->rank; r < VIDMM_RANK_COUNT; r++)
    {
        if (!self.held[r]) continue;
        /* Several allocation locks: only in increasing address order. */
        if (r == VIDMM_RANK_ALLOC && mutex->rank == VIDMM_RANK_ALLOC && mutex > self.top_alloc) continue;
        fail("taking %s while holding %s (wrong lock order)", rank_names[mutex->rank], rank_names[r]);
    }
}

void vidmm_mutex_lock(struct vidmm_mutex *mutex)
{
    check_order(mutex);
    pthread_mutex_lock(&mutex->m);
    mutex->owner = token();
    self.held[mutex->rank]++;
    if (mutex->rank == VIDMM_RANK_ALLOC) self.top_alloc = mutex;
}

void vidmm_mutex_unlock(struct vidmm_mutex *mutex)
{
    if (mutex->owner != token()) fail("unlocking %s, which this thread does not hold%s", rank_names[mutex->rank], "");
    mutex->owner = NULL;
    /* A lower allocation lock let go first keeps top_alloc: stricter, never looser. */
    if (!--self.held[mutex->rank] && mutex->rank == VIDMM_RANK_ALLOC) self.top_alloc = NULL;
    pthread_mutex_unlock(&mutex->m);
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

#else
typedef int vidmm_mutex_unused;   /* ISO C wants a declaration in every file */
#endif
