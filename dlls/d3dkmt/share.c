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
 * NT-handle sharing (PE side): D3DKMTShareObjects,
 * D3DKMTQueryResourceInfoFromNtHandle, D3DKMTOpenResourceFromNtHandle and
 * D3DKMTOpenNtHandleFromName.  The NT handle is a section over the object's
 * share file (dlls/d3dkmt/unix_share.c): DuplicateHandle and CloseHandle
 * work on it, and its object type reads "Section" (Windows:
 * DxgkSharedResource).
 *
 * OBJECT_ATTRIBUTES, its UNICODE_STRING, the name and the security
 * descriptor are caller memory: all of it is copied in (a fault is
 * STATUS_ACCESS_VIOLATION) and the Unix side sees only our copy.
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

#define MAX_TOTAL_DATA ((D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL + 1) * D3DKMT_WINE_MAX_PRIVATE_DATA)

struct attr_copy
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    WCHAR *buffer;
    void *sd;
    const void *user_sd;
    ULONG sd_size;
};

static void free_attributes(struct attr_copy *c)
{
    d3dkmt_free(c->buffer);
    d3dkmt_free(c->sd);
}

/* A security descriptor of the caller, as a self-relative copy (run guarded:
 * every read of it may fault). */
static NTSTATUS copy_sd_body(void *ctx)
{
    struct attr_copy *c = ctx;
    SECURITY_DESCRIPTOR_CONTROL control;
    ULONG revision, size;

    if (!RtlValidSecurityDescriptor((PSECURITY_DESCRIPTOR)c->user_sd)) return STATUS_INVALID_SECURITY_DESCR;
    if (RtlGetControlSecurityDescriptor((PSECURITY_DESCRIPTOR)c->user_sd, &control, &revision))
        return STATUS_INVALID_SECURITY_DESCR;
    size = RtlLengthSecurityDescriptor((PSECURITY_DESCRIPTOR)c->user_sd);
    if (!size || size > 0x10000) return STATUS_INVALID_SECURITY_DESCR;
    if (!(c->sd = d3dkmt_alloc(size))) return STATUS_NO_MEMORY;
    c->sd_size = size;
    if (control & SE_SELF_RELATIVE) memcpy(c->sd, c->user_sd, size);
    else if (RtlAbsoluteToSelfRelativeSD((PSECURITY_DESCRIPTOR)c->user_sd, c->sd, &c->sd_size))
        return STATUS_INVALID_SECURITY_DESCR;
    return STATUS_SUCCESS;
}

