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
 * The private-data formats of the Wine D3DKMT display "driver".
 *
 * On Windows the kernel-mode display driver decides an allocation's size and
 * placement by parsing the user-mode driver's opaque per-allocation private
 * data.  Under Wine this module is that driver, so it defines the format here.
 * Plain C with fixed-width fields: the same layout on x86_64 and i686, and
 * usable from Windows programs as well as from the Unix side.
 */
#ifndef D3DKMT_DRIVER_H
#define D3DKMT_DRIVER_H

#ifdef _WIN32
#include <windows.h>
typedef UINT32 D3DKMT_WINE_U32;
typedef UINT64 D3DKMT_WINE_U64;
#else
#include <stdint.h>
typedef uint32_t D3DKMT_WINE_U32;
typedef uint64_t D3DKMT_WINE_U64;
#endif

/* ---- Per-allocation private driver data ("WKMA" descriptor) ----
 *
 *  offset 0  Magic         D3DKMT_WINE_ALLOC_MAGIC
 *  offset 4  Version       D3DKMT_WINE_ALLOC_VERSION
 *  offset 8  Size          bytes; rounded up to a multiple of 4096
 *  offset 16 Alignment     0 or a power of two >= 4096
 *  offset 20 SegmentGroup  0 = local (video memory), 1 = non-local (system memory aperture)
 *  offset 24 Flags         D3DKMT_WINE_ALLOC_FLAG_*; other bits must be 0
 *  offset 28 Priority      0 = normal, else a D3DDDI_ALLOCATIONPRIORITY value
 *
 * PrivateDriverDataSize must be at least sizeof(D3DKMT_WINE_ALLOCATION_DESC)
 * (32) and at most D3DKMT_WINE_MAX_PRIVATE_DATA; bytes after the descriptor
 * are kept for the caller (returned by OpenResource) and otherwise ignored.
 * Anything else is STATUS_INVALID_PARAMETER.
 */
#define D3DKMT_WINE_ALLOC_MAGIC    0x414d4b57u  /* "WKMA" in memory order */
#define D3DKMT_WINE_ALLOC_VERSION  1u

#define D3DKMT_WINE_SEGMENT_GROUP_LOCAL     0u
#define D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL 1u

#define D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE  0x1u  /* may be locked while in video memory */
#define D3DKMT_WINE_ALLOC_FLAG_PINNED       0x2u  /* never moves once placed */
#define D3DKMT_WINE_ALLOC_FLAG_SWIZZLED     0x4u  /* locking in video memory needs an aperture */
#define D3DKMT_WINE_ALLOC_FLAGS_VALID       0x7u

typedef struct _D3DKMT_WINE_ALLOCATION_DESC
{
    D3DKMT_WINE_U32 Magic;
    D3DKMT_WINE_U32 Version;
    D3DKMT_WINE_U64 Size;
    D3DKMT_WINE_U32 Alignment;
    D3DKMT_WINE_U32 SegmentGroup;
    D3DKMT_WINE_U32 Flags;
    D3DKMT_WINE_U32 Priority;
} D3DKMT_WINE_ALLOCATION_DESC;

/* Largest private driver data (per allocation, per resource, runtime data)
 * the module accepts; larger sizes are STATUS_INVALID_PARAMETER. */
#define D3DKMT_WINE_MAX_PRIVATE_DATA   (64u * 1024u)

/* Most allocations one CreateAllocation call may create. */
#define D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL 1024u

/* Longest handle list of one call (MakeResident, Evict, Offer, Reclaim,
 * priorities, residency queries); longer lists are STATUS_INVALID_PARAMETER. */
#define D3DKMT_WINE_MAX_HANDLES_PER_CALL 10240u

/* Most nested locks (Lock and Lock2 together) of one allocation; one more is
 * STATUS_GRAPHICS_TOO_MANY_REFERENCES. */
#define D3DKMT_WINE_MAX_LOCK_REFERENCES 0xffffu

/* Local segment size when neither a setting nor the host tells it:
 * WINE_D3DKMT_VIDMEM_MB in the environment, or the DWORD value
 * HKCU\Software\Wine\D3DKMT\VideoMemorySizeMB, overrides it. */
#define D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB 1024u

/* In a 32-bit process (2 GiB of address space under Wine, up to 4 GiB when
 * large-address-aware) the module takes at most D3DKMT_WINE_MAX_RESERVED_MB_32
 * of it for the local segment, backing stores and non-local allocations
 * together: the local segment defaults to 256 MiB (a host GPU's larger budget
 * is cut to it; a setting above still overrides it) and the non-local one is
 * at most 768 MiB.  Past the limit CreateAllocation fails with
 * STATUS_GRAPHICS_NO_VIDEO_MEMORY (local) or STATUS_NO_MEMORY (non-local),
 * and the program keeps the rest of its address space. */
#define D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB_32 256u
#define D3DKMT_WINE_MAX_NONLOCAL_SEGMENT_MB_32 768u
#define D3DKMT_WINE_MAX_RESERVED_MB_32 1024u

/* ---- D3DKMTEscape, Type D3DKMT_ESCAPE_DRIVERPRIVATE: test control ----
 *
 * pPrivateDriverData points to a D3DKMT_WINE_ESCAPE and PrivateDriverDataSize
 * is its size.  hAdapter names the adapter; hDevice may be 0.  The outputs
 * (statistics) are written back on every successful escape.  A bad magic,
 * version, command or size is STATUS_INVALID_PARAMETER.  The escape is for
 * tests and benchmarks: it answers only in a process started with
 * WINE_D3DKMT_TEST_CONTROL=1 in its environment, and is otherwise
 * STATUS_INVALID_PARAMETER like any unknown private escape.
 */
