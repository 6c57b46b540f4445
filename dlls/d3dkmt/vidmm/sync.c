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
 * Synchronization objects: create, open, destroy, CPU signal and CPU wait
 * (see private/vidmm_sync.h), and the handle and waiter machinery the keyed
 * mutexes use too.
 */
#if 0
#pragma makedep unix
#endif
#include <stddef.h>
#include <string.h>

#include "sync_private.h"
#include "private/vidmm_system.h"

/* ---- the manager's sync state ---- */

static struct vidmm_sync *sync_new(void)
{
    struct vidmm_sync *s;

    if (!(s = vidmm_calloc(1, sizeof(*s)))) return NULL;
    vidmm_mutex_init(&s->lock, VIDMM_RANK_SYNC);
    pthread_condattr_init(&s->cond_attr);
    pthread_condattr_setclock(&s->cond_attr, CLOCK_MONOTONIC);
    list_init(&s->handles);
    list_init(&s->shared);
    s->next_owner = 1;
    s->self_slot = ~0u;
    return s;
}

static void sync_free(struct vidmm_sync *s)
{
    pthread_condattr_destroy(&s->cond_attr);
    vidmm_mutex_destroy(&s->lock);
    vidmm_free(s);
}

struct vidmm_sync *sync_get(struct vidmm *mm)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE), *expected = NULL;

    if (s) return s;
    if (!(s = sync_new())) return NULL;
    if (__atomic_compare_exchange_n(&mm->sync, &expected, s, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return s;
    sync_free(s);   /* another thread made it first */
    return expected;
}

NTSTATUS vidmm_sync_set_ops(struct vidmm *mm, const struct vidmm_sync_ops *ops)
{
    struct vidmm_sync *s;

    if (!(s = sync_get(mm))) return STATUS_NO_MEMORY;
    vidmm_mutex_lock(&s->lock);
    s->ops = *ops;
    s->have_ops = 1;
    vidmm_mutex_unlock(&s->lock);
    return STATUS_SUCCESS;
}

/* ---- objects and handles ---- */

struct sync_core *sync_core_new(void)
{
    struct sync_core *core;

    if (!(core = vidmm_calloc(1, sizeof(*core)))) return NULL;
    atomic_init(&core->refs, 1);
    list_init(&core->waiters);
    list_init(&core->shared_entry);
    core->km = &core->km_local;
    return core;
}

void sync_core_put(struct vidmm *mm, struct sync_core *core)
{
    struct vidmm_sync *s = mm->sync;

    if (!core || atomic_fetch_sub(&core->refs, 1) != 1) return;
    if (core->fence_pub_mapped) s->ops.unmap_fence_page(s->ops.ctx, core->fence_pub, core->fence_app);
    if (core->fence_local) mm->ops.release(mm->ops.ctx, core->fence_local, VIDMM_PAGE_SIZE);
    share_unref(mm, core->file);
    if (core->has_event && s->ops.unref_event) s->ops.unref_event(s->ops.ctx, core->event_ref);
    vidmm_free(core->private_data);
    vidmm_free(core);
}

static void grab_handle(void *object)
{
    atomic_fetch_add(&((struct vidmm_object *)object)->refs, 1);
}

struct sync_handle *sync_handle_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type)
{
    if (!handle) return NULL;
    return handle_table_lookup(&mm->table, handle, type, grab_handle);
}

void sync_handle_put(struct vidmm *mm, struct sync_handle *h)
{
    if (!h || atomic_fetch_sub(&h->obj.refs, 1) != 1) return;
    sync_core_put(mm, h->core);
    vidmm_put(mm, h->device);
    vidmm_free(h);
}

static struct sync_handle *handle_new(struct vidmm_sync *s, struct sync_core *core, enum vidmm_object_type type)
{
    struct sync_handle *h;

    if (!(h = vidmm_calloc(1, sizeof(*h)))) return NULL;
    atomic_init(&h->obj.refs, 1);
    h->obj.type = type;
    h->core = core;
    atomic_fetch_add(&core->refs, 1);
    list_init(&h->entry);
    return h;
}

NTSTATUS sync_publish(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core, enum vidmm_object_type type,
                      enum vidmm_object_type global_type, int global, struct vidmm_device *device,
                      struct sync_handle **out)
{
    struct sync_handle *h;
    NTSTATUS status;

