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

typedef uint64_t d3dkmt_unixlib_handle;

/* MemoryWineUnixFuncs: the NtQueryVirtualMemory class that returns the
 * handle of a builtin module's Unix library. */
#define D3DKMT_MEMORY_WINE_UNIX_FUNCS 1000

enum d3dkmt_unix_call
{
    unix_process_attach,        /* struct d3dkmt_process_attach_params */
    unix_open_adapter,          /* struct vidmm_open_adapter_args */
    unix_close_adapter,         /* struct vidmm_close_adapter_args */
    unix_query_adapter,         /* struct d3dkmt_query_adapter_params */
    unix_create_device,         /* struct vidmm_create_device_args */
    unix_destroy_device,        /* struct vidmm_destroy_device_args */
    unix_create_allocation,     /* struct vidmm_create_allocation_args */
    unix_destroy_allocation,    /* struct vidmm_destroy_allocation_args */
    unix_lock,                  /* struct vidmm_lock_args */
    unix_unlock,                /* struct vidmm_unlock_args */
    unix_query_video_memory,    /* struct vidmm_query_video_memory_args */
    unix_query_device,          /* struct d3dkmt_query_device_params */
    unix_make_resident,         /* struct vidmm_list_args, device = paging queue */
    unix_evict,                 /* struct vidmm_list_args */
    unix_query_residency,       /* struct vidmm_list_args */
    unix_set_priority,          /* struct vidmm_list_args */
    unix_get_priority,          /* struct vidmm_list_args */
    unix_offer,                 /* struct vidmm_list_args */
    unix_reclaim,               /* struct vidmm_list_args */
    unix_reclaim2,              /* struct vidmm_list_args, device = paging queue */
    unix_create_paging_queue,   /* struct vidmm_paging_queue_args */
    unix_destroy_paging_queue,  /* struct vidmm_paging_queue_args (handle) */
    unix_device_state,          /* struct d3dkmt_device_state_params */
    unix_escape,                /* struct vidmm_escape_args */
    unix_query_resource,        /* struct vidmm_query_resource_args */
    unix_open_resource,         /* struct vidmm_open_resource_args */
    unix_call_count
};

struct d3dkmt_process_attach_params
{
    uint32_t flags;             /* VIDMM_CREATE_* for the process's manager */
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

struct d3dkmt_device_state_params
{
    uint32_t device;
    uint32_t mark_error;        /* MarkDeviceAsError with this reason, else just query */
    uint32_t reason;
    uint32_t state;             /* out: execution state */
};

#endif