static NTSTATUS copy_attributes(const OBJECT_ATTRIBUTES *user, struct attr_copy *c)
{
    NTSTATUS status;

    memset(c, 0, sizeof(*c));
    if (!d3dkmt_copy_from_user(&c->attr, user, sizeof(c->attr))) return STATUS_ACCESS_VIOLATION;
    if (c->attr.Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    c->attr.SecurityQualityOfService = NULL;
    if (c->attr.ObjectName)
    {
        if (!d3dkmt_copy_from_user(&c->name, c->attr.ObjectName, sizeof(c->name))) return STATUS_ACCESS_VIOLATION;
        if (c->name.Length % sizeof(WCHAR) || c->name.Length > c->name.MaximumLength) return STATUS_OBJECT_NAME_INVALID;
        if (c->name.Length && !c->name.Buffer) return STATUS_ACCESS_VIOLATION;
        if (!(c->buffer = d3dkmt_alloc(c->name.Length + sizeof(WCHAR)))) return STATUS_NO_MEMORY;
        if (!d3dkmt_copy_from_user(c->buffer, c->name.Buffer, c->name.Length)) return STATUS_ACCESS_VIOLATION;
        c->buffer[c->name.Length / sizeof(WCHAR)] = 0;
        c->name.Buffer = c->buffer;
        c->name.MaximumLength = c->name.Length + sizeof(WCHAR);
        c->attr.ObjectName = &c->name;
    }
    if (c->attr.SecurityDescriptor)
    {
        c->user_sd = c->attr.SecurityDescriptor;
        if ((status = d3dkmt_guarded(copy_sd_body, c))) return status;
        c->attr.SecurityDescriptor = c->sd;
    }
    return STATUS_SUCCESS;
}

/* Hands a handle to the caller; on a fault writing it, closes it. */
static NTSTATUS give_handle(HANDLE *out, HANDLE handle)
{
    if (d3dkmt_copy_to_user(out, &handle, sizeof(handle))) return STATUS_SUCCESS;
    NtClose(handle);
    return STATUS_ACCESS_VIOLATION;
}

/* The {sync object} form of D3DKMTShareObjects: the object's state moves
 * into a share file of its own (unix_share.c share_sync). */
NTSTATUS d3dkmt_share_sync_object(D3DKMT_HANDLE sync, const OBJECT_ATTRIBUTES *attr, DWORD access, HANDLE *out)
{
    struct d3dkmt_share_sync_params params = {0};
    NTSTATUS status;

    d3dkmt_need_pump();   /* the watcher thread may drop the last view of a file */
    params.handle = sync;
    params.access = access;
    params.attr = ptr_to_u64(attr);
    if ((status = d3dkmt_unix_call(unix_share_sync, &params))) return status;
    *out = u64_to_ptr(params.nt_handle);
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTShareObjects    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTShareObjects(UINT count, const D3DKMT_HANDLE *objects, OBJECT_ATTRIBUTES *attr,
                                   DWORD access, HANDLE *out)
{
    struct d3dkmt_share_objects_params params = {0};
    struct attr_copy copy = {0};
    HANDLE dummy;
    NTSTATUS status;

    TRACE("(%u, %p, %p, %#x, %p)\n", count, objects, attr, (unsigned int)access, out);
    RETURN_IF_UNAVAILABLE();
    if (!count || count > D3DKMT_MAX_OBJECTS_PER_HANDLE || !objects || !out) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_copy_from_user(params.handles, objects, count * sizeof(*objects))) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_copy_from_user(&dummy, out, sizeof(dummy)) || !d3dkmt_probe_for_write(out, sizeof(*out)))
        return STATUS_ACCESS_VIOLATION;
    if (attr && (status = copy_attributes(attr, &copy))) goto done;
    params.count = count;
    params.access = access;
    params.attr = attr ? ptr_to_u64(&copy.attr) : 0;
    if (count == 3) d3dkmt_need_pump();
    status = d3dkmt_unix_call(unix_share_objects, &params);
    if (status && count == 1 && params.kind == D3DKMT_SHARE_IS_SYNC)
    {
        HANDLE handle = 0;

        if (!(status = d3dkmt_share_sync_object(params.handles[0], attr ? &copy.attr : NULL, access, &handle)))
            status = give_handle(out, handle);
        goto done;
    }
    if (!status) status = give_handle(out, u64_to_ptr(params.handle));
done:
    free_attributes(&copy);
    TRACE("-> %#x\n", (unsigned int)status);
    return status;
}