    if (!(h = handle_new(s, core, type))) return STATUS_NO_MEMORY;
    vidmm_mutex_lock(&s->lock);
    if ((status = handle_table_insert(&mm->table, h, type, &h->obj.handle))) goto failed;
    /* A global object with a share file has its prefix-wide value. */
    if (global && core->file && core->file->global)
    {
        if ((status = handle_table_insert_value(&mm->table, core, global_type, core->file->global)))
        {
            handle_table_remove(&mm->table, h->obj.handle, type);
            if (status == STATUS_OBJECT_NAME_COLLISION) status = STATUS_NO_MEMORY;
            goto failed;
        }
        core->global = core->file->global;
    }
    else if (global && (status = handle_table_insert(&mm->table, core, global_type, &core->global)))
    {
        handle_table_remove(&mm->table, h->obj.handle, type);
        goto failed;
    }
    if (device)
    {
        atomic_fetch_add(&device->obj.refs, 1);
        h->device = device;
    }
    h->owner_id = s->next_owner++;
    core->locals = 1;
    list_add_tail(&s->handles, &h->entry);
    if (core->file) sync_shared_join(s, core);
    vidmm_mutex_unlock(&s->lock);
    *out = h;
    return STATUS_SUCCESS;

failed:
    vidmm_mutex_unlock(&s->lock);
    core->global = 0;
    sync_handle_put(mm, h);
    return status;
}

NTSTATUS sync_add_handle(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core, enum vidmm_object_type type,
                         struct vidmm_device *device, struct sync_handle **out)
{
    struct sync_handle *h;
    NTSTATUS status;

    vidmm_assert_held(&s->lock);
    if (!(h = handle_new(s, core, type))) return STATUS_NO_MEMORY;
    if ((status = handle_table_insert(&mm->table, h, type, &h->obj.handle)))
    {
        atomic_fetch_sub(&core->refs, 1);   /* not the last: the caller holds it */
        vidmm_free(h);
        return status;
    }
    if (device)
    {
        atomic_fetch_add(&device->obj.refs, 1);
        h->device = device;
    }
    h->owner_id = s->next_owner++;
    core->locals++;
    list_add_tail(&s->handles, &h->entry);
    *out = h;
    return STATUS_SUCCESS;
}

NTSTATUS sync_open_global(struct vidmm *mm, struct vidmm_sync *s, uint32_t global, enum vidmm_object_type global_type,
                          enum vidmm_object_type type, NTSTATUS (*check)(struct sync_core *core, void *ctx),
                          void *ctx, struct sync_handle **out)
{
    struct sync_core *core;
    NTSTATUS status = STATUS_INVALID_PARAMETER;

    if (!global) return STATUS_INVALID_PARAMETER;
    vidmm_mutex_lock(&s->lock);
    /* The global handle leaves the table with the last local handle, both
     * under the sync lock, so a core found here is live. */
    if ((core = handle_table_lookup(&mm->table, global, global_type, NULL)) && core->locals
        && !(status = check ? check(core, ctx) : STATUS_SUCCESS))
        status = sync_add_handle(mm, s, core, type, NULL, out);
    vidmm_mutex_unlock(&s->lock);
    return status;
}

/* ---- waiters ---- */

struct waiter *waiter_new(struct vidmm_sync *s, uint32_t count, int blocking)
{
    struct waiter *w;

    if (!(w = vidmm_calloc(1, sizeof(*w) + count * sizeof(w->entries[0])))) return NULL;
    w->count = count;
    w->blocking = blocking;
    if (blocking) pthread_cond_init(&w->cond, &s->cond_attr);
    list_init(&w->fire);
    return w;
}

void waiter_free(struct vidmm *mm, struct waiter *w)
{
    uint32_t i;

    for (i = 0; i < w->count; i++) sync_handle_put(mm, w->entries[i].handle);
    if (w->blocking) pthread_cond_destroy(&w->cond);
    vidmm_free(w);
}

static void entry_unlink(struct wait_entry *e)
{
    struct sync_core *core = e->handle->core;

    if (!e->linked) return;
    list_remove(&e->entry);
    e->linked = 0;
    if (core->fence) __atomic_fetch_sub(&core->fence->waiters, 1, __ATOMIC_RELAXED);
    else core->km_local.waiters--;
}

static void entry_link(struct wait_entry *e)
{
    struct sync_core *core = e->handle->core;

    list_add_tail(&core->waiters, &e->entry);
    e->linked = 1;
    if (core->fence) __atomic_fetch_add(&core->fence->waiters, 1, __ATOMIC_RELAXED);
    else core->km_local.waiters++;
}

void waiter_complete(struct waiter *w, NTSTATUS status, struct vidmm_list *fire)
{
    uint32_t i;

    if (w->done) return;
    for (i = 0; i < w->count; i++) entry_unlink(&w->entries[i]);
    w->done = 1;
    w->status = status;
    if (w->blocking) pthread_cond_signal(&w->cond);
    else list_add_tail(fire, &w->fire);
}

void km_set_owner(const struct vidmm_sync *s, struct sync_core *core, const struct sync_handle *h)
{
    /* Atomic stores: another process peeks at the owner without the slot lock (km_check_owner). */
    __atomic_store_n(&core->km->owner, h->owner_id, __ATOMIC_RELEASE);
    if (!core->skm) return;
    __atomic_store_n(&core->skm->owner_slot, s->self_slot, __ATOMIC_RELEASE);
    __atomic_store_n(&core->skm->owner_generation, s->self_generation, __ATOMIC_RELEASE);
}

