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
 * The video memory manager: plain C, no Wine, no Windows headers.
 *
 * The PE side validates and copies the caller's Windows structs into the
 * fixed-layout argument structs below (pointers travel as uint64_t so the
 * layout is the same for x86_64 and i686 callers) and the Unix side hands
 * them to these functions.  Every function returns an NTSTATUS; on failure
 * no object, handle or content has changed (evictions made while trying to
 * find room stay done: they keep the data).
 *
 * Locking: the table of the core's locks, what each guards and their order
 * is in dlls/d3dkmt/vidmm/vidmm_private.h.  A Lock or Unlock of a placed
 * allocation takes only the handle table's lock (briefly) and its own
 * allocation lock.
 *
 * Any object may be destroyed while another thread's call uses it.  A call
 * that finds, under the GPU lock, that an allocation it looked up has been
 * destroyed since fails with STATUS_INVALID_PARAMETER and changes nothing, as
 * if the destroy had come first (a choice: Windows serialises the two).
 */
#ifndef VIDMM_H
#define VIDMM_H

#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

#define VIDMM_PAGE_SIZE 4096ull

/* How the manager gets the memory it hands out: Wine's virtual memory
 * functions under Wine, mmap in the native unit tests. */
struct vidmm_memory_ops
{
    void *ctx;
    /* Reserves address space with no access; NULL when out of memory. */
    void *(*reserve)(void *ctx, uint64_t size);
    /* Makes a reserved range read/write and zero-filled; 0 or -1 (no memory). */
    int (*commit)(void *ctx, void *addr, uint64_t size);
    /* Drops the contents of a committed range and removes access. */
    void (*decommit)(void *ctx, void *addr, uint64_t size);
    void (*release)(void *ctx, void *addr, uint64_t size);
    /* 0 when [addr, addr + size) is committed, readable and writable memory. */
    int (*check_user_range)(void *ctx, uint64_t addr, uint64_t size);
    /* Live reservations the provider can have before the process starves
     * (Wine: a share of vm.max_map_count); 0 for no limit. */
    uint32_t max_reservations;
    /* Optional, NULL for the plain fallback (memset, memcpy, nothing). */
    /* Drops the contents of a committed range, which stays committed and
     * read/write and reads zero afterwards (Linux: MADV_DONTNEED). */
    void (*reset)(void *ctx, void *addr, uint64_t size);
    /* A committed range that holds large video memory: back it with large
     * pages where the system can, so filling it faults once per 2 MiB. */
    void (*advise_large)(void *ctx, void *addr, uint64_t size);
    /* Moves the pages of committed [src, +size) to committed [dst, +size)
     * instead of copying them; src reads zero afterwards; both stay committed
     * read/write.  0, or -1 with nothing changed (the caller copies). */
    int (*move)(void *ctx, void *dst, void *src, uint64_t size);
    /* Makes the pages of a committed range present at once, so that a copy
     * into it does not fault per page (Linux: MADV_POPULATE_WRITE). */
    void (*prefault)(void *ctx, void *addr, uint64_t size);
};

struct vidmm;

/* The test-control escape (vidmm_escape) answers only in a manager created
 * with this flag; otherwise it is refused like any unknown private escape. */
#define VIDMM_CREATE_TEST_CONTROL 0x1u

NTSTATUS vidmm_create(const struct vidmm_memory_ops *ops, uint32_t flags, struct vidmm **out);
/* Frees every object left and the manager itself (process exit, tests). */
void vidmm_destroy(struct vidmm *mm);

/* ---- adapters ---- */

struct vidmm_open_adapter_args
{
    uint64_t luid;               /* in: LowPart | HighPart << 32 */
    uint64_t local_size;         /* in: local segment bytes (first open of this LUID) */
    uint64_t nonlocal_size;      /* in: non-local segment bytes */
    uint32_t source_id;          /* in: VidPnSourceId the adapter was opened for */
    uint32_t source_count;       /* in: VidPN sources of the adapter */
    uint32_t host_handle;        /* in: Wine's own adapter handle, kept for pass-through */
    uint32_t handle;             /* out */
};
NTSTATUS vidmm_open_adapter(struct vidmm *mm, struct vidmm_open_adapter_args *args);

