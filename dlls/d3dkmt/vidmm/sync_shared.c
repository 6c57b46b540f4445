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
 * Sync objects and keyed mutexes shared between processes (see
 * private/vidmm_sync.h, "state in a share file"): moving an object's state
 * into a share file, opening it from one, the cross-process lock of a keyed
 * mutex, and the listener that re-checks this process' waits when another
 * process rings.
 *
 * Locking: the sync lock, then a keyed mutex's slot lock (km_lock); the
 * slot lock is held for a few hundred instructions and never across a
 * sleep.  Only cross-process contention is possible on it (every holder in
 * this process holds the sync lock too), so it spins and yields, and after
 * about a millisecond asks whether its holder is still alive.
 */
#if 0
#pragma makedep unix
#endif
#include <sched.h>
#include <stddef.h>
#include <string.h>

#include "sync_private.h"
#include "private/vidmm_system.h"

_Static_assert(sizeof(struct vidmm_shared_sync) <= VIDMM_SHARE_SYNC_SLOT_SIZE, "sync state fits its slot");
_Static_assert(sizeof(struct vidmm_shared_keyed_mutex) <= VIDMM_SHARE_MUTEX_SLOT_SIZE, "keyed mutex fits its slot");
_Static_assert(offsetof(struct vidmm_shared_sync, fence) % 8 == 0, "64-bit atomics aligned");
_Static_assert(offsetof(struct vidmm_shared_keyed_mutex, km) % 8 == 0, "64-bit fields aligned");
_Static_assert(sizeof(struct vidmm_shared_sync) % 8 == 0 && sizeof(struct vidmm_shared_keyed_mutex) % 8 == 0,
               "same size on i686 and x86_64");

/* ---- moving the state into a file ---- */

/* The sync object behind a handle, if it may be NT-shared; reference in *out. */
static NTSTATUS get_nt_sync(struct vidmm *mm, uint32_t handle, struct sync_handle **out)
{
    if (vidmm_share_check_sync(mm, handle, 0)) return STATUS_INVALID_PARAMETER;
    if (!(*out = sync_handle_get(mm, handle, VIDMM_OBJECT_SYNC))) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

static void set_slot_bit(struct vidmm_share_file *file, uint32_t bit)
{
    __atomic_fetch_or(&share_header(file)->slots, bit, __ATOMIC_RELEASE);
}

NTSTATUS vidmm_sync_share(struct vidmm *mm, uint32_t handle, struct vidmm_share_file **out)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct vidmm_share_file *file = NULL;
    struct vidmm_share_header *hdr;
    struct sync_handle *h;
    struct sync_core *core;
    NTSTATUS status;

    if (!s || (status = get_nt_sync(mm, handle, &h))) return STATUS_INVALID_PARAMETER;
    if (!mm->share_ops.create)
    {
        sync_handle_put(mm, h);
        return STATUS_NOT_SUPPORTED;
    }
    sync_self_init(mm, s);
    core = h->core;
    /* Made outside the lock (system calls), dropped if not needed. */
    if (!__atomic_load_n(&core->file, __ATOMIC_ACQUIRE)
        && (status = mm->share_ops.create(mm->share_ops.ctx, VIDMM_SHARE_MIN_SIZE, &file)))
    {
        sync_handle_put(mm, h);
        return status;
    }
    vidmm_mutex_lock(&s->lock);
    status = STATUS_INVALID_PARAMETER;
    if (h->dead) goto done;
    if (core->file)
    {
        /* Shared before: its own file again; one in a bundle stays there (a choice). */
        if (share_header(core->file)->kind != VIDMM_SHARE_KIND_SYNC) goto done;
        share_ref(core->file);
        *out = core->file;
        status = STATUS_SUCCESS;
        goto done;
    }
    if (!file) goto done;
    hdr = share_header(file);
    hdr->magic = VIDMM_SHARE_MAGIC;
    hdr->version = VIDMM_SHARE_VERSION;
    hdr->kind = VIDMM_SHARE_KIND_SYNC;
    hdr->file_size = file->size;
    core->ss = sync_slot(file);
    sync_fill_slot(s, core, core->ss);
    core->file = file;
    sync_shared_join(s, core);
    set_slot_bit(file, VIDMM_SHARE_SLOT_SYNC);
    atomic_store_explicit(&hdr->ready, 1, memory_order_release);
    share_ref(file);   /* the core's */
    *out = file;
    file = NULL;
    status = STATUS_SUCCESS;
done:
    vidmm_mutex_unlock(&s->lock);
    if (file) vidmm_share_put(mm, file);
    sync_handle_put(mm, h);
    return status;
}

