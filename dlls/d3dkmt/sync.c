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
 * Synchronization objects and keyed mutexes (PE side): create, open and
 * destroy them, signal and wait from the CPU, acquire and release.  Every
 * caller buffer is copied in (and out) here, so the Unix side only ever
 * touches our own memory, and never faults while it holds a lock.
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* ---- the event pump ---- */

/* The pager's threads cannot set an event themselves (only a thread Wine
 * made can call the wineserver); this thread does it for them.  It lives in
 * a Unix call that never returns, so the module stays loaded for good. */
static DWORD WINAPI pump_thread(void *arg)
{
    struct d3dkmt_handle_params params = {0};

    d3dkmt_unix_call(unix_event_pump, &params);
    return 0;
}

static BOOL WINAPI start_pump(INIT_ONCE *once, void *param, void **context)
{
    HMODULE module;
    HANDLE thread;

    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       (const WCHAR *)pump_thread, &module);
    if (!(thread = CreateThread(NULL, 0, pump_thread, NULL, 0, NULL)))
        ERR("no event pump, error %lu\n", GetLastError());
    else CloseHandle(thread);
    return TRUE;
}

/* Before the first event goes to the Unix side, and before the first paging
 * queue: the pager may drop the last reference of its fence, whose page only
 * a Wine thread can unmap. */
void d3dkmt_need_pump(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, start_pump, NULL, NULL);
}

/* ---- synchronization objects ---- */

static NTSTATUS create_sync(struct vidmm_sync_create_args *args, D3DKMT_HANDLE *out_handle)
{
    NTSTATUS status;

    if (!args->device) return STATUS_INVALID_PARAMETER;
    if (args->event) d3dkmt_need_pump();
    if ((status = d3dkmt_unix_call(unix_sync_create, args))) return status;
    TRACE("-> handle %#x, global %#x, fence at %#I64x\n", args->handle, args->shared_handle, args->fence_cpu_va);
    *out_handle = args->handle;
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTCreateSynchronizationObject    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateSynchronizationObject(D3DKMT_CREATESYNCHRONIZATIONOBJECT *desc)
{
    struct vidmm_sync_create_args args = {0};
    D3DKMT_CREATESYNCHRONIZATIONOBJECT copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!d3dkmt_probe_for_write(&desc->hSyncObject, sizeof(desc->hSyncObject))) return STATUS_ACCESS_VIOLATION;
    args.device = copy.hDevice;
    args.version = 1;
    args.type = copy.Info.Type;
    if (args.type == D3DDDI_SYNCHRONIZATION_MUTEX) args.initial_state = copy.Info.SynchronizationMutex.InitialState;
    if (args.type == D3DDDI_SEMAPHORE)
    {
        args.max_count = copy.Info.Semaphore.MaxCount;
        args.initial_count = copy.Info.Semaphore.InitialCount;
    }
    if ((status = create_sync(&args, &copy.hSyncObject))) return status;
    d3dkmt_copy_to_user(&desc->hSyncObject, &copy.hSyncObject, sizeof(copy.hSyncObject));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTCreateSynchronizationObject2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateSynchronizationObject2(D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *desc)
{
    struct vidmm_sync_create_args args = {0};
    D3DKMT_CREATESYNCHRONIZATIONOBJECT2 copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    args.device = copy.hDevice;
    args.version = 2;
    args.type = copy.Info.Type;
    args.flags = copy.Info.Flags.Value;
    switch (args.type)
    {
    case D3DDDI_SYNCHRONIZATION_MUTEX:
        args.initial_state = copy.Info.SynchronizationMutex.InitialState;
        break;
    case D3DDDI_SEMAPHORE:
        args.max_count = copy.Info.Semaphore.MaxCount;
        args.initial_count = copy.Info.Semaphore.InitialCount;
        break;
    case D3DDDI_FENCE:
        args.fence_value = copy.Info.Fence.FenceValue;
        break;
    case D3DDDI_CPU_NOTIFICATION:
        args.event = ptr_to_u64(copy.Info.CPUNotification.Event);
        break;
    case D3DDDI_MONITORED_FENCE:
        args.fence_value = copy.Info.MonitoredFence.InitialFenceValue;
        args.engine_affinity = copy.Info.MonitoredFence.EngineAffinity;
        break;
    default:
        break;
    }
    if ((status = create_sync(&args, &copy.hSyncObject))) return status;
    /* Choice: no global handle reads as 0 (spec §3.2 allows it). */
    copy.Info.SharedHandle = args.shared_handle;
    if (args.type == D3DDDI_MONITORED_FENCE)
    {
        copy.Info.MonitoredFence.FenceValueCPUVirtualAddress = u64_to_ptr(args.fence_cpu_va);
        copy.Info.MonitoredFence.FenceValueGPUVirtualAddress = args.fence_gpu_va;
    }
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenSynchronizationObject    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenSynchronizationObject(D3DKMT_OPENSYNCHRONIZATIONOBJECT *desc)
{
    struct vidmm_sync_open_args args = {0};
    D3DKMT_OPENSYNCHRONIZATIONOBJECT copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hSharedHandle) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(&desc->hSyncObject, sizeof(desc->hSyncObject))) return STATUS_ACCESS_VIOLATION;
    args.shared_handle = copy.hSharedHandle;
    if ((status = d3dkmt_unix_call(unix_sync_open, &args))) return status;
    d3dkmt_copy_to_user(&desc->hSyncObject, &args.handle, sizeof(args.handle));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTDestroySynchronizationObject    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroySynchronizationObject(const D3DKMT_DESTROYSYNCHRONIZATIONOBJECT *desc)
{
    struct d3dkmt_handle_params params = {0};
    D3DKMT_DESTROYSYNCHRONIZATIONOBJECT copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hSyncObject) return STATUS_INVALID_PARAMETER;
    params.handle = copy.hSyncObject;
    return d3dkmt_unix_call(unix_sync_destroy, &params);
}

