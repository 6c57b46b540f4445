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
 * What the gdi32 programs check once they hold the D3DKMT functions, however
 * they got them (static imports from gdi32.dll, or GetProcAddress on it):
 *
 *   - (checked by the caller) each function lives in d3dkmt.dll, not in
 *     gdi32 or win32u;
 *   - \\.\DISPLAY1 opens with one of our handles, a device is created on it;
 *   - a 4 MiB CPU-visible video-memory allocation is created with
 *     CreateAllocation2, locked, written, unlocked, locked again, read back
 *     intact and destroyed; then the device and the adapter go away.
 *
 * Nothing here loads d3dkmt.dll: the program sees only gdi32.dll.
 */
#ifndef GDI32_D3DKMT_H
#define GDI32_D3DKMT_H

#include "wine_test.h"
#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

struct gdi32_d3dkmt
{
    PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open_adapter;
    PFND3DKMT_CREATEDEVICE create_device;
    PFND3DKMT_CREATEALLOCATION2 create_allocation2;
    PFND3DKMT_LOCK lock;
    PFND3DKMT_UNLOCK unlock;
    PFND3DKMT_DESTROYALLOCATION destroy_allocation;
    PFND3DKMT_DESTROYDEVICE destroy_device;
    PFND3DKMT_CLOSEADAPTER close_adapter;
};

/* Base name of the module that holds an address, or "?" */
static const char *module_of(const void *addr)
{
    static char name[MAX_PATH];
    HMODULE module;
    char *p;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            addr, &module) || !GetModuleFileNameA(module, name, sizeof(name)))
        return "?";
    if ((p = strrchr(name, '\\'))) return p + 1;
    return name;
}

static void check_module(const char *function, const void *addr)
{
    const char *module = module_of(addr);

    ok(addr != NULL, "%s: no address\n", function);
    ok(!_stricmp(module, "d3dkmt.dll"), "%s is in %s, not in d3dkmt.dll\n", function, module);
    trace("%s -> %s!%p\n", function, module, addr);
}

static BOOL is_our_handle(D3DKMT_HANDLE h)
{
    return (h & 0xc0000000) == 0xc0000000 && !(h & 0x3f);
}

static void run_gdi32_d3dkmt(const struct gdi32_d3dkmt *f)
{
    const SIZE_T size = 4 << 20;
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open;
    D3DKMT_CREATEDEVICE device;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    D3DKMT_LOCK lock;
    D3DKMT_UNLOCK unlock;
    D3DKMT_DESTROYALLOCATION destroy;
    D3DKMT_DESTROYDEVICE destroy_device;
    D3DKMT_CLOSEADAPTER close;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;
    unsigned char *p;
    SIZE_T i, bad;
    void *first;

    memset(&open, 0, sizeof(open));
    lstrcpyW(open.DeviceName, L"\\\\.\\DISPLAY1");
    status = f->open_adapter(&open);
    ok(status == STATUS_SUCCESS, "OpenAdapterFromGdiDisplayName: %#lx\n", status);
    if (status) return;
    ok(is_our_handle(open.hAdapter), "adapter handle %#x is not one of d3dkmt's\n", open.hAdapter);
    ok(open.VidPnSourceId == 0, "VidPnSourceId %u\n", open.VidPnSourceId);

    memset(&device, 0, sizeof(device));
    device.hAdapter = open.hAdapter;
    status = f->create_device(&device);
    ok(status == STATUS_SUCCESS, "CreateDevice: %#lx\n", status);
    ok(is_our_handle(device.hDevice), "device handle %#x is not one of d3dkmt's\n", device.hDevice);

    memset(&desc, 0, sizeof(desc));
    desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    desc.Size = size;
    desc.SegmentGroup = D3DKMT_WINE_SEGMENT_GROUP_LOCAL;
    desc.Flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
    memset(&info, 0, sizeof(info));
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    memset(&create, 0, sizeof(create));
    create.hDevice = device.hDevice;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    status = f->create_allocation2(&create);
    ok(status == STATUS_SUCCESS, "CreateAllocation2: %#lx\n", status);
    alloc = info.hAllocation;
    ok(is_our_handle(alloc), "allocation handle %#x is not one of d3dkmt's\n", alloc);

    memset(&lock, 0, sizeof(lock));
    lock.hDevice = device.hDevice;
    lock.hAllocation = alloc;
    lock.Flags.LockEntire = 1;
    status = f->lock(&lock);
    ok(status == STATUS_SUCCESS, "Lock: %#lx\n", status);
    ok(lock.pData != NULL, "Lock gave no pointer\n");
    if (!status && lock.pData)
    {
        p = first = lock.pData;
        for (i = 0; i < size; i++) p[i] = (unsigned char)(i * 13 + 5);
        memset(&unlock, 0, sizeof(unlock));
        unlock.hDevice = device.hDevice;
        unlock.NumAllocations = 1;
        unlock.phAllocations = &alloc;
        status = f->unlock(&unlock);
        ok(status == STATUS_SUCCESS, "Unlock: %#lx\n", status);

        lock.pData = NULL;
        status = f->lock(&lock);
        ok(status == STATUS_SUCCESS, "second Lock: %#lx\n", status);
        p = lock.pData;
        for (i = bad = 0; p && i < size; i++) bad += p[i] != (unsigned char)(i * 13 + 5);
        ok(p && !bad, "%lu of %lu bytes differ after the second lock (%p, first %p)\n",
           (unsigned long)bad, (unsigned long)size, (void *)p, first);
        status = f->unlock(&unlock);
        ok(status == STATUS_SUCCESS, "second Unlock: %#lx\n", status);
        /* One more is an unbalanced unlock. */
        status = f->unlock(&unlock);
        ok(status == STATUS_INVALID_PARAMETER, "third Unlock: %#lx\n", status);
    }

    memset(&destroy, 0, sizeof(destroy));
    destroy.hDevice = device.hDevice;
    destroy.phAllocationList = &alloc;
    destroy.AllocationCount = 1;
    status = f->destroy_allocation(&destroy);
    ok(status == STATUS_SUCCESS, "DestroyAllocation: %#lx\n", status);
    status = f->lock(&lock);
    ok(status == STATUS_INVALID_PARAMETER, "Lock after destroy: %#lx\n", status);

    destroy_device.hDevice = device.hDevice;
    status = f->destroy_device(&destroy_device);
    ok(status == STATUS_SUCCESS, "DestroyDevice: %#lx\n", status);
    close.hAdapter = open.hAdapter;
    status = f->close_adapter(&close);
    ok(status == STATUS_SUCCESS, "CloseAdapter: %#lx\n", status);
}

#endif