void km_hand_over(struct vidmm_sync *s, struct sync_core *core, struct vidmm_list *fire)
{
    struct vidmm_list *e;

    if (core->km->owner != VIDMM_OWNER_NONE || core->km->abandoned) return;
    for (e = core->waiters.next; e != &core->waiters; e = e->next)
    {
        struct wait_entry *we = LIST_ENTRY(e, struct wait_entry, entry);

        if (we->value != core->km->key) continue;
        km_set_owner(s, core, we->handle);
        we->waiter->fence_value = core->km->fence_value;
        waiter_complete(we->waiter, STATUS_SUCCESS, fire);
        return;
    }
}

/* ---- other processes (sync objects shared between processes) ---- */

/* Re-checks every shared object this process waits on: another process
 * changed one, or died.  On the system view's watcher thread. */
static void listener(void *ctx, struct vidmm *mm, uint64_t dead_mask, int rung)
{
    struct vidmm_sync *s = ctx;
    struct vidmm_list fire, dead, *e;

    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    for (e = s->shared.next; e != &s->shared; e = e->next)
    {
        struct sync_core *core = LIST_ENTRY(e, struct sync_core, shared_entry);

        if (core->fence)
        {
            if (core->fence_pub) __atomic_store_n(core->fence_pub, fence_value_of(core), __ATOMIC_RELEASE);
            sync_wake_fence(core, &fire);
            continue;
        }
        if (!core->skm) continue;
        km_lock(mm, core);
        if (!core->km->abandoned && core->km->owner != VIDMM_OWNER_NONE && core->skm->owner_slot < VIDMM_SYSTEM_SLOTS
            && (dead_mask & (1ull << core->skm->owner_slot))
            && !vidmm_system_alive(mm, core->skm->owner_slot, core->skm->owner_generation))
            km_abandon(core, &fire);   /* its owner's process died [INF] */
        else if (core->km->abandoned) km_abandon(core, &fire);
        else km_hand_over(s, core, &fire);
        km_unlock(core);
    }
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
}

/* Learns this process' slot and installs the listener, once; without
 * the sync lock (the system view has its own lock, held around listeners). */