struct vidmm_close_adapter_args
{
    uint32_t handle;             /* in */
    uint32_t host_handle;        /* out: Wine's handle, for the caller to close */
    uint64_t device_hosts;       /* in: a uint32_t array, or 0; out: the Wine device handles of the
                                  * devices destroyed here, for the caller to destroy */
    uint32_t device_hosts_max;   /* in: the array's capacity */
    uint32_t device_count;       /* out: devices the adapter had (an upper bound of the handles) */
};
/* Also destroys every device created on this adapter handle.  With an array
 * smaller than device_count, nothing is closed: STATUS_BUFFER_TOO_SMALL. */
NTSTATUS vidmm_close_adapter(struct vidmm *mm, struct vidmm_close_adapter_args *args);

struct vidmm_adapter_info
{
    uint64_t luid;
    uint64_t local_size, nonlocal_size;
    uint64_t local_budget;
    uint32_t source_id;
    uint32_t source_count;
    uint32_t host_handle;
    uint32_t removed;
};
NTSTATUS vidmm_query_adapter(struct vidmm *mm, uint32_t adapter, struct vidmm_adapter_info *info);

/* ---- devices ---- */

#define VIDMM_DEVICE_FLAGS_VALID 0x7u   /* LegacyMode, RequestVSync, DisableGpuTimeout */

struct vidmm_create_device_args
{
    uint32_t adapter;            /* in */
    uint32_t flags;              /* in: D3DKMT_CREATEDEVICEFLAGS */
    uint32_t host_handle;        /* in: Wine's device handle, 0 if none */
    uint32_t handle;             /* out */
};
NTSTATUS vidmm_create_device(struct vidmm *mm, struct vidmm_create_device_args *args);

struct vidmm_destroy_device_args
{
    uint32_t handle;             /* in */
    uint32_t host_handle;        /* out */
};
NTSTATUS vidmm_destroy_device(struct vidmm *mm, struct vidmm_destroy_device_args *args);

struct vidmm_device_info
{
    uint32_t adapter;            /* the adapter handle it was created on */
    uint32_t host_handle;        /* Wine's device handle */
    uint32_t reserved;
};
NTSTATUS vidmm_query_device(struct vidmm *mm, uint32_t device, struct vidmm_device_info *info);

/* ---- allocations ---- */

/* D3DKMT_CREATEALLOCATIONFLAGS bits the manager looks at. */
#define VIDMM_CREATE_RESOURCE        0x00001u
#define VIDMM_CREATE_SHARED          0x00002u
#define VIDMM_CREATE_NON_SECURE      0x00004u
#define VIDMM_CREATE_PROTECTED       0x00008u
#define VIDMM_CREATE_RESTRICT_SHARED 0x00010u
#define VIDMM_CREATE_EXISTING_SYSMEM 0x00020u
#define VIDMM_CREATE_NT_SECURITY     0x00040u
#define VIDMM_CREATE_READ_ONLY       0x00080u
#define VIDMM_CREATE_WRITE_COMBINED  0x00100u
#define VIDMM_CREATE_CACHED          0x00200u
#define VIDMM_CREATE_SWAPCHAIN_BB    0x00400u
#define VIDMM_CREATE_CROSS_ADAPTER   0x00800u
#define VIDMM_CREATE_OPEN_CROSS_ADAPTER 0x01000u
#define VIDMM_CREATE_PARTIAL_SHARED  0x02000u
#define VIDMM_CREATE_ZEROED          0x04000u
#define VIDMM_CREATE_WRITE_WATCH     0x08000u
#define VIDMM_CREATE_STANDARD        0x10000u
#define VIDMM_CREATE_EXISTING_SECTION 0x20000u
#define VIDMM_CREATE_ALLOW_NOT_ZEROED 0x40000u
#define VIDMM_CREATE_PHYS_CONTIGUOUS 0x80000u
#define VIDMM_CREATE_NO_KMD_ACCESS   0x100000u
#define VIDMM_CREATE_SHARED_DISPLAYABLE 0x200000u
#define VIDMM_CREATE_FLAGS_DEFINED   0x3fffffu
/* Bits the header reserves for kernel-mode creators. */
#define VIDMM_CREATE_FLAGS_KERNEL_ONLY (VIDMM_CREATE_PROTECTED | VIDMM_CREATE_WRITE_COMBINED \
                                        | VIDMM_CREATE_CACHED | VIDMM_CREATE_OPEN_CROSS_ADAPTER)

