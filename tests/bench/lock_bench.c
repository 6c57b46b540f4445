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
 * Benchmark: the cost of this module's hot calls, as ratios against a
 * baseline measured in the same run: Wine's own D3DKMTQueryVideoMemoryInfo
 * through gdi32 (one trip into win32u's Unix side).  Prints numbers only;
 * nothing here passes or fails on time.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

static double now(void)
{
    LARGE_INTEGER t, f;
    QueryPerformanceCounter(&t);
    QueryPerformanceFrequency(&f);
    return (double)t.QuadPart / (double)f.QuadPart;
}

#define MEASURE(result, iterations, body) do { \
        double start_ = now(); unsigned int n_; \
        for (n_ = 0; n_ < (iterations); n_++) { body; } \
        result = (now() - start_) * 1e9 / (iterations); } while (0)

int main(void)
{
    HMODULE ours = LoadLibraryA("d3dkmt.dll"), gdi32 = LoadLibraryA("gdi32.dll");
    PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open_ours = (void *)GetProcAddress(ours, "D3DKMTOpenAdapterFromGdiDisplayName");
    PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open_wine = (void *)GetProcAddress(gdi32, "D3DKMTOpenAdapterFromGdiDisplayName");
    PFND3DKMT_QUERYVIDEOMEMORYINFO query_wine = (void *)GetProcAddress(gdi32, "D3DKMTQueryVideoMemoryInfo");
    PFND3DKMT_QUERYVIDEOMEMORYINFO query_ours = (void *)GetProcAddress(ours, "D3DKMTQueryVideoMemoryInfo");
    PFND3DKMT_CREATEDEVICE create_device = (void *)GetProcAddress(ours, "D3DKMTCreateDevice");
    PFND3DKMT_CREATEALLOCATION2 create = (void *)GetProcAddress(ours, "D3DKMTCreateAllocation2");
    PFND3DKMT_DESTROYALLOCATION destroy = (void *)GetProcAddress(ours, "D3DKMTDestroyAllocation");
    PFND3DKMT_LOCK lock = (void *)GetProcAddress(ours, "D3DKMTLock");
    PFND3DKMT_UNLOCK unlock = (void *)GetProcAddress(ours, "D3DKMTUnlock");
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME a_ours, a_wine;
    D3DKMT_QUERYVIDEOMEMORYINFO q_ours, q_wine;
    D3DKMT_WINE_ALLOCATION_DESC desc;
    D3DKMT_CREATEALLOCATION c;
    D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_DESTROYALLOCATION d;
    D3DKMT_CREATEDEVICE dev;
    D3DKMT_LOCK l;
    D3DKMT_UNLOCK u;
    double base, t;

    if (!open_ours || !open_wine || !query_wine || !lock)
    {
        printf("d3dkmt.dll or gdi32's D3DKMT functions missing\n");
        return 1;
    }
    memset(&a_ours, 0, sizeof(a_ours));
    memset(&a_wine, 0, sizeof(a_wine));
    lstrcpyW(a_ours.DeviceName, L"\\\\.\\DISPLAY1");
    lstrcpyW(a_wine.DeviceName, L"\\\\.\\DISPLAY1");
    if (open_ours(&a_ours) || open_wine(&a_wine)) return 1;
    memset(&dev, 0, sizeof(dev));
    dev.hAdapter = a_ours.hAdapter;
    if (create_device(&dev)) return 1;

    memset(&q_wine, 0, sizeof(q_wine));
    q_wine.hAdapter = a_wine.hAdapter;
    MEASURE(base, 200000, query_wine(&q_wine));
    printf("baseline: Wine's gdi32 D3DKMTQueryVideoMemoryInfo  %8.0f ns/call  (1.00x)\n", base);

    memset(&q_ours, 0, sizeof(q_ours));
    q_ours.hAdapter = a_ours.hAdapter;
    MEASURE(t, 200000, query_ours(&q_ours));
    printf("d3dkmt  D3DKMTQueryVideoMemoryInfo              %8.0f ns/call  (%.2fx)\n", t, t / base);

    memset(&desc, 0, sizeof(desc));
    desc.Magic = D3DKMT_WINE_ALLOC_MAGIC;
    desc.Version = D3DKMT_WINE_ALLOC_VERSION;
    desc.Size = 65536;
    desc.Flags = D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE;
    memset(&c, 0, sizeof(c));
    memset(&info, 0, sizeof(info));
    c.hDevice = dev.hDevice;
    c.NumAllocations = 1;
    c.pAllocationInfo2 = &info;
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    memset(&d, 0, sizeof(d));
    d.hDevice = dev.hDevice;
    d.phAllocationList = &info.hAllocation;
    d.AllocationCount = 1;
    MEASURE(t, 50000, { create(&c); destroy(&d); });
    printf("d3dkmt  CreateAllocation2 + DestroyAllocation    %8.0f ns/pair  (%.2fx)\n", t, t / base);

    create(&c);
    memset(&l, 0, sizeof(l));
    l.hDevice = dev.hDevice;
    l.hAllocation = info.hAllocation;
    memset(&u, 0, sizeof(u));
    u.hDevice = dev.hDevice;
    u.NumAllocations = 1;
    u.phAllocations = &info.hAllocation;
    MEASURE(t, 200000, { lock(&l); unlock(&u); });
    printf("d3dkmt  Lock + Unlock                            %8.0f ns/pair  (%.2fx)\n", t, t / base);
    lock(&l);
    MEASURE(t, 200000, { lock(&l); unlock(&u); });
    printf("d3dkmt  nested Lock + Unlock                     %8.0f ns/pair  (%.2fx)\n", t, t / base);
    unlock(&u);
    destroy(&d);
    return 0;
}