void sync_self_init(struct vidmm *mm, struct vidmm_sync *s)
{
    uint32_t slot, gen;
    int expected = 0;

    if (__atomic_load_n(&s->listening, __ATOMIC_ACQUIRE) == 2) return;
    if (vidmm_system_self(mm, &slot, &gen)) slot = ~0u, gen = 0;
    vidmm_mutex_lock(&s->lock);
    if (s->self_slot == ~0u)
    {
        s->self_slot = slot;
        s->self_generation = gen;
    }
    vidmm_mutex_unlock(&s->lock);
    if (!__atomic_compare_exchange_n(&s->listening, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return;
    if (slot != ~0u) vidmm_system_listen(mm, listener, s);
    __atomic_store_n(&s->listening, 2, __ATOMIC_RELEASE);
}

/* Whether a value is taken in this process' table (for a prefix-wide pick). */
static int global_busy(void *ctx, uint32_t value)
{
    struct vidmm *mm = ctx;

    return handle_table_type(&mm->table, value) != VIDMM_OBJECT_NONE;
}

NTSTATUS sync_global_file(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core)
{
    struct vidmm_share_header *hdr;
    struct vidmm_share_file *file;
    NTSTATUS status;

    if (!mm->share_ops.create) return STATUS_SUCCESS;
    /* Kept in this process (a choice): a CPU notification's event is this
     * process' own; private data larger than the slot has no room. */
    if (core->type == VIDMM_SYNC_CPU_NOTIFICATION) return STATUS_SUCCESS;
    if (!core->type && core->private_size > VIDMM_SHARED_KM_PRIVATE_MAX) return STATUS_SUCCESS;
    sync_self_init(mm, s);
    if ((status = mm->share_ops.create(mm->share_ops.ctx, VIDMM_SHARE_MIN_SIZE, &file))) return status;
    hdr = share_header(file);
    hdr->magic = VIDMM_SHARE_MAGIC;
    hdr->version = VIDMM_SHARE_VERSION;
    hdr->kind = core->type ? VIDMM_SHARE_KIND_SYNC : VIDMM_SHARE_KIND_KEYED_MUTEX;
    hdr->file_size = file->size;
    vidmm_mutex_lock(&s->lock);   /* for the id; nobody else knows the core yet */
    if (core->type)
    {
        core->ss = sync_slot(file);
        sync_fill_slot(s, core, core->ss);
    }
    else km_fill_slot(s, core, km_slot(file));
    core->file = file;   /* the core's reference: dropped with it on any failure */
    vidmm_mutex_unlock(&s->lock);
    __atomic_fetch_or(&hdr->slots, core->type ? VIDMM_SHARE_SLOT_SYNC : VIDMM_SHARE_SLOT_MUTEX, __ATOMIC_RELEASE);
    if ((status = mm->share_ops.publish_global(mm->share_ops.ctx, file, global_busy, mm))) return status;
    hdr->global_value = file->global;
    atomic_store_explicit(&hdr->ready, 1, memory_order_release);
    return STATUS_SUCCESS;
}

/* ---- destroying handles ---- */

/* ---- keyed-mutex state a handle's death changes ---- */

int km_owned_by(const struct vidmm_sync *s, const struct sync_core *core, const struct sync_handle *h)
{
    if (core->km->owner != h->owner_id) return 0;
    return !core->skm || (core->skm->owner_slot == s->self_slot && core->skm->owner_generation == s->self_generation);
}

void km_abandon(struct sync_core *core, struct vidmm_list *fire)
{
    if (!core->km->abandoned)
    {
        __atomic_store_n(&core->km->owner, VIDMM_OWNER_NONE, __ATOMIC_RELEASE);
        core->km->abandoned = 1;
        core->km->fence_value = 0;
    }
    while (!list_empty(&core->waiters))
    {
        struct wait_entry *we = LIST_ENTRY(core->waiters.next, struct wait_entry, entry);

        we->waiter->fence_value = 0;
        waiter_complete(we->waiter, STATUS_ABANDONED, fire);
    }
}

void sync_kill(struct vidmm *mm, struct vidmm_sync *s, struct sync_handle *h, NTSTATUS status,
               struct vidmm_list *fire, struct vidmm_list *dead)
{
    struct sync_core *core = h->core;
    struct vidmm_list *e, *next;

    vidmm_assert_held(&s->lock);
    h->dead = 1;
    list_remove(&h->entry);
    list_add_tail(dead, &h->entry);
    /* Waits that named this handle can never be satisfied through it. */
    for (e = core->waiters.next; e != &core->waiters; e = next)
    {
        struct wait_entry *we = LIST_ENTRY(e, struct wait_entry, entry);

        next = e->next;
        if (we->handle != h) continue;
        waiter_complete(we->waiter, status, fire);
        next = core->waiters.next;   /* the waiter's other entries may have gone too */
    }
    if (!core->type)
    {
        km_lock(mm, core);
        if (km_owned_by(s, core, h))
        {
            km_abandon(core, fire);
            sync_shared_ring(mm, s, core);
        }
        km_unlock(core);
    }
    if (!--core->locals && core->global)
    {
        handle_table_remove(&mm->table, core->global,
                            core->type ? VIDMM_OBJECT_SHARED_SYNC : VIDMM_OBJECT_SHARED_KEYED_MUTEX);
        core->global = 0;
    }
    if (core->locals) return;
    /* Other processes may still hold a shared one. */
    if (core->file) sync_shared_leave(mm, s, core);
    else if (core->fence) __atomic_store_n(&core->fence->destroyed, 1, __ATOMIC_RELAXED);
}

void sync_finish(struct vidmm *mm, struct vidmm_list *fire, struct vidmm_list *dead)
{
    struct vidmm_sync *s = mm->sync;

    while (!list_empty(fire))
    {
        struct waiter *w = LIST_ENTRY(fire->next, struct waiter, fire);

        list_remove(&w->fire);
        s->ops.set_event(s->ops.ctx, w->event_ref);
        s->ops.unref_event(s->ops.ctx, w->event_ref);
        waiter_free(mm, w);
    }
    while (!list_empty(dead))
    {
        struct sync_handle *h = LIST_ENTRY(dead->next, struct sync_handle, entry);

        list_remove(&h->entry);
        sync_handle_put(mm, h);   /* the table's reference */
    }
}

NTSTATUS sync_destroy_handle(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type, int internal)
{
    struct vidmm_list fire, dead;
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct sync_handle *h;

    if (!s || !handle) return STATUS_INVALID_PARAMETER;
    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    /* Handles leave the table only under the sync lock: the check holds. */
    if (!(h = handle_table_lookup(&mm->table, handle, type, NULL)) || h->internal != internal
        || !handle_table_remove(&mm->table, handle, type))
    {
        vidmm_mutex_unlock(&s->lock);
        return STATUS_INVALID_PARAMETER;
    }
    /* Choice (spec §11.6): a wait through a destroyed handle ends with
     * STATUS_INVALID_HANDLE; an asynchronous one still sets its event. */
    sync_kill(mm, s, h, STATUS_INVALID_HANDLE, &fire, &dead);
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
    return STATUS_SUCCESS;
}

/* Kills every handle `device` created (every handle when NULL and all). */
static void kill_handles(struct vidmm *mm, struct vidmm_device *device, int all, NTSTATUS status)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct vidmm_list fire, dead, *e, *next;

    if (!s) return;
    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    for (e = s->handles.next; e != &s->handles; e = next)
    {
        struct sync_handle *h = LIST_ENTRY(e, struct sync_handle, entry);

        next = e->next;
        if (!all && h->device != device) continue;
        if (handle_table_remove(&mm->table, h->obj.handle, h->obj.type)) sync_kill(mm, s, h, status, &fire, &dead);
    }
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
}

void sync_destroy_device_objects(struct vidmm *mm, struct vidmm_device *device)
{
    /* Choice (spec §11.6): waits on a destroyed device's objects end with
     * STATUS_DEVICE_REMOVED. */
    vidmm_assert_held(&mm->objects_lock);
    kill_handles(mm, device, 0, STATUS_DEVICE_REMOVED);
}

void sync_destroy_all(struct vidmm *mm)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);

    if (!s) return;
    kill_handles(mm, NULL, 1, STATUS_INVALID_HANDLE);
    mm->sync = NULL;
    sync_free(s);
}

