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
 * Residency, priorities, offer/reclaim and paging queues (PE side).
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* The common shape: copy the handle list (and per-entry values going in),
 * make the call, copy per-entry values coming out. */
struct list_call
{
    struct vidmm_list_args args;
    void *handles;
    UINT *values;
};

static NTSTATUS list_call_prepare(struct list_call *call, D3DKMT_HANDLE device, D3DKMT_HANDLE resource,
                                  const D3DKMT_HANDLE *list, UINT count)
{
    NTSTATUS status;

    memset(call, 0, sizeof(*call));
    call->args.device = device;
    call->args.resource = resource;
    call->args.count = count;
    if (!device) return STATUS_INVALID_PARAMETER;
    if (!resource && (status = d3dkmt_copy_array(list, count, sizeof(D3DKMT_HANDLE), D3DKMT_WINE_MAX_HANDLES_PER_CALL,
                                                 &call->handles)))
        return status;
    call->args.handles = ptr_to_u64(call->handles);
    return STATUS_SUCCESS;
}

/* Room for the per-entry values: count of them, or one for a resource. */
static NTSTATUS list_call_values(struct list_call *call, const void *caller_values, BOOL copy_in)
{
    UINT n = call->args.resource ? 1 : call->args.count;

    if (!caller_values) return STATUS_INVALID_PARAMETER;
    if (!n) return STATUS_SUCCESS;
    if (!(call->values = d3dkmt_alloc(n * sizeof(UINT)))) return STATUS_NO_MEMORY;
    if (copy_in && !d3dkmt_copy_from_user(call->values, caller_values, n * sizeof(UINT))) return STATUS_ACCESS_VIOLATION;
    if (!copy_in && !d3dkmt_probe_for_write((void *)caller_values, n * sizeof(UINT))) return STATUS_ACCESS_VIOLATION;
    call->args.values = ptr_to_u64(call->values);
    return STATUS_SUCCESS;
}

static void list_call_finish(struct list_call *call, void *caller_values, NTSTATUS status)
{
    UINT n = call->args.resource ? 1 : call->args.count;

    if (!status && caller_values && call->values) d3dkmt_copy_to_user(caller_values, call->values, n * sizeof(UINT));
    d3dkmt_free(call->handles);
    d3dkmt_free(call->values);
}

/******************************************************************************
 *           D3DKMTCreatePagingQueue    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreatePagingQueue(D3DKMT_CREATEPAGINGQUEUE *desc)
{
    struct vidmm_paging_queue_args args = {0};
    D3DKMT_CREATEPAGINGQUEUE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice || copy.PhysicalAdapterIndex) return STATUS_INVALID_PARAMETER;
    if (copy.Priority < D3DDDI_PAGINGQUEUE_PRIORITY_BELOW_NORMAL || copy.Priority > D3DDDI_PAGINGQUEUE_PRIORITY_ABOVE_NORMAL)
        return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    args.device = copy.hDevice;
    d3dkmt_need_pump();
    if ((status = d3dkmt_unix_call(unix_create_paging_queue, &args))) return status;
    copy.hPagingQueue = args.handle;
    copy.hSyncObject = args.sync_object;
    copy.FenceValueCPUVirtualAddress = u64_to_ptr(args.fence_cpu_va);
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTDestroyPagingQueue    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroyPagingQueue(D3DDDI_DESTROYPAGINGQUEUE *desc)
{
    struct vidmm_paging_queue_args args = {0};
    D3DDDI_DESTROYPAGINGQUEUE copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hPagingQueue) return STATUS_INVALID_PARAMETER;
    args.handle = copy.hPagingQueue;
    return d3dkmt_unix_call(unix_destroy_paging_queue, &args);
}

/******************************************************************************
 *           D3DKMTMakeResident    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTMakeResident(D3DDDI_MAKERESIDENT *desc)
{
    D3DDDI_MAKERESIDENT copy;
    struct list_call call;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.NumAllocations) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    /* PriorityList is documented as ignored. */
    if (!(status = list_call_prepare(&call, copy.hPagingQueue, 0, copy.AllocationList, copy.NumAllocations)))
    {
        call.args.flags = copy.Flags.Value;
        status = d3dkmt_unix_call(unix_make_resident, &call.args);
        TRACE("-> %#lx, fence %I64u, to trim %I64u\n", status, call.args.fence, call.args.bytes_to_trim);
        /* All or nothing, so the count out is all or none. */
        copy.NumAllocations = NT_SUCCESS(status) ? copy.NumAllocations : 0;
        copy.PagingFenceValue = call.args.fence;
        copy.NumBytesToTrim = call.args.bytes_to_trim;
        if (NT_SUCCESS(status) || status == STATUS_NO_MEMORY) d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    }
    list_call_finish(&call, NULL, status);
    return status;
}

