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
 * Synchronization objects and keyed mutexes of the video memory manager:
 * the native core behind D3DKMTCreateSynchronizationObject(2),
 * Open/DestroySynchronizationObject, Signal/WaitForSynchronizationObjectFromCpu
 * and the keyed-mutex calls.  Plain C, fixed-layout argument structs as in
 * vidmm.h (pointers as uint64_t); every function returns an NTSTATUS and
 * changes nothing when it fails.
 *
 * Two halves, so that sharing between processes can come without a rewrite:
 *
 *  - The state another process must see is a small POD with no pointers
 *    (struct vidmm_fence_state, struct vidmm_keyed_mutex_state).  A monitored
 *    fence's state sits at the start of a page of its own that only the
 *    manager reads; that page can become a view of a section shared between
 *    processes.  Owners are named by a 64-bit owner id (process-independent),
 *    never by a pointer.
 *
 *  - Waiting is per process: each waiting thread has one condition variable,
 *    whatever the number of objects it waits on, and a signal wakes exactly
 *    the waiters it satisfies.  Asynchronous waits are records that set the
 *    caller's event (through struct vidmm_sync_ops) when satisfied.  A
 *    cross-process signal would update the shared state and then notify the
 *    other processes, whose own waiter lists do the rest.
 *
 * FenceValueCPUVirtualAddress: with the provider's map_fence_page (Wine: one
 * section mapped twice, read-only for the application on x86_64, read/write
 * on i686 as on Windows) the application reads a published copy of the
 * value that the manager writes after every change and never reads back,
 * so whatever the application does to its view (even after VirtualProtect)
 * changes nothing the manager decides on.  Without it (the native tests)
 * the application's pointer is the state page's value.
 *
 * Locking: one sync lock per manager, taken after objects_lock and gpu->lock
 * and before the handle table's lock; never held while a thread sleeps (the
 * condition wait releases it) and never while an event is set.
 *
 * Choices where Windows is not known (spec §11), all tested: a wait through
 * a handle that is destroyed ends with STATUS_INVALID_HANDLE, with
 * STATUS_DEVICE_REMOVED when its device goes; a pending asynchronous wait
 * then still sets its event.  A wait or signal may name fences of any device
 * of the process.
 *
 * Handles follow the manager's handle rules: local handles from the one
 * per-process sequence, global handles (low bits 2) in their own namespace;
 * a global handle dies with the last local handle of its object.
 */
#ifndef VIDMM_SYNC_H
#define VIDMM_SYNC_H

#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

#ifndef STATUS_ABANDONED
#define STATUS_ABANDONED ((NTSTATUS)0x00000080)
#endif

struct vidmm;

/* D3DDDI_SYNCHRONIZATIONOBJECT_TYPE */
#define VIDMM_SYNC_MUTEX                  1u
#define VIDMM_SYNC_SEMAPHORE              2u
#define VIDMM_SYNC_FENCE                  3u
#define VIDMM_SYNC_CPU_NOTIFICATION       4u
#define VIDMM_SYNC_MONITORED_FENCE        5u
#define VIDMM_SYNC_PERIODIC_MONITORED_FENCE 6u

/* D3DDDI_SYNCHRONIZATIONOBJECT_FLAGS */
#define VIDMM_SYNC_FLAG_SHARED            0x001u
#define VIDMM_SYNC_FLAG_NT_SECURITY       0x002u
#define VIDMM_SYNC_FLAG_CROSS_ADAPTER     0x004u
#define VIDMM_SYNC_FLAG_TOP_OF_PIPELINE   0x008u
#define VIDMM_SYNC_FLAG_NO_SIGNAL         0x010u
#define VIDMM_SYNC_FLAG_NO_WAIT           0x020u
#define VIDMM_SYNC_FLAG_NO_SIGNAL_MAX_ON_TDR 0x040u
#define VIDMM_SYNC_FLAG_NO_GPU_ACCESS     0x080u
#define VIDMM_SYNC_FLAG_SIGNAL_BY_KMD     0x100u
#define VIDMM_SYNC_FLAG_LOCAL_MEMORY_PREFERRED 0x200u
#define VIDMM_SYNC_FLAGS_VALID            0x3ffu

/* D3DDDICB_SIGNALFLAGS */
#define VIDMM_SIGNAL_AT_SUBMISSION        0x1u
#define VIDMM_SIGNAL_ENQUEUE_CPU_EVENT    0x2u
#define VIDMM_SIGNAL_ALLOW_FENCE_REWIND   0x4u

