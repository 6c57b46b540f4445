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
 * Calls from the PE side of d3dkmt.dll to its Unix side (d3dkmt.so).
 *
 * Each call takes one of the fixed-layout argument structs of
 * include/private/vidmm.h, filled by the PE side from the caller's Windows
 * struct.  Pointers in them are uint64_t, so the layout is the same for
 * every PE architecture.
 */
#ifndef D3DKMT_UNIXLIB_H
#define D3DKMT_UNIXLIB_H

#include "private/vidmm.h"
#include "private/vidmm_sync.h"
#include "private/vidmm_faults.h"

/* Every Unix call, one line each: its name, its argument struct, and the
 * Unix-side function that serves it, called as handler(manager, args).  The
 * call codes below and the dispatch table in unix_main.c are made from this
 * list, so they cannot disagree. */
#define D3DKMT_UNIX_CALLS(X) \
    X(process_attach,       struct d3dkmt_process_attach_params,     process_attach) \
    X(open_adapter,         struct vidmm_open_adapter_args,          vidmm_open_adapter) \
    X(close_adapter,        struct vidmm_close_adapter_args,         vidmm_close_adapter) \
    X(query_adapter,        struct d3dkmt_query_adapter_params,      query_adapter) \
    X(create_device,        struct vidmm_create_device_args,         vidmm_create_device) \
    X(destroy_device,       struct vidmm_destroy_device_args,        vidmm_destroy_device) \
    X(create_allocation,    struct vidmm_create_allocation_args,     vidmm_create_allocation) \
    X(destroy_allocation,   struct vidmm_destroy_allocation_args,    vidmm_destroy_allocation) \
    X(lock,                 struct vidmm_lock_args,                  vidmm_lock) \
    X(unlock,               struct vidmm_unlock_args,                vidmm_unlock) \
    X(query_video_memory,   struct vidmm_query_video_memory_args,    vidmm_query_video_memory) \
    X(query_statistics,     struct vidmm_query_statistics_args,      vidmm_query_statistics) \
    X(query_device,         struct d3dkmt_query_device_params,       query_device) \
    X(make_resident,        struct vidmm_list_args,                  vidmm_make_resident) /* device: paging queue */ \
    X(evict,                struct vidmm_list_args,                  vidmm_evict) \
    X(query_residency,      struct vidmm_list_args,                  vidmm_query_residency) \
    X(set_priority,         struct vidmm_list_args,                  vidmm_set_priority) \
    X(get_priority,         struct vidmm_list_args,                  vidmm_get_priority) \
    X(offer,                struct vidmm_list_args,                  vidmm_offer) \
    X(reclaim,              struct vidmm_list_args,                  reclaim) \
    X(reclaim2,             struct vidmm_list_args,                  reclaim2) /* device: paging queue */ \
    X(create_paging_queue,  struct vidmm_paging_queue_args,          vidmm_create_paging_queue) \
    X(destroy_paging_queue, struct vidmm_paging_queue_args,          destroy_paging_queue) /* handle */ \
    X(device_state,         struct d3dkmt_device_state_params,       device_state) \
    X(escape,               struct vidmm_escape_args,                vidmm_escape) \
    X(query_resource,       struct vidmm_query_resource_args,        vidmm_query_resource) \
    X(open_resource,        struct vidmm_open_resource_args,         vidmm_open_resource) \
    X(sync_create,          struct vidmm_sync_create_args,           vidmm_sync_create) \
    X(sync_open,            struct vidmm_sync_open_args,             vidmm_sync_open) \
    X(sync_destroy,         struct d3dkmt_handle_params,             sync_destroy) \
    X(sync_signal,          struct vidmm_sync_signal_args,           vidmm_sync_signal_cpu) \
    X(sync_wait,            struct vidmm_sync_wait_args,             vidmm_sync_wait_cpu) \
    X(keyed_mutex_create,   struct vidmm_keyed_mutex_create_args,    vidmm_keyed_mutex_create) \
    X(keyed_mutex_open,     struct vidmm_keyed_mutex_open_args,      vidmm_keyed_mutex_open) \
    X(keyed_mutex_destroy,  struct d3dkmt_handle_params,             keyed_mutex_destroy) \
    X(keyed_mutex_acquire,  struct vidmm_keyed_mutex_acquire_args,   vidmm_keyed_mutex_acquire) \
    X(keyed_mutex_release,  struct vidmm_keyed_mutex_release_args,   vidmm_keyed_mutex_release) \
    X(share_objects,        struct d3dkmt_share_objects_params,      share_objects) \
    X(query_resource_nt,    struct d3dkmt_query_resource_nt_params,  query_resource_nt) \
    X(open_resource_nt,     struct d3dkmt_open_resource_nt_params,   open_resource_nt) \
    X(open_nt_from_name,    struct d3dkmt_open_name_params,          open_nt_from_name) \
    X(share_sync,           struct d3dkmt_share_sync_params,         share_sync) \
    X(open_sync_nt,         struct d3dkmt_open_sync_nt_params,       open_sync_nt) \
    X(open_sync_nt_from_name, struct d3dkmt_open_name_params,        open_sync_nt_from_name) \
    X(open_keyed_mutex_nt,  struct d3dkmt_open_keyed_mutex_nt_params, open_keyed_mutex_nt) \
    X(event_pump,           struct d3dkmt_handle_params,             event_pump) /* never returns */