/* The handle and value arrays of a CPU signal or wait, copied. */
static NTSTATUS copy_fence_arrays(const D3DKMT_HANDLE *handles, const UINT64 *values, UINT count, UINT max,
                                  void **handles_copy, void **values_copy)
{
    NTSTATUS status;

    *values_copy = NULL;
    if (!count) return STATUS_INVALID_PARAMETER;
    if ((status = d3dkmt_copy_array(handles, count, sizeof(*handles), max, handles_copy))) return status;
    if ((status = d3dkmt_copy_array(values, count, sizeof(*values), max, values_copy)))
    {
        d3dkmt_free(*handles_copy);
        *handles_copy = NULL;
    }
    return status;
}

/******************************************************************************
 *           D3DKMTSignalSynchronizationObjectFromCpu    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTSignalSynchronizationObjectFromCpu(const D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU *desc)
{
    struct vidmm_sync_signal_args args = {0};
    D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU copy;
    void *handles, *values;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    if ((status = copy_fence_arrays(copy.ObjectHandleArray, copy.FenceValueArray, copy.ObjectCount,
                                    VIDMM_SYNC_MAX_SIGNAL_OBJECTS, &handles, &values)))
        return status;
    args.device = copy.hDevice;
    args.count = copy.ObjectCount;
    args.handles = ptr_to_u64(handles);
    args.values = ptr_to_u64(values);
    args.flags = copy.Flags.Value;
    status = d3dkmt_unix_call(unix_sync_signal, &args);
    d3dkmt_free(handles);
    d3dkmt_free(values);
    return status;
}

/******************************************************************************
 *           D3DKMTWaitForSynchronizationObjectFromCpu    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTWaitForSynchronizationObjectFromCpu(const D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU *desc)
{
    struct vidmm_sync_wait_args args = {0};
    D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU copy;
    void *handles, *values;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    if ((status = copy_fence_arrays(copy.ObjectHandleArray, copy.FenceValueArray, copy.ObjectCount,
                                    VIDMM_SYNC_MAX_WAIT_OBJECTS, &handles, &values)))
        return status;
    if (copy.hAsyncEvent) d3dkmt_need_pump();
    args.device = copy.hDevice;
    args.count = copy.ObjectCount;
    args.handles = ptr_to_u64(handles);
    args.values = ptr_to_u64(values);
    args.event = ptr_to_u64(copy.hAsyncEvent);
    args.flags = copy.Flags.Value;
    status = d3dkmt_unix_call(unix_sync_wait, &args);
    d3dkmt_free(handles);
    d3dkmt_free(values);
    return status;
}

/* ---- keyed mutexes ---- */