/* D3DDDI_WAITFORSYNCHRONIZATIONOBJECTFROMCPU_FLAGS */
#define VIDMM_WAIT_ANY                    0x1u

/* Choices (Windows' limits are not known, spec §11.1): the most objects
 * one CPU signal (as Microsoft's WSL driver) or one CPU wait may name. */
#define VIDMM_SYNC_MAX_SIGNAL_OBJECTS     32u
#define VIDMM_SYNC_MAX_WAIT_OBJECTS       1024u
/* Choice: the most private runtime data a keyed mutex keeps. */
#define VIDMM_KEYED_MUTEX_MAX_PRIVATE     (64u * 1024u)

/* D3DKMT_CREATEKEYEDMUTEX2_FLAGS */
#define VIDMM_KEYED_MUTEX_NT_SECURITY     0x1u

/* ---- state that could live in memory shared between processes ---- */

/* At the start of a monitored fence's page; `value` is what
 * FenceValueCPUVirtualAddress shows.  Written only under the sync lock
 * (atomically, so readers outside it see whole values). */
struct vidmm_fence_state
{
    uint64_t value;
    uint32_t waiters;            /* registered waits, all processes */
    uint32_t destroyed;          /* the object is gone: waits fail */
    uint64_t signals;            /* signal count, for a cross-process wake-up */
};

#define VIDMM_OWNER_NONE 0ull

struct vidmm_keyed_mutex_state
{
    uint64_t key;                /* key of the last release (InitialValue at first) */
    uint64_t fence_value;        /* handed from the last release to the next acquire */
    uint64_t owner;              /* owner id of the owning handle, VIDMM_OWNER_NONE when free */
    uint32_t abandoned;          /* the owner's handle went while it owned it: permanent */
    uint32_t waiters;
};

/* ---- state in a share file, seen by every process that holds the object ----
 *
 * A sync object or keyed mutex shared with other processes keeps its state
 * in a slot of a share file (private/vidmm_share.h): its own file when a
 * sync object is shared alone, the resource's file for the {resource, keyed
 * mutex, sync object} bundle.  The state moves there at the first share,
 * before any other process can see it.  Fixed-width fields only: a 32-bit
 * and a 64-bit process map the same file.
 *
 * Waiting stays per process: each process keeps its own waiters, and a
 * change rings the doorbells (private/vidmm_system.h) of the other
 * processes in `openers`, whose watcher threads re-check their waits.
 * A monitored fence's value changes by atomic operations only; a keyed
 * mutex's state changes under `lock`, a word whose holder is named by its
 * process (system slot and generation), so that a holder killed inside it
 * is found dead and the lock taken over. */

#define VIDMM_SHARED_SYNC_MAGIC      0x434e5953u   /* "SYNC" */
#define VIDMM_SHARED_KM_MAGIC        0x584d594bu   /* "KYMX" */
/* Choice: the most private runtime data a keyed mutex shared between
 * processes keeps (it lives in the slot). */
#define VIDMM_SHARED_KM_PRIVATE_MAX  0x780u

struct vidmm_shared_sync          /* at VIDMM_SHARE_SYNC_SLOT */
{
    uint32_t magic;
    uint32_t type;               /* VIDMM_SYNC_* */
    uint32_t flags;              /* VIDMM_SYNC_FLAG_* at creation */
    uint32_t initial_state, max_count, initial_count;
    uint64_t fence_value;        /* D3DDDI_FENCE's value */
    uint64_t id;                 /* names the object in every process */
    uint64_t openers;            /* atomic: bit n = system slot n holds it */
    struct vidmm_fence_state fence;
};

struct vidmm_shared_keyed_mutex   /* at VIDMM_SHARE_MUTEX_SLOT */
{
    uint32_t magic;
    uint32_t lock;               /* 0 free, else the holder's token (slot + 1 | generation << 7) */
    uint64_t id;
    uint64_t openers;
    struct vidmm_keyed_mutex_state km;   /* km.owner: the owning handle's owner id */
    uint32_t owner_slot, owner_generation;   /* the owning process, when km.owner is set */
    uint32_t private_size;
    uint32_t reserved;
    uint8_t private_data[VIDMM_SHARED_KM_PRIVATE_MAX];
};

/* ---- how the core reaches the caller's events ---- */