/* D3DDDI_ALLOCATIONINFO(2) Flags bits. */
#define VIDMM_ALLOC_PRIMARY           0x1u
#define VIDMM_ALLOC_STEREO            0x2u
#define VIDMM_ALLOC_OVERRIDE_PRIORITY 0x4u

#define VIDMM_STANDARD_EXISTINGHEAP  1u

struct vidmm_alloc_info
{
    uint64_t system_mem;         /* in: caller's pSystemMem, 0 for video memory */
    uint64_t private_data;       /* in: copy of the per-allocation private data */
    uint32_t private_size;       /* in */
    uint32_t vidpn_source_id;    /* in */
    uint32_t flags;              /* in: VIDMM_ALLOC_* */
    uint32_t priority;           /* in: INFO2 Priority, used with OVERRIDE_PRIORITY */
    uint32_t handle;             /* out */
    uint32_t reserved;
    uint64_t gpu_va;             /* out: 0, the module maps no GPU VA at creation */
};

struct vidmm_create_allocation_args
{
    uint32_t device;             /* in */
    uint32_t resource;           /* in/out */
    uint32_t global_share;       /* out */
    uint32_t flags;              /* in: VIDMM_CREATE_* */
    uint32_t count;              /* in */
    uint32_t info2;              /* in: called as CreateAllocation2 (INFO2 fields valid) */
    uint64_t allocs;             /* in/out: struct vidmm_alloc_info[count] */
    uint64_t runtime_data;       /* in: copy of pPrivateRuntimeData */
    uint64_t resource_data;      /* in: copy of pPrivateDriverData (not standard) */
    uint32_t runtime_size;
    uint32_t resource_size;
    uint32_t standard_type;      /* in: with VIDMM_CREATE_STANDARD */
    uint32_t standard_flags;
    uint64_t standard_heap_size;
};
NTSTATUS vidmm_create_allocation(struct vidmm *mm, struct vidmm_create_allocation_args *args);

#define VIDMM_DESTROY_ASSUME_NOT_IN_USE 0x1u
#define VIDMM_DESTROY_SYNCHRONOUS       0x2u
#define VIDMM_DESTROY_SYSTEM_USE_ONLY   0x80000000u
#define VIDMM_DESTROY_FLAGS_VALID       0x3u

struct vidmm_destroy_allocation_args
{
    uint32_t device;
    uint32_t resource;
    uint64_t handles;            /* uint32_t[count] */
    uint32_t count;
    uint32_t flags;              /* D3DDDICB_DESTROYALLOCATION2FLAGS */
};
NTSTATUS vidmm_destroy_allocation(struct vidmm *mm, const struct vidmm_destroy_allocation_args *args);

/* ---- legacy sharing (global handles) ---- */

struct vidmm_query_resource_args
{
    uint32_t device;             /* in: the device that will open it */
    uint32_t global_share;       /* in */
    uint32_t runtime_size;       /* out: stored runtime data */
    uint32_t total_driver_size;  /* out: all allocations' driver data */
    uint32_t resource_driver_size; /* out */
    uint32_t count;              /* out: allocations */
};
NTSTATUS vidmm_query_resource(struct vidmm *mm, struct vidmm_query_resource_args *args);

struct vidmm_open_info
{
    uint32_t handle;             /* out: new local allocation handle */
    uint32_t private_size;       /* out: its driver data size */
};

