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
 * Keyed mutexes (see private/vidmm_sync.h): a lock with a 64-bit key that
 * only an Acquire of the key of the last Release can take, handing a fence
 * value from each release to the next acquire.  Ownership belongs to a
 * handle; destroying the owning handle abandons the mutex for good.
 *
 * A release hands the mutex straight to the first waiter for its key, so
 * waiters never race each other for it and a wake-up is never wasted.
 */
#if 0
#pragma makedep unix
#endif
#include <errno.h>
#include <string.h>
#include <time.h>

#include "sync_private.h"
#include "private/vidmm_system.h"

/* 100 ns units between 1601-01-01 and 1970-01-01. */
#define NT_EPOCH_DELTA 116444736000000000ll

static NTSTATUS check_private(uint64_t data, uint32_t size)
{
    if (size && !data) return STATUS_INVALID_PARAMETER;   /* NULL requires size 0 [HDR] */
    if (size > VIDMM_KEYED_MUTEX_MAX_PRIVATE) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static NTSTATUS copy_private(uint64_t data, uint32_t size, void **out)
{
    *out = NULL;
    if (!size) return STATUS_SUCCESS;
    if (!(*out = vidmm_malloc(size))) return STATUS_NO_MEMORY;
    memcpy(*out, (const void *)(uintptr_t)data, size);
    return STATUS_SUCCESS;
}

/* ---- state, local or shared (sync lock and km_lock held) ---- */

const void *km_private(const struct sync_core *core, uint32_t *size)
{
    if (!core->skm)
    {
        *size = core->private_size;
        return core->private_data;
    }
    /* Another process wrote it: never more than the slot holds. */
    *size = core->skm->private_size;
    if (*size > VIDMM_SHARED_KM_PRIVATE_MAX) *size = VIDMM_SHARED_KM_PRIVATE_MAX;
    return core->skm->private_data;
}

NTSTATUS vidmm_keyed_mutex_create(struct vidmm *mm, struct vidmm_keyed_mutex_create_args *args)
{
    struct sync_core *core;
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;
    int global = !(args->flags & VIDMM_KEYED_MUTEX_NT_SECURITY);

    if (args->flags & ~VIDMM_KEYED_MUTEX_NT_SECURITY) return STATUS_INVALID_PARAMETER;   /* choice: reserved */
    if ((status = check_private(args->private_data, args->private_size))) return status;
    if (!(s = sync_get(mm)) || !(core = sync_core_new())) return STATUS_NO_MEMORY;
    core->km->key = args->initial_value;
    if ((status = copy_private(args->private_data, args->private_size, &core->private_data)))
    {
        sync_core_put(mm, core);
        return status;
    }
    core->private_size = args->private_size;
    /* A global handle always, unless it may only be NT-shared [WIN]. */
    if (global && (status = sync_global_file(mm, s, core)))
    {
        sync_core_put(mm, core);
        return status;
    }
    status = sync_publish(mm, s, core, VIDMM_OBJECT_KEYED_MUTEX, VIDMM_OBJECT_SHARED_KEYED_MUTEX, global, NULL, &h);
    if (!status)
    {
        args->handle = h->obj.handle;
        args->shared_handle = global ? core->global : 0;
    }
    sync_core_put(mm, core);
    return status;
}

/* The opener's data becomes the mutex's only if it has none [WIN];
 * otherwise the size must be 0 or the stored one and nothing is written
 * (choice for sizes above the stored one: IP too).  Sync lock held. */
static NTSTATUS open_private(struct sync_core *core, void *ctx)
{
    struct vidmm_keyed_mutex_open_args *args = ctx;
    uint32_t stored;

    km_private(core, &stored);
    /* Choice: a shared mutex keeps no more data than its slot holds. */
    if (!stored && core->skm && args->private_size > VIDMM_SHARED_KM_PRIVATE_MAX) return STATUS_INVALID_PARAMETER;
    if (!stored || !args->private_size || args->private_size == stored) return STATUS_SUCCESS;
    return STATUS_INVALID_PARAMETER;
}

NTSTATUS km_open_local(struct vidmm *mm, struct vidmm_keyed_mutex_open_args *args)
{
    struct sync_handle *h;
    struct sync_core *core;
    struct vidmm_sync *s;
    NTSTATUS status;
    void *data;

    if (!(s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE)) || !args->shared_handle) return STATUS_INVALID_PARAMETER;
    if ((status = check_private(args->private_data, args->private_size))) return status;
    if ((status = copy_private(args->private_data, args->private_size, &data))) return status;
    if ((status = sync_open_global(mm, s, args->shared_handle, VIDMM_OBJECT_SHARED_KEYED_MUTEX,
                                   VIDMM_OBJECT_KEYED_MUTEX, open_private, args, &h)))
    {
        vidmm_free(data);
        return status;
    }
    core = h->core;
    vidmm_mutex_lock(&s->lock);
    km_lock(mm, core);
    if (core->skm && !core->skm->private_size && data && args->private_size <= VIDMM_SHARED_KM_PRIVATE_MAX)
    {
        memcpy(core->skm->private_data, data, args->private_size);
        core->skm->private_size = args->private_size;
    }
    else if (!core->skm && !core->private_size && data)
    {
        core->private_data = data;
        core->private_size = args->private_size;
        data = NULL;
    }
    km_unlock(core);
    vidmm_mutex_unlock(&s->lock);
    vidmm_free(data);
    args->handle = h->obj.handle;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_keyed_mutex_destroy(struct vidmm *mm, uint32_t handle)
{
    return sync_destroy_handle(mm, handle, VIDMM_OBJECT_KEYED_MUTEX, 0);
}

void km_check_owner(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core)
{
    struct vidmm_list fire, dead;
    uint32_t slot, gen;
    uint64_t owner;

    if (!core->skm) return;
    /* A peek first: asking whether a process lives costs system calls, made
     * without any lock. */
    owner = __atomic_load_n(&core->km->owner, __ATOMIC_ACQUIRE);
    slot = __atomic_load_n(&core->skm->owner_slot, __ATOMIC_ACQUIRE);
    gen = __atomic_load_n(&core->skm->owner_generation, __ATOMIC_ACQUIRE);
    if (owner == VIDMM_OWNER_NONE || slot >= VIDMM_SYSTEM_SLOTS || slot == s->self_slot
        || vidmm_system_alive(mm, slot, gen))
        return;
    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    km_lock(mm, core);
    if (core->km->owner == owner && core->skm->owner_slot == slot && core->skm->owner_generation == gen
        && !core->km->abandoned)
        km_abandon(core, &fire);
    km_unlock(core);
    sync_shared_ring(mm, s, core);
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
}

/* The CLOCK_MONOTONIC deadline of an NT timeout; 0 when it has passed. */
static int deadline_of(int64_t timeout, struct timespec *deadline)
{
    struct timespec now;
    int64_t rel;

    if (timeout > 0)
    {
        /* Absolute (system time): turned into a relative one now, so a
         * later change of the system clock is not followed. */
        clock_gettime(CLOCK_REALTIME, &now);
        rel = timeout - NT_EPOCH_DELTA - ((int64_t)now.tv_sec * 10000000 + now.tv_nsec / 100);
    }
    else rel = timeout == INT64_MIN ? INT64_MAX : -timeout;
    if (rel <= 0) return 0;
    clock_gettime(CLOCK_MONOTONIC, deadline);
    if (rel / 10000000 > INT32_MAX) rel = (int64_t)INT32_MAX * 10000000;
    deadline->tv_sec += rel / 10000000;
    deadline->tv_nsec += (rel % 10000000) * 100;
    if (deadline->tv_nsec >= 1000000000)
    {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000;
    }
    return 1;
}

/* The owner's view of the private data; sync lock held. */
static void read_private(struct sync_core *core, struct vidmm_keyed_mutex_acquire_args *args)
{
    uint32_t stored, size;
    const void *data = km_private(core, &stored);

    size = stored < args->private_size ? stored : args->private_size;
    if (args->private_data && size) memcpy((void *)(uintptr_t)args->private_data, data, size);
}

/* Blocks until handed the mutex, abandoned, destroyed or timed out; sync lock held. */
static NTSTATUS wait_for_key(struct vidmm_sync *s, struct sync_handle *h, struct waiter *w,
                             const struct vidmm_keyed_mutex_acquire_args *args)
{
    struct timespec deadline;
    int timed = args->has_timeout;

    if (timed && !deadline_of(args->timeout, &deadline)) return STATUS_TIMEOUT;
    w->entries[0].waiter = w;
    w->entries[0].handle = h;
    w->entries[0].value = args->key;
    list_add_tail(&h->core->waiters, &w->entries[0].entry);
    w->entries[0].linked = 1;
    h->core->km_local.waiters++;
    while (!w->done)
    {
        if (!timed) vidmm_cond_wait(&w->cond, &s->lock);
        else if (vidmm_cond_timedwait(&w->cond, &s->lock, &deadline) == ETIMEDOUT && !w->done)
        {
            list_remove(&w->entries[0].entry);
            w->entries[0].linked = 0;
            h->core->km_local.waiters--;
            return STATUS_TIMEOUT;
        }
    }
    return w->status;
}

NTSTATUS vidmm_keyed_mutex_acquire(struct vidmm *mm, struct vidmm_keyed_mutex_acquire_args *args)
{
    struct sync_handle *h;
    struct sync_core *core;
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct waiter *w;
    NTSTATUS status;
    uint32_t stored;
    int waited = 0;

    if (!s || !(h = sync_handle_get(mm, args->handle, VIDMM_OBJECT_KEYED_MUTEX))) return STATUS_INVALID_PARAMETER;
    if (args->private_size && !args->private_data)
    {
        sync_handle_put(mm, h);
        return STATUS_INVALID_PARAMETER;
    }
    if (!(w = waiter_new(s, 1, 1)))
    {
        sync_handle_put(mm, h);
        return STATUS_NO_MEMORY;
    }
    core = h->core;
    km_check_owner(mm, s, core);
    vidmm_mutex_lock(&s->lock);
    km_lock(mm, core);
    km_private(core, &stored);
    status = STATUS_PENDING;
    if (h->dead) status = STATUS_INVALID_PARAMETER;
    /* Choice (spec §6.8 [INF]): a buffer too small for the stored data is IP. */
    else if (args->private_data && args->private_size < stored) status = STATUS_INVALID_PARAMETER;
    else if (core->km->abandoned) status = STATUS_ABANDONED;   /* permanent [WIN] */
    /* Choice (spec §11.15): the owning handle acquiring again is IP, not a deadlock. */
    else if (km_owned_by(s, core, h)) status = STATUS_INVALID_PARAMETER;
    else if (core->km->owner == VIDMM_OWNER_NONE && core->km->key == args->key)
    {
        km_set_owner(s, core, h);
        w->fence_value = core->km->fence_value;
        status = STATUS_SUCCESS;
    }
    if (status == STATUS_SUCCESS) read_private(core, args);
    km_unlock(core);
    /* A release in another process after this look rings this one, whose
     * listener needs the sync lock: it finds this waiter linked. */
    if (status == STATUS_PENDING)
    {
        waited = 1;
        status = wait_for_key(s, h, w, args);
    }
    if (status == STATUS_SUCCESS)
    {
        if (waited)
        {
            /* Handed over while waiting: the data as the release left it. */
            km_lock(mm, core);
            read_private(core, args);
            km_unlock(core);
        }
        args->fence_value = w->fence_value;
    }
    else if (status == STATUS_TIMEOUT || status == STATUS_ABANDONED) args->fence_value = 0;   /* [WIN] */
    vidmm_mutex_unlock(&s->lock);
    w->count = 0;   /* its entry's reference is the call's own */
    waiter_free(mm, w);
    sync_handle_put(mm, h);
    return status;
}

NTSTATUS vidmm_keyed_mutex_release(struct vidmm *mm, const struct vidmm_keyed_mutex_release_args *args)
{
    struct vidmm_list fire, dead;
    struct sync_handle *h;
    struct sync_core *core;
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    NTSTATUS status = STATUS_SUCCESS;
    void *data;

    if (!s || !(h = sync_handle_get(mm, args->handle, VIDMM_OBJECT_KEYED_MUTEX))) return STATUS_INVALID_PARAMETER;
    if ((status = check_private(args->private_data, args->private_size))
        || (status = copy_private(args->private_data, args->private_size, &data)))
    {
        sync_handle_put(mm, h);
        return status;
    }
    list_init(&fire);
    list_init(&dead);
    core = h->core;
    vidmm_mutex_lock(&s->lock);
    km_lock(mm, core);
    if (h->dead || !km_owned_by(s, core, h)) status = STATUS_INVALID_PARAMETER;   /* not the owner [WIN] */
    /* Choice: a shared mutex keeps no more data than its slot holds. */
    else if (core->skm && args->private_size > VIDMM_SHARED_KM_PRIVATE_MAX) status = STATUS_INVALID_PARAMETER;
    else
    {
        __atomic_store_n(&core->km->owner, VIDMM_OWNER_NONE, __ATOMIC_RELEASE);
        core->km->key = args->key;
        core->km->fence_value = args->fence_value;
        /* Release2 replaces the data; choice (§11.14): size 0 keeps it. */
        if (args->private_size && core->skm)
        {
            memcpy(core->skm->private_data, data, args->private_size);
            core->skm->private_size = args->private_size;
        }
        else if (args->private_size)
        {
            vidmm_free(core->private_data);
            core->private_data = data;
            core->private_size = args->private_size;
            data = NULL;
        }
        /* Straight to a waiter of this process if one wants the key; the
         * other processes' waiters learn of it from the doorbell. */
        km_hand_over(s, core, &fire);
        sync_shared_ring(mm, s, core);
    }
    km_unlock(core);
    vidmm_mutex_unlock(&s->lock);
    vidmm_free(data);
    sync_handle_put(mm, h);
    return status;
}