/* Events are opaque 64-bit values.  Under Wine, ref duplicates the handle
 * (so the application may close its own), set is NtSetEvent, unref closes
 * the duplicate.  set and unref are called without any manager lock held
 * and must not block. */
struct vidmm_sync_ops
{
    void *ctx;
    /* Checks the event and returns a reference to it in *ref; an NTSTATUS
     * (STATUS_INVALID_HANDLE for a bad one). */
    NTSTATUS (*ref_event)(void *ctx, uint64_t event, uint64_t *ref);
    void (*set_event)(void *ctx, uint64_t ref);
    void (*unref_event)(void *ctx, uint64_t ref);
    /* Optional: a zeroed page for a monitored fence's state that the
     * manager writes, and in *app the application's view of the same memory
     * (read-only where the provider can); NULL when out of memory.  Without
     * it, the page comes from the memory ops and both views are one. */
    void *(*map_fence_page)(void *ctx, uint64_t *app);
    void (*unmap_fence_page)(void *ctx, void *page, uint64_t app);
};

/* Installs the event operations; without them, every call that takes an
 * event fails with STATUS_INVALID_HANDLE.  Call before any sync call. */
NTSTATUS vidmm_sync_set_ops(struct vidmm *mm, const struct vidmm_sync_ops *ops);

/* ---- synchronization objects ---- */

struct vidmm_sync_create_args
{
    uint32_t device;             /* in */
    uint32_t version;            /* in: 1 (CreateSynchronizationObject) or 2 */
    uint32_t type;               /* in: VIDMM_SYNC_* */
    uint32_t flags;              /* in: VIDMM_SYNC_FLAG_* (version 2 only) */
    uint32_t initial_state;      /* in: mutex */
    uint32_t max_count;          /* in: semaphore */
    uint32_t initial_count;      /* in: semaphore */
    uint32_t engine_affinity;    /* in: monitored fence */
    uint64_t fence_value;        /* in: fence FenceValue / monitored InitialFenceValue */
    uint64_t event;              /* in: CPU notification event */
    uint32_t handle;             /* out: local handle */
    uint32_t shared_handle;      /* out: global handle with Shared and not NtSecuritySharing, else 0 */
    uint64_t fence_cpu_va;       /* out: monitored fence, the read-only value */
    uint64_t fence_gpu_va;       /* out: 0, no GPU virtual addresses */
};
NTSTATUS vidmm_sync_create(struct vidmm *mm, struct vidmm_sync_create_args *args);

struct vidmm_sync_open_args
{
    uint32_t shared_handle;      /* in: global handle */
    uint32_t handle;             /* out: new local handle */
    uint32_t type;               /* out: the object's type */
    uint32_t reserved;
};
NTSTATUS vidmm_sync_open(struct vidmm *mm, struct vidmm_sync_open_args *args);
/* Local handles only; waits through the handle end with STATUS_INVALID_HANDLE. */
NTSTATUS vidmm_sync_destroy(struct vidmm *mm, uint32_t handle);

struct vidmm_sync_signal_args
{
    uint32_t device;             /* in */
    uint32_t count;              /* in */
    uint64_t handles;            /* in: uint32_t[count] */
    uint64_t values;             /* in: uint64_t[count] */
    uint32_t flags;              /* in: VIDMM_SIGNAL_* */
    uint32_t reserved;
};
/* All or nothing: every entry is checked before any fence moves. */
NTSTATUS vidmm_sync_signal_cpu(struct vidmm *mm, const struct vidmm_sync_signal_args *args);

struct vidmm_sync_wait_args
{
    uint32_t device;             /* in */
    uint32_t count;              /* in */
    uint64_t handles;            /* in: uint32_t[count] */
    uint64_t values;             /* in: uint64_t[count] */
    uint64_t event;              /* in: 0 blocks until satisfied; else set when satisfied, returns at once */
    uint32_t flags;              /* in: VIDMM_WAIT_ANY */
    uint32_t reserved;
};
NTSTATUS vidmm_sync_wait_cpu(struct vidmm *mm, const struct vidmm_sync_wait_args *args);

/* ---- keyed mutexes ---- */

struct vidmm_keyed_mutex_create_args
{
    uint64_t initial_value;      /* in */
    uint64_t private_data;       /* in: copy of pPrivateRuntimeData (version 2) */
    uint32_t private_size;       /* in */
    uint32_t flags;              /* in: VIDMM_KEYED_MUTEX_NT_SECURITY (version 2) */
    uint32_t handle;             /* out */
    uint32_t shared_handle;      /* out: global handle, 0 with NtSecuritySharing */
};
NTSTATUS vidmm_keyed_mutex_create(struct vidmm *mm, struct vidmm_keyed_mutex_create_args *args);