struct vidmm_open_resource_args
{
    uint32_t device;             /* in */
    uint32_t global_share;       /* in */
    uint32_t count;              /* in: must be the resource's */
    uint32_t resource;           /* out: new local resource handle */
    uint64_t infos;              /* out: struct vidmm_open_info[count] */
    uint64_t runtime_data;       /* out: buffer of exactly the stored size */
    uint64_t resource_data;      /* out: buffer of exactly the stored size */
    uint64_t total_data;         /* out: buffer for all allocations' driver data */
    uint32_t runtime_size;       /* in */
    uint32_t resource_size;      /* in */
    uint32_t total_size;         /* in: capacity; out: bytes written */
    uint32_t reserved;
};
/* Opens a shared resource on a device: new local handles for the resource
 * and its allocations, which share the creator's memory. */
NTSTATUS vidmm_open_resource(struct vidmm *mm, struct vidmm_open_resource_args *args);

/* ---- sharing across processes (share files, include/private/vidmm_share.h) ---- */

struct vidmm_share_file;
/* The same two calls on a resource's share file the caller mapped (from an
 * NT handle); args->global_share is ignored.  The caller keeps its reference. */
NTSTATUS vidmm_query_resource_file(struct vidmm *mm, struct vidmm_share_file *file,
                                   struct vidmm_query_resource_args *args);
NTSTATUS vidmm_open_resource_file(struct vidmm *mm, struct vidmm_share_file *file,
                                  struct vidmm_open_resource_args *args);
/* The share file of an NtSecuritySharing resource, by its resource handle,
 * with a reference (vidmm_share_put): STATUS_INVALID_PARAMETER for anything
 * else (an allocation handle, a resource not NT-shared). */
NTSTATUS vidmm_share_resource(struct vidmm *mm, uint32_t resource, struct vidmm_share_file **out);
/* 0 when the handle is a live NtSecuritySharing sync object (keyed 0) or
 * keyed mutex (keyed 1) of this process, else -1. */
int vidmm_share_check_sync(struct vidmm *mm, uint32_t handle, int keyed);

/* ---- CPU access ---- */

#define VIDMM_LOCK_READ_ONLY        0x001u
#define VIDMM_LOCK_WRITE_ONLY       0x002u
#define VIDMM_LOCK_DONOT_WAIT       0x004u
#define VIDMM_LOCK_IGNORE_SYNC      0x008u
#define VIDMM_LOCK_ENTIRE           0x010u
#define VIDMM_LOCK_DONOT_EVICT      0x020u
#define VIDMM_LOCK_ACQUIRE_APERTURE 0x040u
#define VIDMM_LOCK_DISCARD          0x080u
#define VIDMM_LOCK_NO_EXISTING_REF  0x100u
#define VIDMM_LOCK_USE_ALTERNATE_VA 0x200u
#define VIDMM_LOCK_IGNORE_READ_SYNC 0x400u
#define VIDMM_LOCK_FLAGS_VALID      0x7ffu

struct vidmm_lock_args
{
    uint32_t device;             /* in */
    uint32_t allocation;         /* in/out */
    uint32_t flags;              /* in: VIDMM_LOCK_* */
    uint32_t num_pages;          /* in */
    uint64_t pages;              /* in: copy of pPages, uint32_t[num_pages] */
    uint32_t lock2;              /* in: called as Lock2 */
    uint32_t reserved;
    uint64_t data;               /* out: CPU address */
    uint64_t gpu_va;             /* out */
};
NTSTATUS vidmm_lock(struct vidmm *mm, struct vidmm_lock_args *args);
/* The Lock fast path's table (vidmm_fastlock.h): zeroed memory, 64-byte
 * aligned, that outlives the manager, given before the first adapter opens.
 * Without one every Lock takes the Unix path. */
struct vidmm_fastlock_table;
NTSTATUS vidmm_set_fastlock_table(struct vidmm *mm, struct vidmm_fastlock_table *table);
struct vidmm_fastlock_table *vidmm_fastlock_table(struct vidmm *mm);

