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
 * Internals shared by sync.c and keyed_mutex.c (see private/vidmm_sync.h).
 */
#ifndef VIDMM_SYNC_PRIVATE_H
#define VIDMM_SYNC_PRIVATE_H

#include <pthread.h>
#include "vidmm_private.h"
#include "private/vidmm_sync.h"

/* Per manager; lock guards everything reachable from here except the
 * handle objects' refs. */
struct vidmm_sync
{
    struct vidmm_mutex lock;
    pthread_condattr_t cond_attr;   /* waits time out on CLOCK_MONOTONIC */
    struct vidmm_sync_ops ops;
    int have_ops;
    struct vidmm_list handles;      /* every live sync and keyed-mutex handle */
    uint64_t next_owner;            /* owner ids of keyed-mutex handles: unique among live processes */
    /* Sharing between processes (sync_shared.c). */
    struct vidmm_list shared;       /* cores whose state lives in a share file and that have local handles */
    uint32_t self_slot, self_generation; /* this process in the system view, ~0u / 0 without one */
    int listening;                  /* the system view's listener is installed */
    uint64_t next_shared_id;
};

/* One object, shared by all its local handles. */
struct sync_core
{
    atomic_int refs;                /* handles, waiters and calls holding it */
    uint32_t type;                  /* VIDMM_SYNC_*, 0 for a keyed mutex */
    uint32_t flags;
    uint32_t locals;                /* live local handles; the last takes the global one along */
    uint32_t global;                /* global handle, 0 if none */
    struct vidmm_fence_state *fence;/* monitored fence: fence_local, or in the share file */
    struct vidmm_fence_state *fence_local; /* the manager's own page */
    uint64_t *fence_pub;            /* the value the application reads, when it is not fence->value */
    int fence_pub_mapped;           /* fence_pub came from ops.map_fence_page */
    uint64_t fence_app;             /* the application's view of the value: never read by the manager */
    struct vidmm_keyed_mutex_state *km; /* &km_local, or in the share file */
    struct vidmm_keyed_mutex_state km_local;
    uint64_t event_ref;             /* CPU notification */
    int has_event;
    uint32_t initial_state, max_count, initial_count;
    uint64_t fence_value;           /* D3DDDI_FENCE's value */
    void *private_data;             /* keyed mutex */
    uint32_t private_size;
    struct vidmm_list waiters;      /* struct wait_entry */
    /* Shared between processes: the file (a reference) and the slot. */
    struct vidmm_share_file *file;
    struct vidmm_shared_sync *ss;
    struct vidmm_shared_keyed_mutex *skm;
    struct vidmm_list shared_entry; /* in vidmm_sync.shared while it has local handles */
};

struct sync_handle
{
    struct vidmm_object obj;        /* VIDMM_OBJECT_SYNC or VIDMM_OBJECT_KEYED_MUTEX */
    struct sync_core *core;         /* holds a reference */
    struct vidmm_device *device;    /* creating device (a reference), NULL for opened ones */
    struct vidmm_list entry;        /* in vidmm_sync.handles while live */
    uint64_t owner_id;              /* keyed mutex: names this handle as owner */
    int internal;                   /* the manager's own fence (a paging queue's) */
    int dead;
};

struct waiter;

struct wait_entry
{
    struct vidmm_list entry;        /* in core->waiters while linked */
    struct waiter *waiter;
    struct sync_handle *handle;     /* holds a reference */
    uint64_t value;                 /* fence value to reach, or key to acquire */
    int linked;
};

/* One per waiting call: one condition variable however many objects. */
struct waiter
{
    int any, done, blocking;
    NTSTATUS status;
    pthread_cond_t cond;
    uint64_t event_ref;             /* asynchronous: set when done */
    uint64_t fence_value;           /* keyed mutex: handed over by the release */
    struct vidmm_list fire;         /* on a list of finished asynchronous waits */
    uint32_t count;
    struct wait_entry entries[];
};

/* The manager's sync state, made on first use; NULL when out of memory. */
struct vidmm_sync *sync_get(struct vidmm *mm);
/* Looks a local handle up with a reference; NULL if not one of `type`. */
struct sync_handle *sync_handle_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type);
void sync_handle_put(struct vidmm *mm, struct sync_handle *h);
void sync_core_put(struct vidmm *mm, struct sync_core *core);
struct sync_core *sync_core_new(void);
/* Gives a core its first local handle (and a global one when asked) and
 * publishes it; objects_lock held by the caller when device is set. */
NTSTATUS sync_publish(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core, enum vidmm_object_type type,
                      enum vidmm_object_type global_type, int global, struct vidmm_device *device,
                      struct sync_handle **out);
/* Adds a local handle to a live object found by its global handle, if
 * check (when given; called under the sync lock) accepts the object. */
NTSTATUS sync_open_global(struct vidmm *mm, struct vidmm_sync *s, uint32_t global, enum vidmm_object_type global_type,
                          enum vidmm_object_type type, NTSTATUS (*check)(struct sync_core *core, void *ctx),
                          void *ctx, struct sync_handle **out);
/* Removes a local handle; waits through it end with `status`, an owned
 * keyed mutex is abandoned.  Sync lock held; finished asynchronous waits go
 * on `fire`, the handle (with the table's reference) on `dead`. */
