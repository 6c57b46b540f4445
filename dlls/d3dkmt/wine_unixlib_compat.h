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
 * The Unix call interface of Wine 8.0 (wine/unixlib.h) that the headers of
 * Debian's libwine-dev lack, declared for what winecrt0 (libwinecrt0.a)
 * and ntdll really provide.  In Wine's own tree Wine's header is used.
 * Include after the Windows headers.
 */
#ifndef D3DKMT_WINE_UNIXLIB_COMPAT_H
#define D3DKMT_WINE_UNIXLIB_COMPAT_H

#if defined(__has_include) && __has_include("wine/unixlib.h")
#include "wine/unixlib.h"
#else

typedef UINT64 unixlib_handle_t;

#ifdef WINE_UNIX_LIB
/* The Unix side exports its table of these as __wine_unix_call_funcs. */
typedef NTSTATUS (*unixlib_entry_t)(void *args);
#else
/* winecrt0: __wine_init_unix_call finds the module's Unix library and
 * ntdll's dispatcher; until it succeeds, calls fail with STATUS_DLL_NOT_FOUND. */
extern unixlib_handle_t __wine_unixlib_handle;
extern NTSTATUS (WINAPI *__wine_unix_call_dispatcher)(unixlib_handle_t handle, unsigned int code, void *args);
NTSTATUS WINAPI __wine_init_unix_call(void);
#define WINE_UNIX_CALL(code, args) __wine_unix_call_dispatcher(__wine_unixlib_handle, (code), (args))
#endif

#endif
#endif