#define D3DKMT_WINE_ESCAPE_MAGIC   0x454d4b57u  /* "WKME" in memory order */
#define D3DKMT_WINE_ESCAPE_VERSION 1u

enum
{
    D3DKMT_WINE_ESCAPE_QUERY_STATS      = 1, /* only fill in the statistics */
    D3DKMT_WINE_ESCAPE_PAUSE_PAGER      = 2, /* paging work queues up but does not run */
    D3DKMT_WINE_ESCAPE_RESUME_PAGER     = 3,
    D3DKMT_WINE_ESCAPE_WAIT_IDLE        = 4, /* returns once the pager queue is empty (resume first) */
    D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET = 5, /* Value: bytes (0 = the whole segment); trims at once */
    D3DKMT_WINE_ESCAPE_SET_APERTURES    = 6, /* Value: deswizzling apertures (0..64) */
    D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER   = 7, /* the adapter stops, as on a PnP stop: every call on it
                                              * is STATUS_DEVICE_REMOVED; close and destroy still work */
};

typedef struct _D3DKMT_WINE_ESCAPE
{
    D3DKMT_WINE_U32 Magic;
    D3DKMT_WINE_U32 Version;
    D3DKMT_WINE_U32 Command;
    D3DKMT_WINE_U32 Reserved;           /* 0 */
    D3DKMT_WINE_U64 Value;              /* in: the command's argument */
    /* out: the state after the command, for the adapter's GPU and the process */
    D3DKMT_WINE_U64 LocalUsage;         /* bytes resident in the local segment */
    D3DKMT_WINE_U64 NonLocalUsage;      /* bytes in the non-local segment group */
    D3DKMT_WINE_U64 LocalBudget;
    D3DKMT_WINE_U64 BackingBytes;       /* system memory holding evicted allocations */
    D3DKMT_WINE_U64 FenceSubmitted;     /* paging fence values */
    D3DKMT_WINE_U64 FenceCompleted;
    D3DKMT_WINE_U32 Adapters, Devices, Resources, Allocations; /* live objects in the process */
    D3DKMT_WINE_U32 PagingQueued;       /* paging operations not finished */
    D3DKMT_WINE_U32 AperturesUsed;
} D3DKMT_WINE_ESCAPE;

/* ---- D3DKMTEscape, Type D3DKMT_ESCAPE_DRIVERPRIVATE: statistics ----
 *
 * pPrivateDriverData points to a D3DKMT_WINE_STATISTICS and
 * PrivateDriverDataSize is its size; hAdapter names one of our adapters.
 * The manager's figures for that adapter's GPU, beyond what
 * D3DKMTQueryStatistics can carry (restores, the paging fence, locked
 * allocations): for the monitor (tools/monitor) and scripts.  Read-only,
 * so it answers in every process.  A bad magic, scope or reserved field is
 * STATUS_INVALID_PARAMETER.  Another process' figures are what it
 * publishes in the system view; its Locked count is up to one watcher tick
 * (100 ms) old. */
#define D3DKMT_WINE_STATISTICS_MAGIC 0x53544b57u  /* "WKTS" in memory order */

enum
{
    D3DKMT_WINE_STATISTICS_SELF    = 0,  /* this process */
    D3DKMT_WINE_STATISTICS_PROCESS = 1,  /* the process with Wine id ProcessId */
    D3DKMT_WINE_STATISTICS_SYSTEM  = 2,  /* every process of the prefix on the adapter */
};

/* [0] the local segment (group), [1] the non-local one. */
typedef struct _D3DKMT_WINE_STATISTICS
{
    D3DKMT_WINE_U32 Magic;
    D3DKMT_WINE_U32 Scope;              /* in: D3DKMT_WINE_STATISTICS_* */
    D3DKMT_WINE_U32 ProcessId;          /* in: for D3DKMT_WINE_STATISTICS_PROCESS */
    D3DKMT_WINE_U32 Processes;          /* out: processes counted; 0: that process uses no such adapter */
    D3DKMT_WINE_U64 SegmentSize[2];
    D3DKMT_WINE_U64 Committed[2];       /* bytes of live allocations */
    D3DKMT_WINE_U64 Resident[2];        /* bytes resident (QueryVideoMemoryInfo's CurrentUsage) */
    D3DKMT_WINE_U64 Budget[2];          /* the scope's budget; the segment for SYSTEM */
    D3DKMT_WINE_U32 Allocations[2];     /* live allocations */
    D3DKMT_WINE_U32 ResidentAllocations[2];
    D3DKMT_WINE_U64 Evictions, EvictedBytes;  /* moved out of the local segment, since start */
    D3DKMT_WINE_U64 Restores, RestoredBytes;  /* moved back in */
    D3DKMT_WINE_U64 FenceSubmitted, FenceCompleted; /* paging fence */
    D3DKMT_WINE_U32 Locked;             /* allocations locked now */
    D3DKMT_WINE_U32 Reserved;           /* 0 */
} D3DKMT_WINE_STATISTICS;

/* Deswizzling apertures per adapter unless the escape changes it. */
#define D3DKMT_WINE_DEFAULT_APERTURES 2u

#endif /* D3DKMT_DRIVER_H */
