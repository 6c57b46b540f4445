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
 * Devices: CreateDevice, DestroyDevice, execution state.
 */
#if 0
#pragma makedep unix
#endif
#include "vidmm_private.h"
#include "sync_private.h"

/* The handle is already out of the table. */
void device_teardown(struct vidmm *mm, struct vidmm_device *device)
{
    vidmm_assert_held(&mm->objects_lock);
    device->dead = 1;
    sync_destroy_device_objects(mm, device);
    while (!list_empty(&device->paging_queues))
        paging_queue_destroy(mm, LIST_ENTRY(device->paging_queues.next, struct vidmm_paging_queue, entry));
    device_destroy_contents(mm, device);
    fastlock_device_gone(mm, device);
    list_remove(&device->entry);
}

NTSTATUS vidmm_create_device(struct vidmm *mm, struct vidmm_create_device_args *args)
{
    struct vidmm_adapter *adapter;
    struct vidmm_device *device;
    NTSTATUS status;

    if (args->flags & ~VIDMM_DEVICE_FLAGS_VALID) return STATUS_INVALID_PARAMETER;
    if (!(adapter = vidmm_get(mm, args->adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    if (adapter->gpu->removed)
    {
        vidmm_put(mm, adapter);
        return STATUS_DEVICE_REMOVED;
    }
    if (!(device = vidmm_calloc(1, sizeof(*device))))
    {
        vidmm_put(mm, adapter);
        return STATUS_NO_MEMORY;
    }
    device->obj.type = VIDMM_OBJECT_DEVICE;
    atomic_init(&device->obj.refs, 1);
    device->adapter = adapter;
    device->flags = args->flags;
    device->host_handle = args->host_handle;
    list_init(&device->resources);
    ilist_init(&device->allocations);
    list_init(&device->paging_queues);
    atomic_init(&device->exec_state, VIDMM_EXECUTION_ACTIVE);
    device->faults = mm->faults;
    device->faults_epoch = faults_device_born(mm->faults);

    vidmm_mutex_lock(&mm->objects_lock);
    if (adapter->closed) status = STATUS_INVALID_PARAMETER;  /* closed meanwhile */
    else status = handle_table_insert(&mm->table, device, VIDMM_OBJECT_DEVICE, &device->obj.handle);
    if (!status)
    {
        list_add_tail(&adapter->devices, &device->entry);
        fastlock_device_born(mm, device);
    }
    vidmm_mutex_unlock(&mm->objects_lock);
    if (status)
    {
        vidmm_put(mm, device);   /* and with it the adapter reference */
        return status;
    }
    args->handle = device->obj.handle;
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_destroy_device(struct vidmm *mm, struct vidmm_destroy_device_args *args)
{
    struct vidmm_device *device;

    vidmm_mutex_lock(&mm->objects_lock);
    if (!args->handle || !(device = handle_table_remove(&mm->table, args->handle, VIDMM_OBJECT_DEVICE)))
    {
        vidmm_mutex_unlock(&mm->objects_lock);
        return STATUS_INVALID_PARAMETER;
    }
    device_teardown(mm, device);
    vidmm_mutex_unlock(&mm->objects_lock);
    args->host_handle = device->host_handle;
    vidmm_put(mm, device);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_query_device(struct vidmm *mm, uint32_t handle, struct vidmm_device_info *info)
{
    struct vidmm_device *device;

    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    info->adapter = device->adapter->obj.handle;
    info->host_handle = device->host_handle;
    vidmm_put(mm, device);
    return STATUS_SUCCESS;
}

NTSTATUS vidmm_get_execution_state(struct vidmm *mm, uint32_t handle, uint32_t *state)
{
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;

    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    device_fault_check(device);
    /* A gone adapter fails the call; a device in error reports its state. */
    if (device->adapter->gpu->removed) status = STATUS_DEVICE_REMOVED;
    else *state = atomic_load(&device->exec_state);
    vidmm_put(mm, device);
    return status;
}

NTSTATUS vidmm_mark_device_error(struct vidmm *mm, uint32_t handle, uint32_t reason)
{
    struct vidmm_device *device;
    NTSTATUS status = STATUS_SUCCESS;
    int expected = VIDMM_EXECUTION_ACTIVE;

    if (reason != 0x80000000u && reason != 0x80000006u) return STATUS_INVALID_PARAMETER;
    if (!(device = vidmm_get(mm, handle, VIDMM_OBJECT_DEVICE))) return STATUS_INVALID_PARAMETER;
    if (device->adapter->gpu->removed) status = STATUS_DEVICE_REMOVED;
    /* A driver error reads as a DMA fault; the generic reason as a stopped device. */
    else if (atomic_compare_exchange_strong(&device->exec_state, &expected,
                                        reason == 0x80000006u ? VIDMM_EXECUTION_ERROR_DMAFAULT : VIDMM_EXECUTION_STOPPED))
        fastlock_disable(mm);   /* its Locks must fail from now on */
    vidmm_put(mm, device);
    return status;
}
