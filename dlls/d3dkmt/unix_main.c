/*
 * Unix side of d3dkmt.dll: the entry points __wine_unix_call dispatches to.
 *
 * One video memory manager per process, created on the first call
 * (process attach) and living until the process goes.
 */
#include <pthread.h>
#include <stdarg.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unixlib.h"
#include "unix_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

static struct vidmm *manager;
static pthread_once_t manager_once = PTHREAD_ONCE_INIT;
static NTSTATUS manager_status = STATUS_NO_MEMORY;

static uint32_t manager_flags;

static void create_manager(void)
{
    struct vidmm_memory_ops ops = wine_memory_ops;

    ops.max_reservations = wine_max_reservations();
    TRACE("at most %u reservations, flags %#x\n", ops.max_reservations, manager_flags);
    manager_status = vidmm_create(&ops, manager_flags, &manager);
}

static NTSTATUS process_attach(void *args)
{
    struct d3dkmt_process_attach_params *params = args;

    if (!params) return STATUS_INVALID_PARAMETER;
    manager_flags = params->flags & VIDMM_CREATE_TEST_CONTROL;
    pthread_once(&manager_once, create_manager);
    TRACE("video memory manager %p, status %#x\n", manager, (unsigned int)manager_status);
    return manager_status;
}

/* Every call after attach: a NULL argument block is a PE-side bug, never trusted. */
#define CHECK_ARGS(args) do { if (!manager) return STATUS_DEVICE_REMOVED; \
                              if (!(args)) return STATUS_INVALID_PARAMETER; } while (0)

static NTSTATUS open_adapter(void *args)
{
    struct vidmm_open_adapter_args *a = args;
    NTSTATUS status;

    CHECK_ARGS(args);
    status = vidmm_open_adapter(manager, a);
    TRACE("luid %#llx source %u -> handle %#x, status %#x\n", (unsigned long long)a->luid,
          a->source_id, a->handle, (unsigned int)status);
    return status;
}

static NTSTATUS close_adapter(void *args)
{
    CHECK_ARGS(args);
    return vidmm_close_adapter(manager, args);
}

static NTSTATUS query_adapter(void *args)
{
    struct d3dkmt_query_adapter_params *params = args;

    CHECK_ARGS(args);
    return vidmm_query_adapter(manager, params->handle, &params->info);
}

static NTSTATUS create_device(void *args)
{
    CHECK_ARGS(args);
    return vidmm_create_device(manager, args);
}

static NTSTATUS destroy_device(void *args)
{
    CHECK_ARGS(args);
    return vidmm_destroy_device(manager, args);
}

static NTSTATUS create_allocation(void *args)
{
    struct vidmm_create_allocation_args *a = args;
    NTSTATUS status;

    CHECK_ARGS(args);
    status = vidmm_create_allocation(manager, a);
    TRACE("device %#x count %u flags %#x -> resource %#x, status %#x\n", a->device, a->count,
          a->flags, a->resource, (unsigned int)status);
    return status;
}

static NTSTATUS destroy_allocation(void *args)
{
    CHECK_ARGS(args);
    return vidmm_destroy_allocation(manager, args);
}

static NTSTATUS lock(void *args)
{
    struct vidmm_lock_args *a = args;
    NTSTATUS status;

    CHECK_ARGS(args);
    status = vidmm_lock(manager, a);
    TRACE("allocation %#x flags %#x -> %#llx, status %#x\n", a->allocation, a->flags,
          (unsigned long long)a->data, (unsigned int)status);
    return status;
}

static NTSTATUS unlock(void *args)
{
    CHECK_ARGS(args);
    return vidmm_unlock(manager, args);
}

static NTSTATUS query_video_memory(void *args)
{
    CHECK_ARGS(args);
    return vidmm_query_video_memory(manager, args);
}

static NTSTATUS query_device(void *args)
{
    struct d3dkmt_query_device_params *params = args;

    CHECK_ARGS(args);
    return vidmm_query_device(manager, params->handle, &params->info);
}

#define LIST_CALL(name, call) \
    static NTSTATUS name(void *args) \
    { \
        CHECK_ARGS(args); \
        return call; \
    }
LIST_CALL(make_resident, vidmm_make_resident(manager, args))
LIST_CALL(evict, vidmm_evict(manager, args))
LIST_CALL(query_residency, vidmm_query_residency(manager, args))
LIST_CALL(set_priority, vidmm_set_priority(manager, args))
LIST_CALL(get_priority, vidmm_get_priority(manager, args))
LIST_CALL(offer, vidmm_offer(manager, args))
LIST_CALL(reclaim, vidmm_reclaim(manager, args, 0))
LIST_CALL(reclaim2, vidmm_reclaim(manager, args, 1))
LIST_CALL(create_paging_queue, vidmm_create_paging_queue(manager, args))
LIST_CALL(destroy_paging_queue, vidmm_destroy_paging_queue(manager, ((struct vidmm_paging_queue_args *)args)->handle))
LIST_CALL(escape, vidmm_escape(manager, args))
LIST_CALL(query_resource, vidmm_query_resource(manager, args))
LIST_CALL(open_resource, vidmm_open_resource(manager, args))

static NTSTATUS device_state(void *args)
{
    struct d3dkmt_device_state_params *params = args;

    CHECK_ARGS(args);
    if (params->mark_error) return vidmm_mark_device_error(manager, params->device, params->reason);
    return vidmm_get_execution_state(manager, params->device, &params->state);
}

typedef NTSTATUS (*d3dkmt_unix_entry)(void *args);

const d3dkmt_unix_entry __wine_unix_call_funcs[] =
{
    process_attach,
    open_adapter,
    close_adapter,
    query_adapter,
    create_device,
    destroy_device,
    create_allocation,
    destroy_allocation,
    lock,
    unlock,
    query_video_memory,
    query_device,
    make_resident,
    evict,
    query_residency,
    set_priority,
    get_priority,
    offer,
    reclaim,
    reclaim2,
    create_paging_queue,
    destroy_paging_queue,
    device_state,
    escape,
    query_resource,
    open_resource,
};

_Static_assert(sizeof(__wine_unix_call_funcs) / sizeof(__wine_unix_call_funcs[0]) == unix_call_count,
               "one entry per call code");
