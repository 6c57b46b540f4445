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
 * Legacy sharing with global handles (PE side): QueryResourceInfo,
 * OpenResource and OpenResource2.
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* Most private data an open may return: every allocation's and the resource's. */
#define MAX_TOTAL_DATA ((D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL + 1) * D3DKMT_WINE_MAX_PRIVATE_DATA)

/******************************************************************************
 *           D3DKMTQueryResourceInfo    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryResourceInfo(D3DKMT_QUERYRESOURCEINFO *desc)
{
    struct vidmm_query_resource_args args = {0};
    D3DKMT_QUERYRESOURCEINFO copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice || !copy.hGlobalShare) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    args.device = copy.hDevice;
    args.global_share = copy.hGlobalShare;
    if ((status = d3dkmt_unix_call(unix_query_resource, &args))) return status;
    /* Sizes only: Windows does not copy the runtime data here. */
    copy.PrivateRuntimeDataSize = args.runtime_size;
    copy.TotalPrivateDriverDataSize = args.total_driver_size;
    copy.ResourcePrivateDriverDataSize = args.resource_driver_size;
    copy.NumAllocations = args.count;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

static NTSTATUS open_resource(D3DKMT_OPENRESOURCE *caller, BOOL info2)
{
    struct vidmm_open_resource_args args = {0};
    struct vidmm_open_info *infos = NULL;
    D3DKMT_OPENRESOURCE desc;
    BYTE *runtime = NULL, *resource = NULL, *total = NULL;
    SIZE_T elem = info2 ? sizeof(D3DDDI_OPENALLOCATIONINFO2) : sizeof(D3DDDI_OPENALLOCATIONINFO);
    void *array;
    NTSTATUS status;
    UINT i;

    COPY_IN(desc, caller);
    TRACE("device %#x share %#x count %u\n", desc.hDevice, desc.hGlobalShare, desc.NumAllocations);
    array = info2 ? (void *)desc.pOpenAllocationInfo2 : (void *)desc.pOpenAllocationInfo;
    if (!desc.hDevice || !desc.hGlobalShare || !desc.NumAllocations || !array) return STATUS_INVALID_PARAMETER;
    if (desc.NumAllocations > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL) return STATUS_INVALID_PARAMETER;
    if (desc.PrivateRuntimeDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA
        || desc.ResourcePrivateDriverDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA)
        return STATUS_INVALID_PARAMETER;
    if (!desc.pTotalPrivateDriverDataBuffer) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(caller, sizeof(*caller))) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(array, desc.NumAllocations * elem)) return STATUS_ACCESS_VIOLATION;
    if (desc.pPrivateRuntimeData && !d3dkmt_probe_for_write(desc.pPrivateRuntimeData, desc.PrivateRuntimeDataSize))
        return STATUS_ACCESS_VIOLATION;
    if (desc.pResourcePrivateDriverData
        && !d3dkmt_probe_for_write(desc.pResourcePrivateDriverData, desc.ResourcePrivateDriverDataSize))
        return STATUS_ACCESS_VIOLATION;
    /* A larger total buffer is fine; only what can be written is needed. */
    args.total_size = min(desc.TotalPrivateDriverDataBufferSize, MAX_TOTAL_DATA);
    if (!d3dkmt_probe_for_write(desc.pTotalPrivateDriverDataBuffer, args.total_size)) return STATUS_ACCESS_VIOLATION;

    status = STATUS_NO_MEMORY;
    if (!(infos = d3dkmt_alloc(desc.NumAllocations * sizeof(*infos)))) goto done;
    if (!(runtime = d3dkmt_alloc(desc.PrivateRuntimeDataSize))) goto done;
    if (!(resource = d3dkmt_alloc(desc.ResourcePrivateDriverDataSize))) goto done;
    if (!(total = d3dkmt_alloc(args.total_size))) goto done;
    args.device = desc.hDevice;
    args.global_share = desc.hGlobalShare;
    args.count = desc.NumAllocations;
    args.infos = ptr_to_u64(infos);
    args.runtime_data = desc.pPrivateRuntimeData ? ptr_to_u64(runtime) : 0;
    args.runtime_size = desc.PrivateRuntimeDataSize;
    args.resource_data = desc.pResourcePrivateDriverData ? ptr_to_u64(resource) : 0;
    args.resource_size = desc.ResourcePrivateDriverDataSize;
    args.total_data = ptr_to_u64(total);
    if ((status = d3dkmt_unix_call(unix_open_resource, &args))) goto done;

    d3dkmt_copy_to_user(desc.pPrivateRuntimeData, runtime, desc.PrivateRuntimeDataSize);
    d3dkmt_copy_to_user(desc.pResourcePrivateDriverData, resource, desc.ResourcePrivateDriverDataSize);
    d3dkmt_copy_to_user(desc.pTotalPrivateDriverDataBuffer, total, args.total_size);
    for (i = 0; i < desc.NumAllocations; i++)
    {
        /* hAllocation and the size are outputs; the caller's pPrivateDriverData is left alone. */
        BYTE *entry = (BYTE *)array + i * elem;
        UINT64 va = 0;

        if (info2)
        {
            D3DDDI_OPENALLOCATIONINFO2 *out = (D3DDDI_OPENALLOCATIONINFO2 *)entry;
            d3dkmt_copy_to_user(&out->hAllocation, &infos[i].handle, sizeof(out->hAllocation));
            d3dkmt_copy_to_user(&out->PrivateDriverDataSize, &infos[i].private_size, sizeof(out->PrivateDriverDataSize));
            d3dkmt_copy_to_user(&out->GpuVirtualAddress, &va, sizeof(out->GpuVirtualAddress));
        }
        else
        {
            D3DDDI_OPENALLOCATIONINFO *out = (D3DDDI_OPENALLOCATIONINFO *)entry;
            d3dkmt_copy_to_user(&out->hAllocation, &infos[i].handle, sizeof(out->hAllocation));
            d3dkmt_copy_to_user(&out->PrivateDriverDataSize, &infos[i].private_size, sizeof(out->PrivateDriverDataSize));
        }
    }
    desc.hResource = args.resource;
    desc.TotalPrivateDriverDataBufferSize = args.total_size;
    d3dkmt_copy_to_user(&caller->hResource, &desc.hResource, sizeof(desc.hResource));
    d3dkmt_copy_to_user(&caller->TotalPrivateDriverDataBufferSize, &desc.TotalPrivateDriverDataBufferSize,
                        sizeof(desc.TotalPrivateDriverDataBufferSize));

done:
    d3dkmt_free(infos);
    d3dkmt_free(runtime);
    d3dkmt_free(resource);
    d3dkmt_free(total);
    return status;
}

/******************************************************************************
 *           D3DKMTOpenResource    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenResource(D3DKMT_OPENRESOURCE *desc)
{
    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    return open_resource(desc, FALSE);
}

/******************************************************************************
 *           D3DKMTOpenResource2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenResource2(D3DKMT_OPENRESOURCE *desc)
{
    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    return open_resource(desc, TRUE);
}
