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
 * Shared by the PE-side files of d3dkmt.dll.
 */
#ifndef D3DKMT_PRIVATE_H
#define D3DKMT_PRIVATE_H

#include <stdarg.h>
/* Status codes as NTSTATUS from ntstatus.h, not winnt.h's DWORDs. */
#define WIN32_NO_STATUS
#include <windows.h>
#include <winternl.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>

#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"
#include "unixlib.h"
#include "private/vidmm_fastlock.h"
#include "wine_unixlib_compat.h"

/* The one way into the Unix side. */
NTSTATUS d3dkmt_unix_call(enum d3dkmt_unix_call code, void *args);
/* Starts the thread that does wineserver calls for the pager (sync.c). */
void d3dkmt_need_pump(void);

/* What every export returns when the Unix side is missing: the calls are
 * not available in this process (not a lost device that a program would
 * try to recover by re-creating it). */
#define D3DKMT_STATUS_UNAVAILABLE STATUS_NOT_SUPPORTED
BOOL d3dkmt_unavailable(void);
/* The Lock fast path's table (vidmm_fastlock.h), NULL without one: the Unix
 * side gives it at process attach. */
extern struct vidmm_fastlock_table *d3dkmt_fastlock;
#define RETURN_IF_UNAVAILABLE() do { if (d3dkmt_unavailable()) return D3DKMT_STATUS_UNAVAILABLE; } while (0)

/* Access to caller memory, all under one rule: nothing is done with zero
 * bytes; a NULL pointer with bytes to go, or a fault on any of them (an
 * access violation, a guard page, an in-page error, misalignment), is a
 * failure, never an exception.  The BOOL ones return FALSE on failure; the
 * NTSTATUS ones return what the export returns (STATUS_ACCESS_VIOLATION for
 * a fault). */

/* Copies between caller memory and ours, either way. */
BOOL d3dkmt_copy_user(void *dst, const void *src, SIZE_T size);
static inline BOOL d3dkmt_copy_from_user(void *dst, const void *src, SIZE_T size) { return d3dkmt_copy_user(dst, src, size); }
static inline BOOL d3dkmt_copy_to_user(void *dst, const void *src, SIZE_T size) { return d3dkmt_copy_user(dst, src, size); }
/* Rewrites the caller's bytes with themselves: FALSE unless writable. */
BOOL d3dkmt_probe_for_write(void *dst, SIZE_T size);
/* The same without an exception frame: for a body under d3dkmt_guarded. */
void d3dkmt_touch_for_write(void *dst, SIZE_T size);

/* Runs body(ctx) under one exception handler: a fault on caller memory
 * anywhere in it (copy in, the checks, writing results back) makes it return
 * STATUS_ACCESS_VIOLATION.  The hot calls (Lock, Unlock) use it to pay for
 * one exception frame per call instead of one per copy; body keeps in ctx
 * whatever the caller must know or free after a fault. */
NTSTATUS d3dkmt_guarded(NTSTATUS (*body)(void *ctx), void *ctx);

/* The caller's argument struct: STATUS_INVALID_PARAMETER for NULL. */
NTSTATUS d3dkmt_copy_in(void *copy, const void *desc, SIZE_T size);
/* The first lines of most exports: copies *desc into the local struct
 * `copy` of the same type, or returns from the export with the status. */
#define COPY_IN(copy, desc) \
    do { \
        NTSTATUS copy_in_status_ = d3dkmt_copy_in(&(copy), (desc), sizeof(copy)); \
        _Static_assert(sizeof(copy) == sizeof(*(desc)), "the copy has the caller's type"); \
        if (copy_in_status_) return copy_in_status_; \
    } while (0)

void *d3dkmt_alloc(SIZE_T size);
void d3dkmt_free(void *ptr);

/* Copies a caller array of `count` elements into *out (NULL when count is 0):
 * STATUS_INVALID_PARAMETER for a NULL array or more than `max` elements,
 * STATUS_ACCESS_VIOLATION when unreadable, STATUS_NO_MEMORY.  Free with d3dkmt_free. */
NTSTATUS d3dkmt_copy_array(const void *src, UINT count, SIZE_T elem_size, UINT max, void **out);
/* The same, into `buffer` when the copy fits there (then *out == buffer: not
 * to be freed); a heap block otherwise. */
NTSTATUS d3dkmt_copy_array_into(const void *src, UINT count, SIZE_T elem_size, UINT max, void *buffer,
                                SIZE_T buffer_size, void **out);

/* Wine's handle kept by our adapter or device `handle`; the core's status
 * (STATUS_INVALID_PARAMETER) when it is not one of ours. */
NTSTATUS d3dkmt_host_adapter(D3DKMT_HANDLE handle, D3DKMT_HANDLE *host);
NTSTATUS d3dkmt_host_device(D3DKMT_HANDLE handle, D3DKMT_HANDLE *host);

/* The statistics escape of D3DKMTEscape (statistics.c); copy is our copy of
 * the caller's struct. */
NTSTATUS d3dkmt_statistics_escape(const D3DKMT_ESCAPE *copy);

/* The Wine id of the process `process` names, 0 for this one; the status
 * QueryVideoMemoryInfo returns for a handle that is not a process with
 * PROCESS_QUERY_INFORMATION (adapter.c). */
NTSTATUS d3dkmt_process_id(HANDLE process, UINT *pid);

static inline UINT64 ptr_to_u64(const void *ptr) { return (UINT64)(ULONG_PTR)ptr; }
static inline void *u64_to_ptr(UINT64 v) { return (void *)(ULONG_PTR)v; }
static inline UINT64 luid_to_u64(LUID luid) { return (UINT64)luid.LowPart | ((UINT64)(UINT)luid.HighPart << 32); }

/* The {sync object} form of D3DKMTShareObjects (share.c dispatches to it):
 * attr is our copy (may be NULL); STATUS_INVALID_PARAMETER for a handle that
 * is not an NT-shareable sync object. */
NTSTATUS d3dkmt_share_sync_object(D3DKMT_HANDLE sync, const OBJECT_ATTRIBUTES *attr, DWORD access, HANDLE *out);

/* Wine's own D3DKMT entry points in win32u: adapters and devices we open
 * keep Wine's handles too, so calls we do not implement can pass through. */
NTSTATUS WINAPI NtGdiDdDDIOpenAdapterFromLuid(D3DKMT_OPENADAPTERFROMLUID *desc);
NTSTATUS WINAPI NtGdiDdDDICloseAdapter(const D3DKMT_CLOSEADAPTER *desc);
NTSTATUS WINAPI NtGdiDdDDICreateDevice(D3DKMT_CREATEDEVICE *desc);
NTSTATUS WINAPI NtGdiDdDDIDestroyDevice(const D3DKMT_DESTROYDEVICE *desc);
NTSTATUS WINAPI NtGdiDdDDIQueryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO *desc);

#endif