/******************************************************************************
 *           D3DKMTEvict    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTEvict(D3DKMT_EVICT *desc)
{
    D3DKMT_EVICT copy;
    struct list_call call;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.NumAllocations) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(&desc->NumBytesToTrim, sizeof(desc->NumBytesToTrim))) return STATUS_ACCESS_VIOLATION;
    if (!(status = list_call_prepare(&call, copy.hDevice, 0, copy.AllocationList, copy.NumAllocations)))
    {
        call.args.flags = copy.Flags.Value;
        if (!(status = d3dkmt_unix_call(unix_evict, &call.args)))
            d3dkmt_copy_to_user(&desc->NumBytesToTrim, &call.args.bytes_to_trim, sizeof(desc->NumBytesToTrim));
    }
    list_call_finish(&call, NULL, status);
    return status;
}

/******************************************************************************
 *           D3DKMTQueryAllocationResidency    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryAllocationResidency(const D3DKMT_QUERYALLOCATIONRESIDENCY *desc)
{
    D3DKMT_QUERYALLOCATIONRESIDENCY copy;
    struct list_call call;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    /* Exactly one of a resource and a list. */
    if (!copy.hResource == !copy.AllocationCount) return STATUS_INVALID_PARAMETER;
    if (copy.hResource && copy.phAllocationList) return STATUS_INVALID_PARAMETER;
    if (!(status = list_call_prepare(&call, copy.hDevice, copy.hResource, copy.phAllocationList, copy.AllocationCount))
        && !(status = list_call_values(&call, copy.pResidencyStatus, FALSE)))
        status = d3dkmt_unix_call(unix_query_residency, &call.args);
    list_call_finish(&call, copy.pResidencyStatus, status);
    return status;
}

static NTSTATUS priority_call(D3DKMT_HANDLE device, D3DKMT_HANDLE resource, const D3DKMT_HANDLE *list, UINT count,
                              const UINT *priorities, BOOL set)
{
    struct list_call call;
    NTSTATUS status;

    /* Exactly one of a resource and a list; with a resource, no list. */
    if (!resource == !count || (resource && list)) return STATUS_INVALID_PARAMETER;
    if (!(status = list_call_prepare(&call, device, resource, list, count))
        && !(status = list_call_values(&call, priorities, set)))
        status = d3dkmt_unix_call(set ? unix_set_priority : unix_get_priority, &call.args);
    list_call_finish(&call, set ? NULL : (void *)priorities, status);
    return status;
}

/******************************************************************************
 *           D3DKMTSetAllocationPriority    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTSetAllocationPriority(const D3DKMT_SETALLOCATIONPRIORITY *desc)
{
    D3DKMT_SETALLOCATIONPRIORITY copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return priority_call(copy.hDevice, copy.hResource, copy.phAllocationList, copy.AllocationCount, copy.pPriorities, TRUE);
}

/******************************************************************************
 *           D3DKMTGetAllocationPriority    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTGetAllocationPriority(const D3DKMT_GETALLOCATIONPRIORITY *desc)
{
    D3DKMT_GETALLOCATIONPRIORITY copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return priority_call(copy.hDevice, copy.hResource, copy.phAllocationList, copy.AllocationCount, copy.pPriorities, FALSE);
}

/* Offer and Reclaim take exactly one of a resource list and an allocation list. */
static NTSTATUS offer_list(struct list_call *call, D3DKMT_HANDLE device, const D3DKMT_HANDLE *resources,
                           const D3DKMT_HANDLE *allocations, UINT count)
{
    NTSTATUS status;

    memset(call, 0, sizeof(*call));
    if (!resources == !allocations || !count) return STATUS_INVALID_PARAMETER;
    if ((status = list_call_prepare(call, device, 0, resources ? resources : allocations, count))) return status;
    call->args.by_resource = !!resources;
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOfferAllocations    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOfferAllocations(const D3DKMT_OFFERALLOCATIONS *desc)
{
    D3DKMT_OFFERALLOCATIONS copy;
    struct list_call call;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!(status = offer_list(&call, copy.hDevice, copy.pResources, copy.HandleList, copy.NumAllocations)))
    {
        call.args.priority = copy.Priority;
        call.args.flags = copy.Flags.Value;
        status = d3dkmt_unix_call(unix_offer, &call.args);
    }
    list_call_finish(&call, NULL, status);
    return status;
}

static NTSTATUS reclaim(D3DKMT_HANDLE device, BOOL paging_queue, const D3DKMT_HANDLE *resources,
                        const D3DKMT_HANDLE *allocations, UINT count, void *results, UINT64 *fence)
{
    struct list_call call;
    NTSTATUS status;

    if (!(status = offer_list(&call, device, resources, allocations, count)))
    {
        /* Results are optional: without them, the caller treats everything as lost. */
        if (!results || !(status = list_call_values(&call, results, FALSE)))
            status = d3dkmt_unix_call(paging_queue ? unix_reclaim2 : unix_reclaim, &call.args);
        *fence = call.args.fence;
    }
    list_call_finish(&call, results, status);
    return status;
}

/******************************************************************************
 *           D3DKMTReclaimAllocations    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTReclaimAllocations(const D3DKMT_RECLAIMALLOCATIONS *desc)
{
    D3DKMT_RECLAIMALLOCATIONS copy;
    UINT64 fence;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return reclaim(copy.hDevice, FALSE, copy.pResources, copy.HandleList, copy.NumAllocations, copy.pDiscarded, &fence);
}

/******************************************************************************
 *           D3DKMTReclaimAllocations2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTReclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2 *desc)
{
    D3DKMT_RECLAIMALLOCATIONS2 copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hPagingQueue) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(&desc->PagingFenceValue, sizeof(desc->PagingFenceValue))) return STATUS_ACCESS_VIOLATION;
    /* pResults and pDiscarded share storage; the values 0/1/2 read right as either. */
    status = reclaim(copy.hPagingQueue, TRUE, copy.pResources, copy.HandleList, copy.NumAllocations, copy.pResults,
                     &copy.PagingFenceValue);
    if (!status) d3dkmt_copy_to_user(&desc->PagingFenceValue, &copy.PagingFenceValue, sizeof(copy.PagingFenceValue));
    return status;
}