/* Private runtime data going in: NULL requires size 0 [HDR]. */
static NTSTATUS copy_private_in(const void *data, UINT size, void **out)
{
    *out = NULL;
    if (size && !data) return STATUS_INVALID_PARAMETER;
    return d3dkmt_copy_array(data, size, 1, VIDMM_KEYED_MUTEX_MAX_PRIVATE, out);
}

static NTSTATUS create_keyed_mutex(UINT64 initial, const void *data, UINT size, UINT flags,
                                   D3DKMT_HANDLE *shared, D3DKMT_HANDLE *local)
{
    struct vidmm_keyed_mutex_create_args args = {0};
    NTSTATUS status;
    void *private;

    if (!d3dkmt_probe_for_write(shared, sizeof(*shared)) || !d3dkmt_probe_for_write(local, sizeof(*local)))
        return STATUS_ACCESS_VIOLATION;
    if ((status = copy_private_in(data, size, &private))) return status;
    args.initial_value = initial;
    args.private_data = ptr_to_u64(private);
    args.private_size = size;
    args.flags = flags;
    if (!(status = d3dkmt_unix_call(unix_keyed_mutex_create, &args)))
    {
        d3dkmt_copy_to_user(shared, &args.shared_handle, sizeof(*shared));
        d3dkmt_copy_to_user(local, &args.handle, sizeof(*local));
    }
    d3dkmt_free(private);
    return status;
}

/******************************************************************************
 *           D3DKMTCreateKeyedMutex    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateKeyedMutex(D3DKMT_CREATEKEYEDMUTEX *desc)
{
    D3DKMT_CREATEKEYEDMUTEX copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return create_keyed_mutex(copy.InitialValue, NULL, 0, 0, &desc->hSharedHandle, &desc->hKeyedMutex);
}

/******************************************************************************
 *           D3DKMTCreateKeyedMutex2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateKeyedMutex2(D3DKMT_CREATEKEYEDMUTEX2 *desc)
{
    D3DKMT_CREATEKEYEDMUTEX2 copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return create_keyed_mutex(copy.InitialValue, copy.pPrivateRuntimeData, copy.PrivateRuntimeDataSize,
                              copy.Flags.Value, &desc->hSharedHandle, &desc->hKeyedMutex);
}

static NTSTATUS open_keyed_mutex(D3DKMT_HANDLE shared, const void *data, UINT size, D3DKMT_HANDLE *local)
{
    struct vidmm_keyed_mutex_open_args args = {0};
    NTSTATUS status;
    void *private;

    if (!shared) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(local, sizeof(*local))) return STATUS_ACCESS_VIOLATION;
    if ((status = copy_private_in(data, size, &private))) return status;
    args.shared_handle = shared;
    args.private_data = ptr_to_u64(private);
    args.private_size = size;
    if (!(status = d3dkmt_unix_call(unix_keyed_mutex_open, &args)))
        d3dkmt_copy_to_user(local, &args.handle, sizeof(*local));
    d3dkmt_free(private);
    return status;
}

/******************************************************************************
 *           D3DKMTOpenKeyedMutex    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenKeyedMutex(D3DKMT_OPENKEYEDMUTEX *desc)
{
    D3DKMT_OPENKEYEDMUTEX copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return open_keyed_mutex(copy.hSharedHandle, NULL, 0, &desc->hKeyedMutex);
}

/******************************************************************************
 *           D3DKMTOpenKeyedMutex2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenKeyedMutex2(D3DKMT_OPENKEYEDMUTEX2 *desc)
{
    D3DKMT_OPENKEYEDMUTEX2 copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return open_keyed_mutex(copy.hSharedHandle, copy.pPrivateRuntimeData, copy.PrivateRuntimeDataSize,
                            &desc->hKeyedMutex);
}

/******************************************************************************
 *           D3DKMTDestroyKeyedMutex    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroyKeyedMutex(const D3DKMT_DESTROYKEYEDMUTEX *desc)
{
    struct d3dkmt_handle_params params = {0};
    D3DKMT_DESTROYKEYEDMUTEX copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hKeyedMutex) return STATUS_INVALID_PARAMETER;
    params.handle = copy.hKeyedMutex;
    return d3dkmt_unix_call(unix_keyed_mutex_destroy, &params);
}

/* Acquire and Acquire2: the outputs are written only for a status that
 * says what happened to the key (success, timeout, abandoned). */
