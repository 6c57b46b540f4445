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

#include "d3dkmthk.h"
#include "d3dkmt_driver.h"
#include "unixlib.h"

/* Wine's own headers expect this; mingw-w64's do not define it. */
#ifndef DECLSPEC_HIDDEN
#define DECLSPEC_HIDDEN
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* The one way into the Unix side. */
NTSTATUS d3dkmt_unix_call(enum d3dkmt_unix_call code, void *args);

/* What every export returns when the Unix side is missing: the calls are
 * not available in this process (not a lost device that a program would
 * try to recover by re-creating it). */
#define D3DKMT_STATUS_UNAVAILABLE STATUS_NOT_SUPPORTED
BOOL d3dkmt_unavailable(void);
#define RETURN_IF_UNAVAILABLE() do { if (d3dkmt_unavailable()) return D3DKMT_STATUS_UNAVAILABLE; } while (0)

/* Copies from or to caller memory; FALSE when the caller's range faults. */
BOOL d3dkmt_copy_from_user(void *dst, const void *src, SIZE_T size);
BOOL d3dkmt_copy_to_user(void *dst, const void *src, SIZE_T size);
/* Rewrites the caller's bytes with themselves: FALSE unless writable. */
BOOL d3dkmt_probe_for_write(void *dst, SIZE_T size);

void *d3dkmt_alloc(SIZE_T size);
void d3dkmt_free(void *ptr);

/* Copies a caller array of `count` elements into *out (NULL when count is 0):
 * STATUS_INVALID_PARAMETER for a NULL array or more than `max` elements,
 * STATUS_ACCESS_VIOLATION when unreadable, STATUS_NO_MEMORY.  Free with d3dkmt_free. */
NTSTATUS d3dkmt_copy_array(const void *src, UINT count, SIZE_T elem_size, UINT max, void **out);

static inline UINT64 ptr_to_u64(const void *ptr) { return (UINT64)(ULONG_PTR)ptr; }
static inline void *u64_to_ptr(UINT64 v) { return (void *)(ULONG_PTR)v; }
static inline UINT64 luid_to_u64(LUID luid) { return (UINT64)luid.LowPart | ((UINT64)(UINT)luid.HighPart << 32); }

/* Wine's own D3DKMT entry points in win32u: adapters and devices we open
 * keep Wine's handles too, so calls we do not implement can pass through. */
NTSTATUS WINAPI NtGdiDdDDIOpenAdapterFromLuid(D3DKMT_OPENADAPTERFROMLUID *desc);
NTSTATUS WINAPI NtGdiDdDDICloseAdapter(const D3DKMT_CLOSEADAPTER *desc);
NTSTATUS WINAPI NtGdiDdDDICreateDevice(D3DKMT_CREATEDEVICE *desc);
NTSTATUS WINAPI NtGdiDdDDIDestroyDevice(const D3DKMT_DESTROYDEVICE *desc);
NTSTATUS WINAPI NtGdiDdDDIQueryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO *desc);

#endif