struct vidmm_keyed_mutex_open_args
{
    uint32_t shared_handle;      /* in */
    uint32_t handle;             /* out */
    uint64_t private_data;       /* in: initial data, stored if the mutex has none (Open2) */
    uint32_t private_size;       /* in */
    uint32_t reserved;
};
NTSTATUS vidmm_keyed_mutex_open(struct vidmm *mm, struct vidmm_keyed_mutex_open_args *args);
/* Destroying the owning handle abandons the mutex for good. */
NTSTATUS vidmm_keyed_mutex_destroy(struct vidmm *mm, uint32_t handle);

struct vidmm_keyed_mutex_acquire_args
{
    uint32_t handle;             /* in */
    uint32_t has_timeout;        /* in: 0 = wait forever */
    int64_t timeout;             /* in: NT form: < 0 relative, 0 poll, > 0 absolute (100 ns since 1601) */
    uint64_t key;                /* in */
    uint64_t fence_value;        /* out: from the releasing call; 0 on STATUS_TIMEOUT / STATUS_ABANDONED */
    uint64_t private_data;       /* out: buffer for the private data (Acquire2), or 0 */
    uint32_t private_size;       /* in: its size (at least the stored size when given) */
    uint32_t reserved;
};
/* STATUS_SUCCESS, STATUS_TIMEOUT or STATUS_ABANDONED (all success-class). */
NTSTATUS vidmm_keyed_mutex_acquire(struct vidmm *mm, struct vidmm_keyed_mutex_acquire_args *args);

struct vidmm_keyed_mutex_release_args
{
    uint32_t handle;             /* in */
    uint32_t reserved;
    uint64_t key;                /* in: key to release to */
    uint64_t fence_value;        /* in */
    uint64_t private_data;       /* in: new private data (Release2), or 0 */
    uint32_t private_size;       /* in */
    uint32_t reserved2;
};
NTSTATUS vidmm_keyed_mutex_release(struct vidmm *mm, const struct vidmm_keyed_mutex_release_args *args);

/* Live sync objects and keyed mutexes (local handles), for tests and leak checks. */
struct vidmm_sync_stats
{
    uint32_t sync_handles, sync_objects, keyed_mutex_handles, keyed_mutexes, waiters;
};
void vidmm_sync_get_stats(struct vidmm *mm, struct vidmm_sync_stats *stats);

/* ---- sharing between processes (sync_shared.c) ----
 * Every function checks the handle as the share calls do (a live
 * NtSecuritySharing object, IP otherwise) and changes nothing on failure. */
struct vidmm_share_file;

/* The {sync object} form of ShareObjects: the object's own share file,
 * made at its first share (a reference in *file).  IP for an object whose
 * state already lives in a resource's file (a choice). */
NTSTATUS vidmm_sync_share(struct vidmm *mm, uint32_t handle, struct vidmm_share_file **file);
/* The bundle: moves the state into a resource's file slot, or checks that
 * it lives there already; IP if it lives in another file (a choice). */
NTSTATUS vidmm_sync_to_slot(struct vidmm *mm, uint32_t handle, struct vidmm_share_file *file);
NTSTATUS vidmm_keyed_mutex_to_slot(struct vidmm *mm, uint32_t handle, struct vidmm_share_file *file);

struct vidmm_sync_open_slot_args
{
    uint32_t device;             /* in: 0 for OpenSyncObjectFromNtHandle (v1) */
    uint32_t flags;              /* in: the opener's VIDMM_SYNC_FLAG_* (v2), kept for this handle */
    uint32_t handle;             /* out */
    uint32_t type;               /* out */
    uint64_t fence_cpu_va;       /* out: monitored fence, this process' read-only view */
};
/* A new local handle over the object a mapped share file holds (the one
 * local object if this process has it already); IP if the file has none. */
NTSTATUS vidmm_sync_open_slot(struct vidmm *mm, struct vidmm_share_file *file, struct vidmm_sync_open_slot_args *args);
NTSTATUS vidmm_keyed_mutex_open_slot(struct vidmm *mm, struct vidmm_share_file *file, uint64_t private_data,
                                     uint32_t private_size, uint32_t *handle);

#endif