NTSTATUS vidmm_sync_to_slot(struct vidmm *mm, uint32_t handle, struct vidmm_share_file *file)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct sync_handle *h;
    struct sync_core *core;
    NTSTATUS status;

    if (!s || get_nt_sync(mm, handle, &h)) return STATUS_INVALID_PARAMETER;
    sync_self_init(mm, s);
    core = h->core;
    vidmm_mutex_lock(&s->lock);
    status = STATUS_INVALID_PARAMETER;
    if (h->dead || !file->writable) goto done;
    if (core->file)
    {
        /* Shared in this bundle before (maybe through another view of the file). */
        if (core->ss && (__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_SYNC)
            && sync_slot(file)->id == core->ss->id)
            status = STATUS_SUCCESS;
        goto done;
    }
    /* The bundle's slot is taken by another sync object. */
    if (__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_SYNC) goto done;
    core->ss = sync_slot(file);
    sync_fill_slot(s, core, core->ss);
    share_ref(file);
    core->file = file;
    sync_shared_join(s, core);
    set_slot_bit(file, VIDMM_SHARE_SLOT_SYNC);
    status = STATUS_SUCCESS;
done:
    vidmm_mutex_unlock(&s->lock);
    sync_handle_put(mm, h);
    return status;
}

NTSTATUS vidmm_keyed_mutex_to_slot(struct vidmm *mm, uint32_t handle, struct vidmm_share_file *file)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct sync_handle *h;
    struct sync_core *core;
    NTSTATUS status;

    if (!s || vidmm_share_check_sync(mm, handle, 1)) return STATUS_INVALID_PARAMETER;
    if (!(h = sync_handle_get(mm, handle, VIDMM_OBJECT_KEYED_MUTEX))) return STATUS_INVALID_PARAMETER;
    sync_self_init(mm, s);
    core = h->core;
    vidmm_mutex_lock(&s->lock);
    status = STATUS_INVALID_PARAMETER;
    if (h->dead || !file->writable) goto done;
    if (core->file)
    {
        if (core->skm && (__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_MUTEX)
            && km_slot(file)->id == core->skm->id)
            status = STATUS_SUCCESS;
        goto done;
    }
    if (__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_MUTEX) goto done;
    /* Choice: more private data than the slot holds cannot be shared. */
    if (core->private_size > VIDMM_SHARED_KM_PRIVATE_MAX) goto done;
    km_fill_slot(s, core, km_slot(file));
    share_ref(file);
    core->file = file;
    sync_shared_join(s, core);
    set_slot_bit(file, VIDMM_SHARE_SLOT_MUTEX);
    status = STATUS_SUCCESS;
done:
    vidmm_mutex_unlock(&s->lock);
    sync_handle_put(mm, h);
    return status;
}

/* ---- opening from a file ---- */

/* This process' core over the same object, if it has one. */
static struct sync_core *find_shared(struct vidmm_sync *s, uint64_t id, int keyed)
{
    struct vidmm_list *e;

    for (e = s->shared.next; e != &s->shared; e = e->next)
    {
        struct sync_core *core = LIST_ENTRY(e, struct sync_core, shared_entry);

        if (keyed ? core->skm && core->skm->id == id : core->ss && core->ss->id == id) return core;
    }
    return NULL;
}