static NTSTATUS acquire(D3DKMT_HANDLE handle, UINT64 key, const LARGE_INTEGER *timeout, UINT64 *fence_out,
                        void *data, UINT size)
{
    struct vidmm_keyed_mutex_acquire_args args = {0};
    LARGE_INTEGER to;
    NTSTATUS status;
    void *buffer = NULL;

    if (!handle) return STATUS_INVALID_PARAMETER;
    if (size && !data) return STATUS_INVALID_PARAMETER;
    if (size > VIDMM_KEYED_MUTEX_MAX_PRIVATE) return STATUS_INVALID_PARAMETER;
    if (timeout && !d3dkmt_copy_from_user(&to, timeout, sizeof(to))) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(fence_out, sizeof(*fence_out))) return STATUS_ACCESS_VIOLATION;
    /* Our buffer starts as the caller's, so what the data does not cover
     * reads back unchanged. */
    if (size && (status = d3dkmt_copy_array(data, size, 1, VIDMM_KEYED_MUTEX_MAX_PRIVATE, &buffer))) return status;
    if (size && !d3dkmt_probe_for_write(data, size))
    {
        d3dkmt_free(buffer);
        return STATUS_ACCESS_VIOLATION;
    }
    args.handle = handle;
    args.key = key;
    args.has_timeout = !!timeout;
    args.timeout = timeout ? to.QuadPart : 0;
    args.private_data = ptr_to_u64(buffer);
    args.private_size = size;
    status = d3dkmt_unix_call(unix_keyed_mutex_acquire, &args);
    if (status == STATUS_SUCCESS || status == STATUS_TIMEOUT || status == STATUS_ABANDONED)
        d3dkmt_copy_to_user(fence_out, &args.fence_value, sizeof(*fence_out));
    if (status == STATUS_SUCCESS && size) d3dkmt_copy_to_user(data, buffer, size);
    d3dkmt_free(buffer);
    return status;
}

/******************************************************************************
 *           D3DKMTAcquireKeyedMutex    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTAcquireKeyedMutex(D3DKMT_ACQUIREKEYEDMUTEX *desc)
{
    D3DKMT_ACQUIREKEYEDMUTEX copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return acquire(copy.hKeyedMutex, copy.Key, copy.pTimeout, &desc->FenceValue, NULL, 0);
}

/******************************************************************************
 *           D3DKMTAcquireKeyedMutex2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTAcquireKeyedMutex2(D3DKMT_ACQUIREKEYEDMUTEX2 *desc)
{
    D3DKMT_ACQUIREKEYEDMUTEX2 copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return acquire(copy.hKeyedMutex, copy.Key, copy.pTimeout, &desc->FenceValue, copy.pPrivateRuntimeData,
                   copy.PrivateRuntimeDataSize);
}

static NTSTATUS release(D3DKMT_HANDLE handle, UINT64 key, UINT64 fence, const void *data, UINT size)
{
    struct vidmm_keyed_mutex_release_args args = {0};
    NTSTATUS status;
    void *private;

    if (!handle) return STATUS_INVALID_PARAMETER;
    if ((status = copy_private_in(data, size, &private))) return status;
    args.handle = handle;
    args.key = key;
    args.fence_value = fence;
    args.private_data = ptr_to_u64(private);
    args.private_size = size;
    status = d3dkmt_unix_call(unix_keyed_mutex_release, &args);
    d3dkmt_free(private);
    return status;
}

/******************************************************************************
 *           D3DKMTReleaseKeyedMutex    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTReleaseKeyedMutex(D3DKMT_RELEASEKEYEDMUTEX *desc)
{
    D3DKMT_RELEASEKEYEDMUTEX copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return release(copy.hKeyedMutex, copy.Key, copy.FenceValue, NULL, 0);
}

/******************************************************************************
 *           D3DKMTReleaseKeyedMutex2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTReleaseKeyedMutex2(D3DKMT_RELEASEKEYEDMUTEX2 *desc)
{
    D3DKMT_RELEASEKEYEDMUTEX2 copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return release(copy.hKeyedMutex, copy.Key, copy.FenceValue, copy.pPrivateRuntimeData, copy.PrivateRuntimeDataSize);
}
