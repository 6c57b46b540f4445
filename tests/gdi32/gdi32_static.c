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
 * An unmodified Windows program: it imports the D3DKMT functions from
 * gdi32.dll statically, through mingw-w64's own libgdi32.a (-lgdi32), and
 * never names d3dkmt.dll.  Through a gdi32 that forwards them (the patched
 * Wine gdi32, or the drop-in), the calls must land in d3dkmt.dll.
 */
#include "gdi32_d3dkmt.h"

/* The import address table slots the loader filled in for us; on i686 the
 * slot of a stdcall function with one pointer argument is __imp__Name@4. */
#ifdef _WIN64
#define IMPORT_SLOT(name) extern void *__imp_##name
#else
#define IMPORT_SLOT(name) extern void *__imp_##name __asm__("__imp__" #name "@4")
#endif
IMPORT_SLOT(D3DKMTOpenAdapterFromGdiDisplayName);
IMPORT_SLOT(D3DKMTCreateDevice);
IMPORT_SLOT(D3DKMTCreateAllocation2);
IMPORT_SLOT(D3DKMTLock);
IMPORT_SLOT(D3DKMTUnlock);
IMPORT_SLOT(D3DKMTDestroyAllocation);
IMPORT_SLOT(D3DKMTDestroyDevice);
IMPORT_SLOT(D3DKMTCloseAdapter);

START_TEST(gdi32_static)
{
    struct gdi32_d3dkmt f;

    /* Calls go through the program's import thunks (jmp *__imp_X) ... */
    f.open_adapter = D3DKMTOpenAdapterFromGdiDisplayName;
    f.create_device = D3DKMTCreateDevice;
    f.create_allocation2 = D3DKMTCreateAllocation2;
    f.lock = D3DKMTLock;
    f.unlock = D3DKMTUnlock;
    f.destroy_allocation = D3DKMTDestroyAllocation;
    f.destroy_device = D3DKMTDestroyDevice;
    f.close_adapter = D3DKMTCloseAdapter;

    /* ... whose targets must be in d3dkmt.dll. */
    check_module("import D3DKMTOpenAdapterFromGdiDisplayName", __imp_D3DKMTOpenAdapterFromGdiDisplayName);
    check_module("import D3DKMTCreateDevice", __imp_D3DKMTCreateDevice);
    check_module("import D3DKMTCreateAllocation2", __imp_D3DKMTCreateAllocation2);
    check_module("import D3DKMTLock", __imp_D3DKMTLock);
    check_module("import D3DKMTUnlock", __imp_D3DKMTUnlock);
    check_module("import D3DKMTDestroyAllocation", __imp_D3DKMTDestroyAllocation);
    check_module("import D3DKMTDestroyDevice", __imp_D3DKMTDestroyDevice);
    check_module("import D3DKMTCloseAdapter", __imp_D3DKMTCloseAdapter);
    run_gdi32_d3dkmt(&f);
}