void sync_kill(struct vidmm *mm, struct vidmm_sync *s, struct sync_handle *h, NTSTATUS status,
               struct vidmm_list *fire, struct vidmm_list *dead);
/* After the sync lock is dropped: sets and frees finished asynchronous
 * waits, drops killed handles. */
void sync_finish(struct vidmm *mm, struct vidmm_list *fire, struct vidmm_list *dead);
/* Ends a waiter with a status; sync lock held. */
void waiter_complete(struct waiter *w, NTSTATUS status, struct vidmm_list *fire);
struct waiter *waiter_new(struct vidmm_sync *s, uint32_t count, int blocking);
void waiter_free(struct vidmm *mm, struct waiter *w);
/* Destroys one handle by value (Destroy calls): IP if not a live one of the
 * type, or if `internal` does not match the handle's. */
NTSTATUS sync_destroy_handle(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type, int internal);

/* A monitored fence the manager owns and signals, for a paging queue:
 * CPU waits accept its handle, CPU signals and DestroySynchronizationObject
 * refuse it (IP).  *value is the application's read-only view. */
NTSTATUS sync_create_internal_fence(struct vidmm *mm, struct vidmm_device *device, uint64_t initial,
                                    uint32_t *handle, volatile uint64_t **value);
/* Raises it (never lowers it) and wakes the waits that satisfies; may be
 * called with objects_lock or gpu->lock held.  Nothing for a dead handle. */
void sync_signal_internal_fence(struct vidmm *mm, uint32_t handle, uint64_t value);
/* Waits on it end with STATUS_INVALID_HANDLE. */
void sync_destroy_internal_fence(struct vidmm *mm, uint32_t handle);

/* sync_shared.c, for sync.c and keyed_mutex.c; sync lock held. */
uint64_t fence_value_of(const struct sync_core *core);
/* Publishes a change of a shared object to the other processes holding it. */
void sync_shared_ring(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core);
void km_lock(struct vidmm *mm, struct sync_core *core);
void km_unlock(struct sync_core *core);
/* This process holds a core's shared state: rings reach it. */
void sync_shared_join(struct vidmm_sync *s, struct sync_core *core);
/* A core's last local handle went: this process no longer holds it. */
void sync_shared_leave(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core);
/* The keyed mutex's private data (size in *size); sync lock (and km_lock) held. */
const void *km_private(const struct sync_core *core, uint32_t *size);
/* Hands a free keyed mutex to the first local waiter for its key. */
void km_hand_over(struct vidmm_sync *s, struct sync_core *core, struct vidmm_list *fire);
/* Abandons a shared keyed mutex whose owner's process is dead; no lock held. */
void km_check_owner(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core);
/* Completes the waits a fence's value satisfies; sync lock held. */
void sync_wake_fence(struct sync_core *core, struct vidmm_list *fire);
/* A monitored fence's pages: the manager's and the application's view. */
NTSTATUS sync_fence_page(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core);
/* Whether handle h owns the keyed mutex (and, shared, this process does). */
int km_owned_by(const struct vidmm_sync *s, const struct sync_core *core, const struct sync_handle *h);
/* Abandons a keyed mutex: every waiter now and every later acquire learns it. */
void km_abandon(struct sync_core *core, struct vidmm_list *fire);
/* Adds a local handle to a live core; sync lock held. */
NTSTATUS sync_add_handle(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core, enum vidmm_object_type type,
                         struct vidmm_device *device, struct sync_handle **out);

/* Slots of a share file; the state copied in (sync_slot.c). */
struct vidmm_shared_sync *sync_slot(struct vidmm_share_file *file);
struct vidmm_shared_keyed_mutex *km_slot(struct vidmm_share_file *file);
uint64_t sync_new_id(struct vidmm_sync *s);
/* Moves a sync object's state into ss (the core then uses it); sync lock held. */
void sync_fill_slot(struct vidmm_sync *s, struct sync_core *core, struct vidmm_shared_sync *ss);
void km_fill_slot(struct vidmm_sync *s, struct sync_core *core, struct vidmm_shared_keyed_mutex *skm);
/* A global (legacy) object's state in a share file from its creation,
 * named by a prefix-wide global value (core->file->global); nothing when
 * the object stays in this process.  Before the core is published. */
NTSTATUS sync_global_file(struct vidmm *mm, struct vidmm_sync *s, struct sync_core *core);
/* Open by a global value among this process' objects (sync.c, keyed_mutex.c);
 * vidmm_sync_open and vidmm_keyed_mutex_open add other processes' (sync_shared.c). */
NTSTATUS sync_open_local(struct vidmm *mm, struct vidmm_sync_open_args *args);
NTSTATUS km_open_local(struct vidmm *mm, struct vidmm_keyed_mutex_open_args *args);
/* Learns this process' system slot and starts listening, once; no lock held. */
void sync_self_init(struct vidmm *mm, struct vidmm_sync *s);
void km_set_owner(const struct vidmm_sync *s, struct sync_core *core, const struct sync_handle *h);

/* Hooks for vidmm.c: device teardown (objects_lock held) and manager destroy. */
void sync_destroy_device_objects(struct vidmm *mm, struct vidmm_device *device);
void sync_destroy_all(struct vidmm *mm);

#endif