enum d3dkmt_unix_call
{
#define X(name, type, handler) unix_##name,
    D3DKMT_UNIX_CALLS(X)
#undef X
    unix_call_count
};

struct d3dkmt_process_attach_params
{
    uint32_t flags;             /* VIDMM_CREATE_* for the process's manager */
    char system_view[32];       /* which system view: "" the prefix-wide one, else a private one by
                                 * this name ([A-Za-z0-9_-], NUL-terminated; unix_system.c) */
    char faults[VIDMM_FAULTS_MAX_TEXT]; /* fault injection's setting (vidmm_faults.h), "" for none;
                                 * NUL-terminated */
    uint64_t fastlock_table;    /* the Lock fast path's table (vidmm_fastlock.h), zeroed PE memory; 0: none */
};

struct d3dkmt_query_adapter_params
{
    uint32_t handle;
    uint32_t reserved;
    struct vidmm_adapter_info info;
};

struct d3dkmt_query_device_params
{
    uint32_t handle;
    uint32_t reserved;
    struct vidmm_device_info info;
};

struct d3dkmt_handle_params
{
    uint32_t handle;
    uint32_t reserved;
};

struct d3dkmt_device_state_params
{
    uint32_t device;
    uint32_t mark_error;        /* MarkDeviceAsError with this reason, else just query */
    uint32_t reason;
    uint32_t state;             /* out: execution state */
};

/* NT-handle sharing (unix_share.c).  `attr` points to an OBJECT_ATTRIBUTES
 * the PE side copied into its own memory (with its name and security
 * descriptor): the PE and Unix sides of one module share the architecture. */
#define D3DKMT_SHARE_IS_SYNC 1u   /* out kind: the one handle is an NT-shareable sync object */
#define D3DKMT_SHARE_CHECK_SYNC 2u /* in kind: only say whether it is one (kind), share nothing */

struct d3dkmt_share_objects_params
{
    uint32_t count;              /* in: 1 or 3 */
    uint32_t access;             /* in: dwDesiredAccess */
    uint32_t handles[3];         /* in */
    uint32_t kind;               /* out: D3DKMT_SHARE_IS_SYNC when not shared here (the sync-object form) */
    uint64_t attr;               /* in: const OBJECT_ATTRIBUTES *, or 0 */
    uint64_t handle;             /* out: the NT handle */
};

struct d3dkmt_query_resource_nt_params
{
    uint64_t nt_handle;          /* in */
    struct vidmm_query_resource_args args;
};

struct d3dkmt_open_resource_nt_params
{
    uint64_t nt_handle;          /* in */
    struct vidmm_open_resource_args args;
    uint32_t keyed_mutex;        /* out: 0 when the share has none */
    uint32_t sync_object;        /* out: 0 when the share has none */
    uint64_t km_private;         /* in: the keyed mutex's initial private data (our copy), or 0 */
    uint32_t km_private_size;    /* in */
    uint32_t reserved;
};

/* The {sync object} form of ShareObjects. */
struct d3dkmt_share_sync_params
{
    uint32_t handle;             /* in: local handle */
    uint32_t access;             /* in: dwDesiredAccess */
    uint64_t attr;               /* in: const OBJECT_ATTRIBUTES *, or 0 */
    uint64_t nt_handle;          /* out */
};

struct d3dkmt_open_sync_nt_params
{
    uint64_t nt_handle;          /* in */
    struct vidmm_sync_open_slot_args args;
};

struct d3dkmt_open_keyed_mutex_nt_params
{
    uint64_t nt_handle;          /* in */
    uint64_t private_data;       /* in: our copy, or 0 */
    uint32_t private_size;       /* in */
    uint32_t handle;             /* out */
};

struct d3dkmt_open_name_params
{
    uint64_t attr;               /* in: const OBJECT_ATTRIBUTES * */
    uint32_t access;             /* in */
    uint32_t reserved;
    uint64_t handle;             /* out */
};

#endif