struct vidmm_unlock_args
{
    uint32_t device;
    uint32_t count;
    uint64_t handles;            /* uint32_t[count] */
};
NTSTATUS vidmm_unlock(struct vidmm *mm, const struct vidmm_unlock_args *args);

/* ---- memory information ---- */

#define VIDMM_SEGMENT_GROUP_LOCAL     0u
#define VIDMM_SEGMENT_GROUP_NON_LOCAL 1u

struct vidmm_query_video_memory_args
{
    uint32_t adapter;            /* in */
    uint32_t group;              /* in */
    uint32_t physical_adapter;   /* in */
    uint32_t process_id;         /* in: Wine id of the process hProcess names, 0 for this one */
    uint64_t budget;             /* out */
    uint64_t usage;
    uint64_t reservation;
    uint64_t available_for_reservation;
};
NTSTATUS vidmm_query_video_memory(struct vidmm *mm, struct vidmm_query_video_memory_args *args);

/* ---- statistics (D3DKMTQueryStatistics, the monitor) ---- */

/* Whose figures: this process, another process (by Wine id), or every
 * process on the adapter together. */
#define VIDMM_STATS_SELF    0u
#define VIDMM_STATS_PROCESS 1u
#define VIDMM_STATS_SYSTEM  2u

/* One adapter's figures for one scope; [] by VIDMM_SEGMENT_GROUP_* (segment
 * 0 is the local segment, 1 the non-local one). */
struct vidmm_statistics
{
    uint64_t segment_size[2];    /* each segment's size */
    uint64_t committed[2];       /* bytes of live allocations of the group */
    uint64_t resident[2];        /* bytes resident: local segment / non-local memory */
    uint64_t budget[2];          /* the scope's budget (the whole segment for SYSTEM) */
    uint32_t allocations[2];     /* live allocations of the group */
    uint32_t resident_allocations[2];
    uint64_t evictions;          /* allocations the pager moved out of the local segment */
    uint64_t evicted_bytes;
    uint64_t restores;           /* moved back in */
    uint64_t restored_bytes;
    uint64_t fence_submitted;    /* paging fence: last submitted, last completed */
    uint64_t fence_completed;
    uint64_t backing_bytes;      /* system memory held for backing stores and non-local content */
    uint32_t locked;             /* allocations locked now */
    uint32_t source_count;       /* VidPN sources of the adapter */
    uint32_t processes;          /* processes using the adapter (SYSTEM), else 1 */
    uint32_t reserved;
};

struct vidmm_query_statistics_args
{
    uint64_t luid;               /* in: the adapter */
    uint32_t scope;              /* in: VIDMM_STATS_* */
    uint32_t process_id;         /* in: VIDMM_STATS_PROCESS: Wine process id */
    uint32_t found;              /* out: 0 when no adapter of this process has the LUID
                                  * (the caller asks Wine); stats.processes 0 when the
                                  * process asked for uses no adapter of it */
    uint32_t reserved;
    struct vidmm_statistics stats; /* out */
};
/* Another process' figures are what it publishes in the system view: usage
 * and counters when they change, its locked count at its next watcher tick
 * after someone asked (so up to a tick old).  Never fails but for a bad
 * scope (STATUS_INVALID_PARAMETER). */
NTSTATUS vidmm_query_statistics(struct vidmm *mm, struct vidmm_query_statistics_args *args);

/* ---- residency, priorities, offer/reclaim ---- */

/* One call shape for the list-based functions: a device (or, where the API
 * takes one, a paging queue), then either a whole resource or a list of
 * handles, with an optional per-entry uint32_t array in or out. */
struct vidmm_list_args
{
    uint32_t device;             /* device; paging queue for MakeResident and ReclaimAllocations2 */
    uint32_t resource;           /* whole-resource form, else 0 */
    uint64_t handles;            /* uint32_t[count]: allocations, or resources with by_resource */
    uint64_t values;             /* uint32_t[count] (or [1] for a resource): priorities, statuses, results */
    uint32_t count;
    uint32_t flags;              /* the call's flags word */
    uint32_t by_resource;        /* offer/reclaim: handles are resource handles */
    uint32_t priority;           /* offer priority */
    uint64_t fence;              /* out: paging fence value */
    uint64_t bytes_to_trim;      /* out */
};