/* ---- create, open, destroy ---- */

static NTSTATUS check_create(const struct vidmm_sync_create_args *args)
{
    uint32_t flags = args->flags;

    switch (args->type)
    {
    case VIDMM_SYNC_MUTEX:
    case VIDMM_SYNC_SEMAPHORE:
        break;
    case VIDMM_SYNC_FENCE:
    case VIDMM_SYNC_CPU_NOTIFICATION:
    case VIDMM_SYNC_MONITORED_FENCE:
        /* The v1 union has none of their fields (FENCE: [WIN]). */
        if (args->version == 1) return STATUS_INVALID_PARAMETER;
        break;
    default:
        /* Periodic monitored fences need VSync of a real output: choice,
         * rejected as the spec proposes (§4.6). */
        return STATUS_INVALID_PARAMETER;
    }
    if (args->version == 1 && flags) return STATUS_INVALID_PARAMETER;
    if (flags & ~VIDMM_SYNC_FLAGS_VALID) return STATUS_INVALID_PARAMETER;            /* choice: reserved bits */
    if ((flags & VIDMM_SYNC_FLAG_NT_SECURITY) && !(flags & VIDMM_SYNC_FLAG_SHARED)) return STATUS_INVALID_PARAMETER;
    if (args->type == VIDMM_SYNC_MONITORED_FENCE)
    {
        /* Monitored fences are shared only through NT handles [DOC]. */
        if ((flags & VIDMM_SYNC_FLAG_SHARED) && !(flags & VIDMM_SYNC_FLAG_NT_SECURITY)) return STATUS_INVALID_PARAMETER;
        if ((flags & VIDMM_SYNC_FLAG_NO_SIGNAL) && (flags & VIDMM_SYNC_FLAG_NO_WAIT)) return STATUS_INVALID_PARAMETER;
    }
    /* Choice: a semaphore may not start above its maximum (0/0 is valid [WIN]). */
    if (args->type == VIDMM_SYNC_SEMAPHORE && args->initial_count > args->max_count) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

/* The state page, the manager's own; and the page the application reads
 * the value in (FenceValueCPUVirtualAddress), when the provider can map
 * one read-only.  The manager only ever writes that one: whatever the
 * application does to its view changes nothing the manager decides on.
 * Without the provider's page, the application reads the state page. */
NTSTATUS sync_fence_page(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core)
{
    if (!(core->fence_local = mm->ops.reserve(mm->ops.ctx, VIDMM_PAGE_SIZE))) return STATUS_NO_MEMORY;
    if (mm->ops.commit(mm->ops.ctx, core->fence_local, VIDMM_PAGE_SIZE))
    {
        mm->ops.release(mm->ops.ctx, core->fence_local, VIDMM_PAGE_SIZE);
        core->fence_local = NULL;
        return STATUS_NO_MEMORY;
    }
    core->fence = core->fence_local;
    core->fence_app = (uintptr_t)&core->fence->value;
    if (s->have_ops && s->ops.map_fence_page)
    {
        uint64_t app = 0;

        if (!(core->fence_pub = s->ops.map_fence_page(s->ops.ctx, &app))) return STATUS_NO_MEMORY;
        core->fence_pub_mapped = 1;
        core->fence_app = app;
    }
    return STATUS_SUCCESS;
}

/* Sets a fence's value; sync lock held (or no handle yet).  A shared one
 * may move in another process at the same time: without `rewind` it only
 * ever rises (a choice: of two processes signalling at once, the higher
 * value stays). */
static void fence_store(struct sync_core *core, uint64_t value, int rewind)
{
    uint64_t cur = fence_value_of(core);

    if (rewind || !core->file) __atomic_store_n(&core->fence->value, value, __ATOMIC_RELEASE);
    else while (cur < value && !__atomic_compare_exchange_n(&core->fence->value, &cur, value, 0, __ATOMIC_ACQ_REL,
                                                            __ATOMIC_ACQUIRE));
    if (core->fence_pub) __atomic_store_n(core->fence_pub, fence_value_of(core), __ATOMIC_RELEASE);
}

/* The object's own state, before it has any handle. */
static NTSTATUS make_core(struct vidmm *mm, struct vidmm_sync *s, const struct vidmm_sync_create_args *args,
                          struct sync_core **out)
{
    struct sync_core *core;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(core = sync_core_new())) return STATUS_NO_MEMORY;
    core->type = args->type;
    core->flags = args->flags;
    core->initial_state = args->initial_state;
    core->max_count = args->max_count;
    core->initial_count = args->initial_count;
    core->fence_value = args->fence_value;
    if (args->type == VIDMM_SYNC_CPU_NOTIFICATION)
    {
        /* A NULL event is IH [WIN]; the provider judges the others. */
        if (!args->event) status = STATUS_INVALID_HANDLE;
        else if (!s->have_ops) status = STATUS_INVALID_HANDLE;
        else if (!(status = s->ops.ref_event(s->ops.ctx, args->event, &core->event_ref))) core->has_event = 1;
    }
    else if (args->type == VIDMM_SYNC_MONITORED_FENCE)
    {
        if (!(status = sync_fence_page(mm, s, core)))
            fence_store(core, args->fence_value, 1);
    }
    if (status)
    {
        sync_core_put(mm, core);
        return status;
    }
    *out = core;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_sync_create(struct vidmm *mm, struct vidmm_sync_create_args *args)
{
    struct vidmm_device *device;
    struct sync_core *core = NULL;
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;
    int global;

    if (args->version != 1 && args->version != 2) return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_get(mm, args->device, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if ((status = device_check(device))) goto done;
    if ((status = check_create(args))) goto done;
    status = STATUS_NO_MEMORY;
    if (!(s = sync_get(mm))) goto done;
    if ((status = make_core(mm, s, args, &core))) goto done;
    global = (args->flags & VIDMM_SYNC_FLAG_SHARED) && !(args->flags & VIDMM_SYNC_FLAG_NT_SECURITY);
    if (global && (status = sync_global_file(mm, s, core))) goto done;

    /* Under objects_lock, so a device teardown either sees it or came first. */
    vidmm_mutex_lock(&mm->objects_lock);
    if (device->dead) status = STATUS_INVALID_PARAMETER;
    else status = sync_publish(mm, s, core, VIDMM_OBJECT_SYNC, VIDMM_OBJECT_SHARED_SYNC, global, device, &h);
    vidmm_mutex_unlock(&mm->objects_lock);
    if (status) goto done;
    args->handle = h->obj.handle;
    args->shared_handle = global ? core->global : 0;
    args->fence_cpu_va = core->fence ? core->fence_app : 0;
    args->fence_gpu_va = 0;

done:
    sync_core_put(mm, core);   /* the handle holds its own reference */
    vidmm_put(mm, device);
    return status;
}

NTSTATUS sync_open_local(struct vidmm *mm, struct vidmm_sync_open_args *args)
{
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;

    if (!(s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE))) return STATUS_INVALID_PARAMETER;
    if ((status = sync_open_global(mm, s, args->shared_handle, VIDMM_OBJECT_SHARED_SYNC, VIDMM_OBJECT_SYNC,
                                   NULL, NULL, &h)))
        return status;
    args->handle = h->obj.handle;
    args->type = h->core->type;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_sync_destroy(struct vidmm *mm, uint32_t handle)
{
    return sync_destroy_handle(mm, handle, VIDMM_OBJECT_SYNC, 0);
}

/* ---- the manager's own fences ---- */


NTSTATUS sync_create_internal_fence(struct vidmm *mm, struct vidmm_device *device, uint64_t initial,
                                    uint32_t *handle, volatile uint64_t **value)
{
    struct vidmm_sync_create_args args = {0};
    struct sync_core *core = NULL;
    struct sync_handle *h;
    struct vidmm_sync *s;
    NTSTATUS status;

    args.type = VIDMM_SYNC_MONITORED_FENCE;
    args.fence_value = initial;
    if (!(s = sync_get(mm))) return STATUS_NO_MEMORY;
    if ((status = make_core(mm, s, &args, &core))) return status;
    if (!(status = sync_publish(mm, s, core, VIDMM_OBJECT_SYNC, VIDMM_OBJECT_NONE, 0, device, &h)))
    {
        h->internal = 1;   /* before anyone can know the handle */
        *handle = h->obj.handle;
        *value = (volatile uint64_t *)(uintptr_t)core->fence_app;
    }
    sync_core_put(mm, core);
    return status;
}

void sync_signal_internal_fence(struct vidmm *mm, uint32_t handle, uint64_t value)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct vidmm_list fire, dead;
    struct sync_handle *h;

    if (!s || !(h = sync_handle_get(mm, handle, VIDMM_OBJECT_SYNC))) return;
    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    if (!h->dead && h->internal && value > fence_value_of(h->core))
    {
        fence_store(h->core, value, 1);
        __atomic_fetch_add(&h->core->fence->signals, 1, __ATOMIC_RELAXED);
        sync_wake_fence(h->core, &fire);
    }
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
    sync_handle_put(mm, h);
}

void sync_destroy_internal_fence(struct vidmm *mm, uint32_t handle)
{
    sync_destroy_handle(mm, handle, VIDMM_OBJECT_SYNC, 1);
}

/* ---- CPU signal and wait ---- */

/* Looks up `count` handles (references in out[]); IP unless each is a live
 * monitored fence: the other types are signalled and waited on only by GPU
 * contexts [WIN].  Choice: the manager's own fences take no CPU signal. */
static NTSTATUS get_fences(struct vidmm *mm, const uint32_t *handles, uint32_t count, int signal,
                           struct sync_handle **out)
{
    uint32_t i;

    for (i = 0; i < count; i++)
    {
        if (!(out[i] = sync_handle_get(mm, handles[i], VIDMM_OBJECT_SYNC))
            || out[i]->core->type != VIDMM_SYNC_MONITORED_FENCE || (signal && out[i]->internal))
        {
            sync_handle_put(mm, out[i]);
            while (i--) sync_handle_put(mm, out[i]);
            return STATUS_INVALID_PARAMETER;
        }
    }
    return STATUS_SUCCESS;
}

static NTSTATUS get_live_device(struct vidmm *mm, uint32_t handle)
{
    struct vidmm_device *device;
    NTSTATUS status;

    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    status = device_check(device);
    vidmm_put(mm, device);
    return status;
}

static int entry_reached(const struct wait_entry *e)
{
    return fence_value_of(e->handle->core) >= e->value;
}

static int waiter_satisfied(const struct waiter *w)
{
    uint32_t i;

    for (i = 0; i < w->count; i++)
        if (entry_reached(&w->entries[i]) == w->any) return w->any;
    return !w->any;
}

/* Completes the waits a new value satisfies; sync lock held. */
void sync_wake_fence(struct sync_core *core, struct vidmm_list *fire)
{
    struct vidmm_list *e = core->waiters.next;

    while (e != &core->waiters)
    {
        struct waiter *w = LIST_ENTRY(e, struct wait_entry, entry)->waiter;

        if (!waiter_satisfied(w))
        {
            e = e->next;
            continue;
        }
        waiter_complete(w, STATUS_SUCCESS, fire);
        e = core->waiters.next;   /* its entries are gone; start over */
    }
}

/* The value the earlier entries of the same call leave a fence at. */
static uint64_t value_before(struct sync_handle **fences, const uint64_t *values, uint32_t i)
{
    uint64_t value = fence_value_of(fences[i]->core);
    uint32_t j;

    for (j = 0; j < i; j++) if (fences[j]->core == fences[i]->core) value = values[j];
    return value;
}

NTSTATUS vidmm_sync_signal_cpu(struct vidmm *mm, const struct vidmm_sync_signal_args *args)
{
    const uint32_t *handles = (const uint32_t *)(uintptr_t)args->handles;
    const uint64_t *values = (const uint64_t *)(uintptr_t)args->values;
    struct sync_handle *fences[VIDMM_SYNC_MAX_SIGNAL_OBJECTS];
    struct vidmm_list fire, dead;
    struct vidmm_sync *s;
    NTSTATUS status = STATUS_SUCCESS;
    uint32_t i;

    if (!args->count || args->count > VIDMM_SYNC_MAX_SIGNAL_OBJECTS || !handles || !values)
        return STATUS_INVALID_PARAMETER;
    /* Choice: reserved bits, and EnqueueCpuEvent (a GPU-context form), are refused. */
    if (args->flags & ~(VIDMM_SIGNAL_AT_SUBMISSION | VIDMM_SIGNAL_ALLOW_FENCE_REWIND)) return STATUS_INVALID_PARAMETER;
    if ((status = get_live_device(mm, args->device))) return status;
    if (!(s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE))) return STATUS_INVALID_PARAMETER;
    if ((status = get_fences(mm, handles, args->count, 1, fences))) return status;

    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    /* All or nothing: check every entry first. */
    for (i = 0; i < args->count && !status; i++)
    {
        if (fences[i]->dead) status = STATUS_INVALID_PARAMETER;   /* destroyed since the lookup */
        else if (values[i] < value_before(fences, values, i) && !(args->flags & VIDMM_SIGNAL_ALLOW_FENCE_REWIND))
            status = STATUS_INVALID_PARAMETER;   /* a rewind needs AllowFenceRewind [WIN] */
    }
    for (i = 0; i < args->count && !status; i++)
    {
        fence_store(fences[i]->core, values[i], !!(args->flags & VIDMM_SIGNAL_ALLOW_FENCE_REWIND));
        __atomic_fetch_add(&fences[i]->core->fence->signals, 1, __ATOMIC_RELAXED);
    }
    for (i = 0; i < args->count && !status; i++)
    {
        sync_wake_fence(fences[i]->core, &fire);
        sync_shared_ring(mm, s, fences[i]->core);
    }
    vidmm_mutex_unlock(&s->lock);
    sync_finish(mm, &fire, &dead);
    for (i = 0; i < args->count; i++) sync_handle_put(mm, fences[i]);
    return status;
}