/* A slot another process filled: copied field by field, checked before use. */
static NTSTATUS check_sync_slot(struct vidmm_share_file *file, struct vidmm_shared_sync *copy)
{
    if (!(__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_SYNC))
        return STATUS_INVALID_PARAMETER;
    memcpy(copy, sync_slot(file), sizeof(*copy));
    if (copy->magic != VIDMM_SHARED_SYNC_MAGIC || !copy->id) return STATUS_INVALID_PARAMETER;
    if (copy->type < VIDMM_SYNC_MUTEX || copy->type > VIDMM_SYNC_MONITORED_FENCE) return STATUS_INVALID_PARAMETER;
    if (copy->type == VIDMM_SYNC_CPU_NOTIFICATION) return STATUS_INVALID_PARAMETER;   /* never shared */
    if (copy->type == VIDMM_SYNC_MONITORED_FENCE && !file->writable) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

/* Registers a global value for a core opened from another process' file. */
static NTSTATUS insert_global(struct vidmm *mm, struct sync_core *core, enum vidmm_object_type type, uint32_t global)
{
    NTSTATUS status;

    if (!global) return STATUS_SUCCESS;
    if ((status = handle_table_insert_value(&mm->table, core, type, global)))
        return status == STATUS_OBJECT_NAME_COLLISION ? STATUS_INVALID_PARAMETER : status;
    core->global = global;
    return STATUS_SUCCESS;
}

static NTSTATUS open_sync_file(struct vidmm *mm, struct vidmm_share_file *file, struct vidmm_sync_open_slot_args *args,
                               uint32_t global)
{
    struct vidmm_device *device = NULL;
    struct vidmm_shared_sync copy;
    struct sync_core *fresh = NULL, *core;
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;

    if (args->flags & ~VIDMM_SYNC_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if ((status = check_sync_slot(file, &copy))) return status;
    if (!(s = sync_get(mm))) return STATUS_NO_MEMORY;
    if (args->device)
    {
        if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
        if ((status = device_check(device))) goto done;
    }
    sync_self_init(mm, s);
    /* A core of our own, made outside the locks; dropped if this process has one. */
    status = STATUS_NO_MEMORY;
    if (!(fresh = sync_core_new())) goto done;
    fresh->type = copy.type;
    fresh->flags = copy.flags;
    fresh->initial_state = copy.initial_state;
    fresh->max_count = copy.max_count;
    fresh->initial_count = copy.initial_count;
    fresh->fence_value = copy.fence_value;
    if (copy.type == VIDMM_SYNC_MONITORED_FENCE && (status = sync_fence_page(mm, s, fresh))) goto done;

    if (device) vidmm_mutex_lock(&mm->objects_lock);
    vidmm_mutex_lock(&s->lock);
    status = STATUS_INVALID_PARAMETER;
    if (device && device->dead) goto unlock;
    if (!(core = find_shared(s, copy.id, 0)))
    {
        core = fresh;
        core->ss = sync_slot(file);
        if (core->fence)
        {
            core->fence = &core->ss->fence;
            if (!core->fence_pub) core->fence_pub = &core->fence_local->value;
            __atomic_store_n(core->fence_pub, fence_value_of(core), __ATOMIC_RELEASE);
        }
        share_ref(file);
        core->file = file;
        if ((status = insert_global(mm, core, VIDMM_OBJECT_SHARED_SYNC, global))) goto unlock;
    }
    if ((status = sync_add_handle(mm, s, core, VIDMM_OBJECT_SYNC, device, &h)))
    {
        if (core == fresh && core->global) handle_table_remove(&mm->table, core->global, VIDMM_OBJECT_SHARED_SYNC);
        core->global = core == fresh ? 0 : core->global;
        goto unlock;
    }
    if (core == fresh)
    {
        sync_shared_join(s, core);
        fresh = NULL;   /* the handle holds it */
        sync_core_put(mm, core);
    }
    args->handle = h->obj.handle;
    args->type = core->type;
    args->fence_cpu_va = core->fence ? core->fence_app : 0;
unlock:
    if (status && fresh && fresh->file)
    {
        /* Not published: undo what was set up for it. */
        share_unref(mm, fresh->file);
        fresh->file = NULL;
        fresh->ss = NULL;
        fresh->fence = fresh->fence_local;
    }
    vidmm_mutex_unlock(&s->lock);
    if (device) vidmm_mutex_unlock(&mm->objects_lock);
done:
    sync_core_put(mm, fresh);
    vidmm_put(mm, device);
    return status;
}

static NTSTATUS check_km_slot(struct vidmm_share_file *file)
{
    struct vidmm_shared_keyed_mutex *skm = km_slot(file);

    if (!(__atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE) & VIDMM_SHARE_SLOT_MUTEX))
        return STATUS_INVALID_PARAMETER;
    /* Every process writes the state under the slot lock: it needs a writable view. */
    if (!file->writable || skm->magic != VIDMM_SHARED_KM_MAGIC || !skm->id) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_sync_open_slot(struct vidmm *mm, struct vidmm_share_file *file, struct vidmm_sync_open_slot_args *args)
{
    return open_sync_file(mm, file, args, 0);
}

static NTSTATUS open_km_file(struct vidmm *mm, struct vidmm_share_file *file, uint64_t private_data,
                             uint32_t private_size, uint32_t global, uint32_t *handle)
{
    struct vidmm_shared_keyed_mutex *skm = km_slot(file);
    struct sync_core *fresh = NULL, *core;
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;
    uint32_t stored;

    if ((status = check_km_slot(file))) return status;
    if (private_size && !private_data) return STATUS_INVALID_PARAMETER;
    if (!(s = sync_get(mm))) return STATUS_NO_MEMORY;
    sync_self_init(mm, s);
    if (!(fresh = sync_core_new())) return STATUS_NO_MEMORY;

    vidmm_mutex_lock(&s->lock);
    if (!(core = find_shared(s, skm->id, 1)))
    {
        core = fresh;
        core->skm = skm;
        core->km = &skm->km;
        share_ref(file);
        core->file = file;
    }
    km_lock(mm, core);
    /* The opener's data is the initial data, kept only if there is none
     * (the rules of OpenKeyedMutex2, spec §6.8). */
    stored = core->skm->private_size;
    status = STATUS_SUCCESS;
    if (stored > VIDMM_SHARED_KM_PRIVATE_MAX) status = STATUS_INVALID_PARAMETER;
    else if (stored && private_size && private_size != stored) status = STATUS_INVALID_PARAMETER;
    else if (!stored && private_size > VIDMM_SHARED_KM_PRIVATE_MAX) status = STATUS_INVALID_PARAMETER;
    if (!status && core == fresh) status = insert_global(mm, core, VIDMM_OBJECT_SHARED_KEYED_MUTEX, global);
    if (!status && (status = sync_add_handle(mm, s, core, VIDMM_OBJECT_KEYED_MUTEX, NULL, &h)) && core == fresh
        && core->global)
    {
        handle_table_remove(&mm->table, core->global, VIDMM_OBJECT_SHARED_KEYED_MUTEX);
        core->global = 0;
    }
    if (!status && !stored && private_size)
    {
        memcpy(core->skm->private_data, (const void *)(uintptr_t)private_data, private_size);
        __atomic_store_n(&core->skm->private_size, private_size, __ATOMIC_RELEASE);
    }
    km_unlock(core);
    if (!status)
    {
        if (core == fresh)
        {
            sync_shared_join(s, core);
            sync_core_put(mm, fresh);   /* the handle holds it */
            fresh = NULL;
        }
        *handle = h->obj.handle;
    }
    else if (core == fresh)
    {
        share_unref(mm, file);
        fresh->file = NULL;
        fresh->skm = NULL;
        fresh->km = &fresh->km_local;
    }
    if (!status) atomic_fetch_add(&core->refs, 1);   /* for the check below */
    vidmm_mutex_unlock(&s->lock);
    sync_core_put(mm, fresh);
    if (status) return status;
    /* Its owner may have died before this process could learn it. */
    km_check_owner(mm, s, core);
    sync_core_put(mm, core);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_keyed_mutex_open_slot(struct vidmm *mm, struct vidmm_share_file *file, uint64_t private_data,
                                     uint32_t private_size, uint32_t *handle)
{
    return open_km_file(mm, file, private_data, private_size, 0, handle);
}

/* ---- global (legacy) handles of other processes ---- */

/* The share file behind another process' global value, checked to be it. */
static NTSTATUS open_global(struct vidmm *mm, uint32_t value, uint32_t kind, struct vidmm_share_file **file)
{
    NTSTATUS status;

    if (!mm->share_ops.open_global || !value) return STATUS_INVALID_PARAMETER;
    if ((status = mm->share_ops.open_global(mm->share_ops.ctx, value, kind, file)))
        return status == STATUS_NO_MEMORY ? status : STATUS_INVALID_PARAMETER;
    if (share_header(*file)->global_value != value)
    {
        vidmm_share_put(mm, *file);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_sync_open(struct vidmm *mm, struct vidmm_sync_open_args *args)
{
    struct vidmm_sync_open_slot_args open = {0};
    struct vidmm_share_file *file;
    NTSTATUS status;

    if ((status = sync_open_local(mm, args)) != STATUS_INVALID_PARAMETER || !args->shared_handle) return status;
    /* Not this process' object: another one's, prefix-wide. */
    if (open_global(mm, args->shared_handle, VIDMM_SHARE_KIND_SYNC, &file)) return STATUS_INVALID_PARAMETER;
    status = open_sync_file(mm, file, &open, args->shared_handle);
    vidmm_share_put(mm, file);
    if (status) return status;
    args->handle = open.handle;
    args->type = open.type;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_keyed_mutex_open(struct vidmm *mm, struct vidmm_keyed_mutex_open_args *args)
{
    struct vidmm_share_file *file;
    NTSTATUS status;

    if ((status = km_open_local(mm, args)) != STATUS_INVALID_PARAMETER || !args->shared_handle) return status;
    if (open_global(mm, args->shared_handle, VIDMM_SHARE_KIND_KEYED_MUTEX, &file)) return STATUS_INVALID_PARAMETER;
    status = open_km_file(mm, file, args->private_data, args->private_size, args->shared_handle, &args->handle);
    vidmm_share_put(mm, file);
    return status;
}