#define VIDMM_MAKERESIDENT_CANT_TRIM_FURTHER 0x1u
#define VIDMM_MAKERESIDENT_MUST_SUCCEED      0x2u
#define VIDMM_EVICT_ONLY_IF_NECESSARY        0x1u
#define VIDMM_EVICT_NOT_WRITTEN_TO           0x2u
#define VIDMM_OFFER_IMMEDIATELY              0x1u
#define VIDMM_OFFER_ALLOW_DECOMMIT           0x2u

#define VIDMM_RESIDENCY_IN_GPU_MEMORY    1u
#define VIDMM_RESIDENCY_IN_SHARED_MEMORY 2u
#define VIDMM_RESIDENCY_NOT_RESIDENT     3u

#define VIDMM_RECLAIM_OK             0u
#define VIDMM_RECLAIM_DISCARDED      1u
#define VIDMM_RECLAIM_NOT_COMMITTED  2u

NTSTATUS vidmm_make_resident(struct vidmm *mm, struct vidmm_list_args *args);
NTSTATUS vidmm_evict(struct vidmm *mm, struct vidmm_list_args *args);
NTSTATUS vidmm_query_residency(struct vidmm *mm, struct vidmm_list_args *args);
NTSTATUS vidmm_set_priority(struct vidmm *mm, struct vidmm_list_args *args);
NTSTATUS vidmm_get_priority(struct vidmm *mm, struct vidmm_list_args *args);
NTSTATUS vidmm_offer(struct vidmm *mm, struct vidmm_list_args *args);
/* args->device is a paging queue when `paging_queue` is set (ReclaimAllocations2). */
NTSTATUS vidmm_reclaim(struct vidmm *mm, struct vidmm_list_args *args, int paging_queue);

struct vidmm_paging_queue_args
{
    uint32_t device;             /* in */
    uint32_t handle;             /* in/out: the queue */
    uint32_t sync_object;        /* out */
    uint32_t reserved;
    uint64_t fence_cpu_va;       /* out */
};
NTSTATUS vidmm_create_paging_queue(struct vidmm *mm, struct vidmm_paging_queue_args *args);
NTSTATUS vidmm_destroy_paging_queue(struct vidmm *mm, uint32_t queue);

/* ---- device state ---- */

#define VIDMM_EXECUTION_ACTIVE            1u
#define VIDMM_EXECUTION_RESET             2u
#define VIDMM_EXECUTION_HUNG              3u
#define VIDMM_EXECUTION_STOPPED           4u
#define VIDMM_EXECUTION_ERROR_OUTOFMEMORY 5u
#define VIDMM_EXECUTION_ERROR_DMAFAULT    6u

NTSTATUS vidmm_get_execution_state(struct vidmm *mm, uint32_t device, uint32_t *state);
NTSTATUS vidmm_mark_device_error(struct vidmm *mm, uint32_t device, uint32_t reason);

/* ---- the driver-private escape (d3dkmt_driver.h) ---- */

struct vidmm_escape_args
{
    uint32_t adapter;
    uint32_t device;             /* 0 when none */
    uint64_t data;               /* copy of the escape payload, written back */
    uint32_t size;
    uint32_t reserved;
};
NTSTATUS vidmm_escape(struct vidmm *mm, struct vidmm_escape_args *args);

/* Counts of live objects, for tests and leak checks. */
struct vidmm_stats
{
    uint32_t adapters, devices, resources, allocations;
    uint64_t local_usage, nonlocal_usage, backing_bytes;
    /* The system-memory heap's reservations, and the empty arenas among them
     * kept for the next allocation (reserved and committed, untouched). */
    uint32_t heap_arenas, spare_arenas;
    uint64_t spare_bytes;
};
void vidmm_get_stats(struct vidmm *mm, struct vidmm_stats *stats);

#endif /* VIDMM_H */