NTSTATUS vidmm_sync_wait_cpu(struct vidmm *mm, const struct vidmm_sync_wait_args *args)
{
    const uint32_t *handles = (const uint32_t *)(uintptr_t)args->handles;
    const uint64_t *values = (const uint64_t *)(uintptr_t)args->values;
    struct sync_handle **fences;
    struct vidmm_list fire, dead;
    struct vidmm_sync *s;
    struct waiter *w;
    NTSTATUS status;
    uint32_t i;

    if (!args->count || args->count > VIDMM_SYNC_MAX_WAIT_OBJECTS || !handles || !values)
        return STATUS_INVALID_PARAMETER;
    if (args->flags & ~VIDMM_WAIT_ANY) return STATUS_INVALID_PARAMETER;   /* choice: reserved bits */
    if ((status = get_live_device(mm, args->device))) return status;
    if (!(s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE))) return STATUS_INVALID_PARAMETER;
    if (!(w = waiter_new(s, args->count, !args->event))) return STATUS_NO_MEMORY;
    w->any = !!(args->flags & VIDMM_WAIT_ANY);
    if (!(fences = vidmm_calloc(args->count, sizeof(*fences))))
    {
        waiter_free(mm, w);
        return STATUS_NO_MEMORY;
    }
    if ((status = get_fences(mm, handles, args->count, 0, fences)))
    {
        vidmm_free(fences);
        waiter_free(mm, w);
        return status;
    }
    for (i = 0; i < args->count; i++)
    {
        w->entries[i].waiter = w;
        w->entries[i].handle = fences[i];   /* the waiter owns the reference now */
        w->entries[i].value = values[i];
    }
    vidmm_free(fences);
    /* Choice (spec §11.3): a bad event is the provider's status, IH without one. */
    if (args->event && (status = s->have_ops ? s->ops.ref_event(s->ops.ctx, args->event, &w->event_ref)
                                             : STATUS_INVALID_HANDLE))
    {
        waiter_free(mm, w);
        return status;
    }

    list_init(&fire);
    list_init(&dead);
    vidmm_mutex_lock(&s->lock);
    for (i = 0; i < w->count; i++)
        if (w->entries[i].handle->dead)
        {
            vidmm_mutex_unlock(&s->lock);
            if (args->event) s->ops.unref_event(s->ops.ctx, w->event_ref);
            waiter_free(mm, w);
            return STATUS_INVALID_PARAMETER;
        }
    if (waiter_satisfied(w))
    {
        w->done = 1;
        w->status = STATUS_SUCCESS;
        if (!w->blocking) list_add_tail(&fire, &w->fire);   /* an already-met wait fires at once [WIN] */
    }
    else for (i = 0; i < w->count; i++) entry_link(&w->entries[i]);
    if (!w->blocking)
    {
        /* Asynchronous: it returns now; the waiter lives on its lists. */
        vidmm_mutex_unlock(&s->lock);
        sync_finish(mm, &fire, &dead);
        return STATUS_SUCCESS;
    }
    while (!w->done) vidmm_cond_wait(&w->cond, &s->lock);
    status = w->status;
    vidmm_mutex_unlock(&s->lock);
    waiter_free(mm, w);
    return status;
}

void vidmm_sync_get_stats(struct vidmm *mm, struct vidmm_sync_stats *stats)
{
    struct vidmm_sync *s = __atomic_load_n(&mm->sync, __ATOMIC_ACQUIRE);
    struct vidmm_list *e;

    memset(stats, 0, sizeof(*stats));
    if (!s) return;
    vidmm_mutex_lock(&s->lock);
    for (e = s->handles.next; e != &s->handles; e = e->next)
    {
        struct sync_handle *h = LIST_ENTRY(e, struct sync_handle, entry);
        struct vidmm_list *f;
        int first;

        /* An object counts once: at its first handle on the list. */
        for (f = s->handles.next, first = 1; f != e; f = f->next)
            if (LIST_ENTRY(f, struct sync_handle, entry)->core == h->core) first = 0;
        if (h->obj.type == VIDMM_OBJECT_SYNC)
        {
            stats->sync_handles++;
            stats->sync_objects += first;
        }
        else
        {
            stats->keyed_mutex_handles++;
            stats->keyed_mutexes += first;
        }
        if (first)
        {
            for (f = h->core->waiters.next; f != &h->core->waiters; f = f->next) stats->waiters++;
        }
    }
    vidmm_mutex_unlock(&s->lock);
}