/******************************************************************************
 *           D3DKMTQueryResourceInfoFromNtHandle    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryResourceInfoFromNtHandle(D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE *desc)
{
    struct d3dkmt_query_resource_nt_params params = {0};
    D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice || !copy.hNtHandle) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    params.nt_handle = ptr_to_u64(copy.hNtHandle);
    params.args.device = copy.hDevice;
    if ((status = d3dkmt_unix_call(unix_query_resource_nt, &params))) return status;
    /* Sizes only, as QueryResourceInfo: the runtime data is not copied. */
    copy.PrivateRuntimeDataSize = params.args.runtime_size;
    copy.TotalPrivateDriverDataSize = params.args.total_driver_size;
    copy.ResourcePrivateDriverDataSize = params.args.resource_driver_size;
    copy.NumAllocations = params.args.count;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenResourceFromNtHandle    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenResourceFromNtHandle(D3DKMT_OPENRESOURCEFROMNTHANDLE *caller)
{
    struct d3dkmt_open_resource_nt_params params = {0};
    struct vidmm_open_info *infos = NULL;
    D3DKMT_OPENRESOURCEFROMNTHANDLE desc;
    BYTE *runtime = NULL, *resource = NULL, *total = NULL, *km_data = NULL;
    struct vidmm_open_resource_args *args = &params.args;
    NTSTATUS status;
    UINT i;

    TRACE("(%p)\n", caller);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(desc, caller);
    TRACE("device %#x handle %p count %u\n", desc.hDevice, desc.hNtHandle, desc.NumAllocations);
    /* The buffer rules of spec B.5.5 ([WIN]). */
    if (!desc.hDevice || !desc.hNtHandle || !desc.NumAllocations || !desc.pOpenAllocationInfo2
        || !desc.pPrivateRuntimeData || !desc.pTotalPrivateDriverDataBuffer)
        return STATUS_INVALID_PARAMETER;
    if (desc.NumAllocations > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL) return STATUS_INVALID_PARAMETER;
    if (desc.PrivateRuntimeDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA
        || desc.ResourcePrivateDriverDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA)
        return STATUS_INVALID_PARAMETER;
    if (!desc.pKeyedMutexPrivateRuntimeData && desc.KeyedMutexPrivateRuntimeDataSize) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(caller, sizeof(*caller))) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(desc.pOpenAllocationInfo2, desc.NumAllocations * sizeof(*desc.pOpenAllocationInfo2)))
        return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(desc.pPrivateRuntimeData, desc.PrivateRuntimeDataSize))
        return STATUS_ACCESS_VIOLATION;
    if (desc.pResourcePrivateDriverData
        && !d3dkmt_probe_for_write(desc.pResourcePrivateDriverData, desc.ResourcePrivateDriverDataSize))
        return STATUS_ACCESS_VIOLATION;
    args->total_size = min(desc.TotalPrivateDriverDataBufferSize, MAX_TOTAL_DATA);
    if (!d3dkmt_probe_for_write(desc.pTotalPrivateDriverDataBuffer, args->total_size)) return STATUS_ACCESS_VIOLATION;

    status = STATUS_NO_MEMORY;
    if (!(infos = d3dkmt_alloc(desc.NumAllocations * sizeof(*infos)))) goto done;
    if (!(runtime = d3dkmt_alloc(desc.PrivateRuntimeDataSize))) goto done;
    if (!(resource = d3dkmt_alloc(desc.ResourcePrivateDriverDataSize))) goto done;
    if (!(total = d3dkmt_alloc(args->total_size))) goto done;
    if (desc.KeyedMutexPrivateRuntimeDataSize)
    {
        status = STATUS_INVALID_PARAMETER;   /* more than any keyed mutex keeps */
        if (desc.KeyedMutexPrivateRuntimeDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA) goto done;
        status = STATUS_NO_MEMORY;
        if (!(km_data = d3dkmt_alloc(desc.KeyedMutexPrivateRuntimeDataSize))) goto done;
        status = STATUS_ACCESS_VIOLATION;
        if (!d3dkmt_copy_from_user(km_data, desc.pKeyedMutexPrivateRuntimeData, desc.KeyedMutexPrivateRuntimeDataSize))
            goto done;
        params.km_private = ptr_to_u64(km_data);
        params.km_private_size = desc.KeyedMutexPrivateRuntimeDataSize;
    }
    d3dkmt_need_pump();
    params.nt_handle = ptr_to_u64(desc.hNtHandle);
    args->device = desc.hDevice;
    args->count = desc.NumAllocations;
    args->infos = ptr_to_u64(infos);
    args->runtime_data = ptr_to_u64(runtime);
    args->runtime_size = desc.PrivateRuntimeDataSize;
    args->resource_data = desc.pResourcePrivateDriverData ? ptr_to_u64(resource) : 0;
    args->resource_size = desc.ResourcePrivateDriverDataSize;
    args->total_data = ptr_to_u64(total);
    if ((status = d3dkmt_unix_call(unix_open_resource_nt, &params))) goto done;

    d3dkmt_copy_to_user(desc.pPrivateRuntimeData, runtime, desc.PrivateRuntimeDataSize);
    d3dkmt_copy_to_user(desc.pResourcePrivateDriverData, resource, desc.ResourcePrivateDriverDataSize);
    d3dkmt_copy_to_user(desc.pTotalPrivateDriverDataBuffer, total, args->total_size);
    for (i = 0; i < desc.NumAllocations; i++)
    {
        D3DDDI_OPENALLOCATIONINFO2 *out = desc.pOpenAllocationInfo2 + i;
        UINT64 va = 0;

        d3dkmt_copy_to_user(&out->hAllocation, &infos[i].handle, sizeof(out->hAllocation));
        d3dkmt_copy_to_user(&out->PrivateDriverDataSize, &infos[i].private_size, sizeof(out->PrivateDriverDataSize));
        d3dkmt_copy_to_user(&out->GpuVirtualAddress, &va, sizeof(out->GpuVirtualAddress));
    }
    desc.hResource = args->resource;
    desc.TotalPrivateDriverDataBufferSize = args->total_size;
    desc.hKeyedMutex = params.keyed_mutex;
    desc.hSyncObject = params.sync_object;
    /* [WIN] the size reads back 0 when the share has no keyed mutex. */
    if (!desc.hKeyedMutex) desc.KeyedMutexPrivateRuntimeDataSize = 0;
    d3dkmt_copy_to_user(&caller->hResource, &desc.hResource, sizeof(desc.hResource));
    d3dkmt_copy_to_user(&caller->TotalPrivateDriverDataBufferSize, &desc.TotalPrivateDriverDataBufferSize,
                        sizeof(desc.TotalPrivateDriverDataBufferSize));
    d3dkmt_copy_to_user(&caller->hKeyedMutex, &desc.hKeyedMutex, sizeof(desc.hKeyedMutex));
    d3dkmt_copy_to_user(&caller->hSyncObject, &desc.hSyncObject, sizeof(desc.hSyncObject));
    d3dkmt_copy_to_user(&caller->KeyedMutexPrivateRuntimeDataSize, &desc.KeyedMutexPrivateRuntimeDataSize,
                        sizeof(desc.KeyedMutexPrivateRuntimeDataSize));

