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
 * A Windows program that finds the D3DKMT functions the way many drivers and
 * runtimes do: GetProcAddress(GetModuleHandleA("gdi32.dll"), "D3DKMTLock").
 * It never names d3dkmt.dll; through a gdi32 that forwards them, the
 * addresses it gets must be in d3dkmt.dll and the calls must work.  Like any
 * program that draws, it imports an ordinary GDI function, so gdi32.dll is
 * loaded with it.
 */
#include "gdi32_d3dkmt.h"

START_TEST(gdi32_getproc)
{
    HMODULE gdi32 = GetModuleHandleA("gdi32.dll");
    struct gdi32_d3dkmt f;

    ok(GetStockObject(WHITE_BRUSH) != NULL, "GetStockObject failed\n");
    ok(gdi32 != NULL, "gdi32.dll is not loaded\n");
    if (!gdi32) return;
#define GET(field, name) \
    f.field = (void *)GetProcAddress(gdi32, name); \
    check_module(name, f.field); \
    if (!f.field) return;
    GET(open_adapter, "D3DKMTOpenAdapterFromGdiDisplayName");
    GET(create_device, "D3DKMTCreateDevice");
    GET(create_allocation2, "D3DKMTCreateAllocation2");
    GET(lock, "D3DKMTLock");
    GET(unlock, "D3DKMTUnlock");
    GET(destroy_allocation, "D3DKMTDestroyAllocation");
    GET(destroy_device, "D3DKMTDestroyDevice");
    GET(close_adapter, "D3DKMTCloseAdapter");
#undef GET
    run_gdi32_d3dkmt(&f);
}
