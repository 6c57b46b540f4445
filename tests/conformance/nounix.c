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
 * Conformance (Wine only): d3dkmt.dll without its Unix side.
 *
 * tests/run-tests.sh (--nounix) runs this program with WINEDLLPATH naming a
 * directory that does not exist, so Wine loads the prefix's system32 copy of
 * d3dkmt.dll and finds no d3dkmt.so, and with WINEDEBUG=err+d3dkmt; it
 * counts the module's ERR lines on stderr (exactly one).  Here: the module
 * must still load (programs importing it through gdi32, wined3d among them,
 * must load too), and every one of its exports must fail with
 * STATUS_NOT_SUPPORTED (the module's choice: the calls are not available,
 * which is not a lost device a program would try to recover from), for a
 * NULL argument and for a zeroed struct alike.  Before the fix DllMain
 * failed and LoadLibrary with it.
 */
#include "wine_test.h"
#include "d3dkmt_exports.h"

static const char *const exports[] =
{
#define X(name, type) #name,
    D3DKMT_EXPORTS(X)
#undef X
};

typedef NTSTATUS (WINAPI *export_func)(void *);
/* The one export that takes more than a pointer (stdcall: calling it with
 * the wrong argument count unbalances an i686 stack). */
typedef NTSTATUS (WINAPI *share_objects_func)(UINT, const UINT *, void *, DWORD, HANDLE *);

static NTSTATUS call_export(const char *name, export_func func, void *arg)
{
    if (!strcmp(name, "D3DKMTShareObjects"))
        return ((share_objects_func)(void *)func)(arg ? 1 : 0, arg, NULL, 0, arg);
    return func(arg);
}

static void run(void)
{
    static BYTE zeroed[0x1000];
    HMODULE module = LoadLibraryA("d3dkmt.dll");
    NTSTATUS status;
    UINT i;

    ok(module != NULL, "LoadLibrary(d3dkmt.dll) without d3dkmt.so: error %lu\n", GetLastError());
    if (!module) return;
    for (i = 0; i < ARRAY_SIZE(exports); i++)
    {
        char name[64];
        export_func func;

        snprintf(name, sizeof(name), "D3DKMT%s", exports[i]);
        func = (export_func)(void *)GetProcAddress(module, name);
        ok(func != NULL, "%s is missing\n", name);
        if (!func) continue;
        status = call_export(name, func, NULL);
        ok(status == STATUS_NOT_SUPPORTED, "%s(NULL): %#lx\n", name, status);
        memset(zeroed, 0, sizeof(zeroed));
        status = call_export(name, func, zeroed);
        ok(status == STATUS_NOT_SUPPORTED, "%s(zeroed): %#lx\n", name, status);
    }
    FreeLibrary(module);
}

START_TEST(nounix)
{
    run();
}