done:
    d3dkmt_free(km_data);
    d3dkmt_free(infos);
    d3dkmt_free(runtime);
    d3dkmt_free(resource);
    d3dkmt_free(total);
    return status;
}

/* The by-name calls (resources and sync objects share one layout): the
 * name copied in, the NT handle handed out; {0} is IP [WIN]. */
static NTSTATUS open_by_name(unsigned int call, DWORD access, const OBJECT_ATTRIBUTES *user_attr, HANDLE *out,
                             void *desc, size_t desc_size)
{
    struct d3dkmt_open_name_params params = {0};
    struct attr_copy attr;
    NTSTATUS status;

    if (!user_attr) return STATUS_INVALID_PARAMETER;
    if ((status = copy_attributes(user_attr, &attr))) goto done;
    status = STATUS_INVALID_PARAMETER;
    if (!attr.attr.ObjectName) goto done;
    status = STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(desc, desc_size)) goto done;
    params.attr = ptr_to_u64(&attr.attr);
    params.access = access;
    if (!(status = d3dkmt_unix_call(call, &params))) status = give_handle(out, u64_to_ptr(params.handle));
done:
    free_attributes(&attr);
    return status;
}

/******************************************************************************
 *           D3DKMTOpenNtHandleFromName    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenNtHandleFromName(D3DKMT_OPENNTHANDLEFROMNAME *desc)
{
    D3DKMT_OPENNTHANDLEFROMNAME copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return open_by_name(unix_open_nt_from_name, copy.dwDesiredAccess, copy.pObjAttrib, &desc->hNtHandle,
                        desc, sizeof(*desc));
}

/******************************************************************************
 *           D3DKMTOpenSyncObjectFromNtHandle    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenSyncObjectFromNtHandle(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE *desc)
{
    struct d3dkmt_open_sync_nt_params params = {0};
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!d3dkmt_probe_for_write(&desc->hSyncObject, sizeof(desc->hSyncObject))) return STATUS_ACCESS_VIOLATION;
    d3dkmt_need_pump();
    params.nt_handle = ptr_to_u64(copy.hNtHandle);   /* NULL: IH [WIN] */
    if ((status = d3dkmt_unix_call(unix_open_sync_nt, &params))) return status;
    TRACE("%p -> %#x\n", copy.hNtHandle, params.args.handle);
    d3dkmt_copy_to_user(&desc->hSyncObject, &params.args.handle, sizeof(desc->hSyncObject));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenSyncObjectFromNtHandle2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenSyncObjectFromNtHandle2(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 *desc)
{
    struct d3dkmt_open_sync_nt_params params = {0};
    D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    /* The device before the handle: {0} is IP here, IH for v1 [WIN]. */
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    d3dkmt_need_pump();
    params.nt_handle = ptr_to_u64(copy.hNtHandle);
    params.args.device = copy.hDevice;
    params.args.flags = copy.Flags.Value;
    if ((status = d3dkmt_unix_call(unix_open_sync_nt, &params))) return status;
    TRACE("%p -> %#x, fence at %#I64x\n", copy.hNtHandle, params.args.handle, params.args.fence_cpu_va);
    copy.hSyncObject = params.args.handle;
    d3dkmt_copy_to_user(&desc->hSyncObject, &copy.hSyncObject, sizeof(copy.hSyncObject));
    if (params.args.type == D3DDDI_MONITORED_FENCE)
    {
        copy.MonitoredFence.FenceValueCPUVirtualAddress = u64_to_ptr(params.args.fence_cpu_va);
        copy.MonitoredFence.FenceValueGPUVirtualAddress = 0;   /* no GPU virtual addresses */
        d3dkmt_copy_to_user(&desc->MonitoredFence.FenceValueCPUVirtualAddress,
                            &copy.MonitoredFence.FenceValueCPUVirtualAddress,
                            sizeof(copy.MonitoredFence.FenceValueCPUVirtualAddress));
        d3dkmt_copy_to_user(&desc->MonitoredFence.FenceValueGPUVirtualAddress,
                            &copy.MonitoredFence.FenceValueGPUVirtualAddress,
                            sizeof(copy.MonitoredFence.FenceValueGPUVirtualAddress));
    }
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenSyncObjectNtHandleFromName    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenSyncObjectNtHandleFromName(D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME *desc)
{
    D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return open_by_name(unix_open_sync_nt_from_name, copy.dwDesiredAccess, copy.pObjAttrib, &desc->hNtHandle,
                        desc, sizeof(*desc));
}

/******************************************************************************
 *           D3DKMTOpenKeyedMutexFromNtHandle    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenKeyedMutexFromNtHandle(D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE *desc)
{
    struct d3dkmt_open_keyed_mutex_nt_params params = {0};
    D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE copy;
    void *data = NULL;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    /* The rules of OpenKeyedMutex2 for the initial data (spec §6.8). */
    if (copy.PrivateRuntimeDataSize && !copy.pPrivateRuntimeData) return STATUS_INVALID_PARAMETER;
    if (copy.PrivateRuntimeDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(&desc->hKeyedMutex, sizeof(desc->hKeyedMutex))) return STATUS_ACCESS_VIOLATION;
    if (copy.PrivateRuntimeDataSize)
    {
        if (!(data = d3dkmt_alloc(copy.PrivateRuntimeDataSize))) return STATUS_NO_MEMORY;
        status = STATUS_ACCESS_VIOLATION;
        if (!d3dkmt_copy_from_user(data, copy.pPrivateRuntimeData, copy.PrivateRuntimeDataSize)) goto done;
    }
    d3dkmt_need_pump();
    params.nt_handle = ptr_to_u64(copy.hNtHandle);
    params.private_data = ptr_to_u64(data);
    params.private_size = copy.PrivateRuntimeDataSize;
    if (!(status = d3dkmt_unix_call(unix_open_keyed_mutex_nt, &params)))
        d3dkmt_copy_to_user(&desc->hKeyedMutex, &params.handle, sizeof(desc->hKeyedMutex));
done:
    d3dkmt_free(data);
    return status;
}
