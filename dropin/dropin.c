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
 * The drop-in gdi32.dll for an unmodified Wine 8.0: no code of its own.
 *
 * Its export table (gdi32.def, generated from the installed Wine's gdi32.dll)
 * forwards every gdi32 function to gdi32_wine.dll, a renamed copy of Wine's
 * gdi32.dll in the prefix, and the D3DKMT functions of d3dkmt.dll to that
 * module.
 *
 * It imports one function of gdi32_wine.dll as well.  Without a real import,
 * gdi32_wine.dll would be loaded the first time one of the forwards is
 * resolved, and when that happens while user32.dll is itself being loaded
 * by LoadLibrary (user32 imports gdi32, gdi32_wine imports user32), Wine's
 * loader initializes user32 before its imports are resolved, and that fails.
 * As an import, gdi32_wine.dll is loaded with this module, like any other
 * dependency, and the forwards find it loaded.
 */
#include <windows.h>

#ifndef DROPIN_IMPORT_SYM
#error "build with -DDROPIN_IMPORT_SYM=__imp_<a function of gdi32_wine.dll>"
#endif

extern void *DROPIN_IMPORT_SYM;
void *const gdi32_dropin_dependency = &DROPIN_IMPORT_SYM;

BOOL WINAPI gdi32_dropin_entry(HINSTANCE instance, DWORD reason, void *reserved)
{
    return TRUE;
}
