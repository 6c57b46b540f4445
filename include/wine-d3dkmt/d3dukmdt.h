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
 * d3dukmdt.h - D3DDDI_* types shared by the D3DKMT thunks and user-mode
 * display drivers.
 *
 * Written for the d3dkmt project (Wine D3DKMT video-memory thunks).
 * Type, field and constant names follow the Windows DDK so that existing
 * source code builds unchanged; the layouts are the native _WIN32 ones
 * (plain pointers, natural alignment), i.e. what a PE module sees.
 */

#ifndef _D3DUKMDT_H_
#define _D3DUKMDT_H_

#include <windows.h>

/* ------------------------------------------------------------------------ */
/* Basic scalar types                                                        */
/* ------------------------------------------------------------------------ */

/* Kernel object handle (adapter, device, resource, allocation, ...). */
typedef UINT D3DKMT_HANDLE;

/* Address in a GPU virtual address space, and a size in that space. */
typedef ULONGLONG D3DGPU_VIRTUAL_ADDRESS;
typedef ULONGLONG D3DGPU_SIZE_T;

/* The "no GPU address" value. */
#define D3DGPU_NULL 0

/* Index of a VidPN source (a scan-out) and of a VidPN target (an output). */
typedef UINT D3DDDI_VIDEO_PRESENT_SOURCE_ID;
typedef UINT D3DDDI_VIDEO_PRESENT_TARGET_ID;

/* Special source/target id values. */
#define D3DDDI_ID_UNINITIALIZED (UINT)(~0)  /* not filled in yet */
#define D3DDDI_ID_NOTAPPLICABLE (UINT)(0)   /* no source/target applies */
#define D3DDDI_ID_ANY           (UINT)(~1)  /* may go with any source, or none */
#define D3DDDI_ID_ALL           (UINT)(~2)  /* stands for every source/target */

/* ------------------------------------------------------------------------ */
/* Allocation descriptors (D3DKMTCreateAllocation / D3DKMTOpenResource)      */
/* ------------------------------------------------------------------------ */

/* Per-allocation entry read by D3DKMTCreateAllocation. */
typedef struct _D3DDDI_ALLOCATIONINFO
{
    D3DKMT_HANDLE                   hAllocation;            /* out: new allocation handle */
    const void                     *pSystemMem;             /* in: caller-provided backing memory, NULL for video memory */
    void                           *pPrivateDriverData;     /* in: opaque per-allocation blob for the kernel driver */
    UINT                            PrivateDriverDataSize;  /* in: size of that blob in bytes */
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;          /* in: scan-out this primary belongs to */
    union
    {
        struct
        {
            UINT Primary  : 1;   /* 0x00000001 allocation is a (displayable) primary surface */
            UINT Stereo   : 1;   /* 0x00000002 stereo primary (needs Primary) */
            UINT Reserved : 30;  /* 0xFFFFFFFC must be zero */
        };
        UINT Value;              /* all flag bits at once */
    } Flags;
} D3DDDI_ALLOCATIONINFO;

/* Per-allocation entry read by D3DKMTCreateAllocation2. */
typedef struct _D3DDDI_ALLOCATIONINFO2
{
    D3DKMT_HANDLE                   hAllocation;            /* out: new allocation handle */
    union
    {
        HANDLE                      hSection;               /* in: section backing the allocation (ExistingSection) */
        const void                 *pSystemMem;             /* in: caller-provided backing memory, NULL for video memory */
    };
    void                           *pPrivateDriverData;     /* in: opaque per-allocation blob for the kernel driver */
    UINT                            PrivateDriverDataSize;  /* in: size of that blob in bytes */
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;          /* in: scan-out this primary belongs to */
    union
    {
        struct
        {
            UINT Primary          : 1;   /* 0x00000001 allocation is a primary surface */
            UINT Stereo           : 1;   /* 0x00000002 stereo primary (needs Primary) */
            UINT OverridePriority : 1;   /* 0x00000004 use the Priority field below */
            UINT Reserved         : 29;  /* 0xFFFFFFF8 must be zero */
        };
        UINT Value;                      /* all flag bits at once */
    } Flags;
    D3DGPU_VIRTUAL_ADDRESS          GpuVirtualAddress;      /* out: GPU VA of the new allocation, if any */
    union
    {
        UINT                        Priority;               /* in: initial eviction priority (OverridePriority) */
        ULONG_PTR                   Unused;                 /* keeps the slot pointer sized */
    };
    ULONG_PTR                       Reserved[5];            /* must be zero */
} D3DDDI_ALLOCATIONINFO2;

/* Per-allocation entry used by D3DKMTOpenResource. */
typedef struct _D3DDDI_OPENALLOCATIONINFO
{
    D3DKMT_HANDLE   hAllocation;            /* out: local handle of the opened allocation */
    const void     *pPrivateDriverData;     /* in: caller buffer pointer (informational) */
    UINT            PrivateDriverDataSize;  /* in/out: size of this allocation's driver data */
} D3DDDI_OPENALLOCATIONINFO;

/* Per-allocation entry used by D3DKMTOpenResource2 / ...FromNtHandle. */
typedef struct _D3DDDI_OPENALLOCATIONINFO2
{
    D3DKMT_HANDLE           hAllocation;            /* out: local handle of the opened allocation */
    const void             *pPrivateDriverData;     /* in: caller buffer pointer (informational) */
    UINT                    PrivateDriverDataSize;  /* in/out: size of this allocation's driver data */
    D3DGPU_VIRTUAL_ADDRESS  GpuVirtualAddress;      /* out: GPU VA of the opened allocation, if any */
    ULONG_PTR               Reserved[6];            /* must be zero */
} D3DDDI_OPENALLOCATIONINFO2;

/* Legacy DMA-buffer allocation list entry (returned by D3DKMTCreateDevice). */
typedef struct _D3DDDI_ALLOCATIONLIST
{
    D3DKMT_HANDLE hAllocation;                  /* allocation referenced by the command buffer */
    union
    {
        struct
        {
            UINT WriteOperation      : 1;       /* 0x00000001 the GPU writes to it */
            UINT DoNotRetireInstance : 1;       /* 0x00000002 keep the current instance */
            UINT OfferPriority       : 3;       /* 0x0000001C D3DDDI_OFFER_PRIORITY to offer with */
            UINT Reserved            : 27;      /* 0xFFFFFFE0 */
        };
        UINT Value;
    };
} D3DDDI_ALLOCATIONLIST;

/* Legacy DMA-buffer patch location entry (returned by D3DKMTCreateDevice). */
typedef struct _D3DDDI_PATCHLOCATIONLIST
{
    UINT AllocationIndex;                       /* index into the allocation list */
    union
    {
        struct
        {
            UINT SlotId   : 24;                 /* 0x00FFFFFF driver slot */
            UINT Reserved : 8;                  /* 0xFF000000 */
        };
        UINT Value;
    };
    UINT DriverId;                              /* driver-defined id */
    UINT AllocationOffset;                      /* byte offset inside the allocation */
    UINT PatchOffset;                           /* byte offset inside the command buffer */
    UINT SplitOffset;                           /* split point used when the buffer is split */
} D3DDDI_PATCHLOCATIONLIST;

/* ------------------------------------------------------------------------ */
/* Offer / reclaim                                                           */
/* ------------------------------------------------------------------------ */

/* How valuable the content of an offered allocation is. */
typedef enum _D3DDDI_OFFER_PRIORITY
{
    D3DDDI_OFFER_PRIORITY_NONE   = 0,   /* not offered (invalid for an offer call) */
    D3DDDI_OFFER_PRIORITY_LOW    = 1,   /* content is worthless, drop it first */
    D3DDDI_OFFER_PRIORITY_NORMAL = 2,   /* content is cheap to rebuild */
    D3DDDI_OFFER_PRIORITY_HIGH   = 3,   /* content is expensive to rebuild, drop it last */
    D3DDDI_OFFER_PRIORITY_AUTO   = 4,   /* derive from the eviction priority */
} D3DDDI_OFFER_PRIORITY;

/* Per-entry outcome of D3DKMTReclaimAllocations2 (pResults form). */
typedef enum _D3DDDI_RECLAIM_RESULT
{
    D3DDDI_RECLAIM_RESULT_OK            = 0,    /* content kept */
    D3DDDI_RECLAIM_RESULT_DISCARDED     = 1,    /* content lost, memory usable again */
    D3DDDI_RECLAIM_RESULT_NOT_COMMITTED = 2,    /* backing store was decommitted: recreate */
} D3DDDI_RECLAIM_RESULT;

/* ------------------------------------------------------------------------ */
/* Callback flag words reused by the thunks                                  */
/* ------------------------------------------------------------------------ */

/* D3DKMT_LOCK.Flags. */
typedef struct _D3DDDICB_LOCKFLAGS
{
    union
    {
        struct
        {
            UINT ReadOnly            : 1;   /* 0x00000001 CPU only reads */
            UINT WriteOnly           : 1;   /* 0x00000002 CPU only writes */
            UINT DonotWait           : 1;   /* 0x00000004 fail instead of waiting for the GPU */
            UINT IgnoreSync          : 1;   /* 0x00000008 skip GPU synchronisation entirely */
            UINT LockEntire          : 1;   /* 0x00000010 lock the whole allocation */
            UINT DonotEvict          : 1;   /* 0x00000020 never evict to satisfy the lock */
            UINT AcquireAperture     : 1;   /* 0x00000040 request an unswizzling aperture */
            UINT Discard             : 1;   /* 0x00000080 old content not needed (may rename) */
            UINT NoExistingReference : 1;   /* 0x00000100 no queued reference to any instance */
            UINT UseAlternateVA      : 1;   /* 0x00000200 map through an alternate CPU VA */
            UINT IgnoreReadSync      : 1;   /* 0x00000400 wait for pending GPU writes only */
            UINT Reserved            : 21;  /* 0xFFFFF800 must be zero */
        };
        UINT Value;
    };
} D3DDDICB_LOCKFLAGS;

/* D3DKMT_LOCK2.Flags: no flag is defined, Value must be zero. */
typedef struct _D3DDDICB_LOCK2FLAGS
{
    union
    {
        struct
        {
            UINT Reserved : 32;             /* 0xFFFFFFFF must be zero */
        };
        UINT Value;
    };
} D3DDDICB_LOCK2FLAGS;

/* D3DKMT_DESTROYALLOCATION2.Flags. */
typedef struct _D3DDDICB_DESTROYALLOCATION2FLAGS
{
    union
    {
        struct
        {
            UINT AssumeNotInUse     : 1;    /* 0x00000001 destroy now, ignore queued GPU work */
            UINT SynchronousDestroy : 1;    /* 0x00000002 return only once memory is released */
            UINT Reserved           : 29;   /* 0x7FFFFFFC must be zero */
            UINT SystemUseOnly      : 1;    /* 0x80000000 OS internal, callers leave it clear */
        };
        UINT Value;
    };
} D3DDDICB_DESTROYALLOCATION2FLAGS;

/* D3DKMT_ESCAPE.Flags. */
typedef struct _D3DDDI_ESCAPEFLAGS
{
    union
    {
        struct
        {
            UINT HardwareAccess           : 1;  /* 0x00000001 escape touches the hardware */
            UINT DeviceStatusQuery        : 1;  /* 0x00000002 */
            UINT ChangeFrameLatency       : 1;  /* 0x00000004 */
            UINT NoAdapterSynchronization : 1;  /* 0x00000008 */
            UINT Reserved                 : 1;  /* 0x00000010 OS internal */
            UINT VirtualMachineData       : 1;  /* 0x00000020 not settable from user mode */
            UINT DriverKnownEscape        : 1;  /* 0x00000040 data is an OS-defined driver escape */
            UINT DriverCommonEscape       : 1;  /* 0x00000080 data is a runtime-defined structure */
            UINT Reserved2                : 24; /* 0xFFFFFF00 */
        };
        UINT Value;
    };
} D3DDDI_ESCAPEFLAGS;

/* Sharing / behaviour flags of a synchronization object. */
typedef struct _D3DDDI_SYNCHRONIZATIONOBJECT_FLAGS
{
    union
    {
        struct
        {
            UINT Shared                : 1;     /* 0x00000001 gets a global share handle */
            UINT NtSecuritySharing     : 1;     /* 0x00000002 shared through an NT handle */
            UINT CrossAdapter          : 1;     /* 0x00000004 */
            UINT TopOfPipeline         : 1;     /* 0x00000008 signal when commands are consumed */
            UINT NoSignal              : 1;     /* 0x00000010 this device only waits on it */
            UINT NoWait                : 1;     /* 0x00000020 this device only signals it */
            UINT NoSignalMaxValueOnTdr : 1;     /* 0x00000040 */
            UINT NoGPUAccess           : 1;     /* 0x00000080 not mapped into GPU VA space */
            UINT SignalByKmd           : 1;     /* 0x00000100 kernel driver may signal it */
            UINT Reserved              : 22;    /* 0x7FFFFE00 */
            UINT Reserved0             : 1;     /* 0x80000000 OS internal */
        };
        UINT Value;
    };
} D3DDDI_SYNCHRONIZATIONOBJECT_FLAGS;

/* Kinds of synchronization object. */
typedef enum _D3DDDI_SYNCHRONIZATIONOBJECT_TYPE
{
    D3DDDI_SYNCHRONIZATION_MUTEX        = 1,
    D3DDDI_SEMAPHORE                    = 2,
    D3DDDI_FENCE                        = 3,
    D3DDDI_CPU_NOTIFICATION             = 4,
    D3DDDI_MONITORED_FENCE              = 5,
    D3DDDI_PERIODIC_MONITORED_FENCE     = 6,
    D3DDDI_SYNCHRONIZATION_TYPE_LIMIT,
} D3DDDI_SYNCHRONIZATIONOBJECT_TYPE;

/* What D3DKMTCreateSynchronizationObject takes (no fences: see ...INFO2). */
typedef struct _D3DDDI_SYNCHRONIZATIONOBJECTINFO
{
    D3DDDI_SYNCHRONIZATIONOBJECT_TYPE Type;         /* in */
    union
    {
        struct { BOOL InitialState; } SynchronizationMutex;
        struct { UINT MaxCount; UINT InitialCount; } Semaphore;
        struct { UINT Reserved[16]; } Reserved;
    };
} D3DDDI_SYNCHRONIZATIONOBJECTINFO;

/* What D3DKMTCreateSynchronizationObject2 takes. */
typedef struct _D3DDDI_SYNCHRONIZATIONOBJECTINFO2
{
    D3DDDI_SYNCHRONIZATIONOBJECT_TYPE  Type;        /* in */
    D3DDDI_SYNCHRONIZATIONOBJECT_FLAGS Flags;       /* in */
    union
    {
        struct { BOOL InitialState; } SynchronizationMutex;
        struct { UINT MaxCount; UINT InitialCount; } Semaphore;
        struct { UINT64 FenceValue; } Fence;                        /* in: initial value */
        struct { HANDLE Event; } CPUNotification;                   /* in: event it sets */
        struct
        {
            UINT64                 InitialFenceValue;               /* in */
            void                  *FenceValueCPUVirtualAddress;     /* out: read-only view of the value */
            D3DGPU_VIRTUAL_ADDRESS FenceValueGPUVirtualAddress;     /* out */
            UINT                   EngineAffinity;                  /* in */
        } MonitoredFence;
        struct
        {
            D3DKMT_HANDLE                  hAdapter;                /* in */
            D3DDDI_VIDEO_PRESENT_TARGET_ID VidPnTargetId;           /* in */
            UINT64                         Time;                    /* in */
            void                          *FenceValueCPUVirtualAddress; /* out */
            D3DGPU_VIRTUAL_ADDRESS         FenceValueGPUVirtualAddress; /* out */
            UINT                           EngineAffinity;          /* in */
        } PeriodicMonitoredFence;
        struct { UINT64 Reserved[8]; } Reserved;
    };
    D3DKMT_HANDLE SharedHandle;                     /* out: global handle when Shared without NtSecuritySharing */
} D3DDDI_SYNCHRONIZATIONOBJECTINFO2;

/* Flags of a signal (only AllowFenceRewind means anything from the CPU). */
typedef struct _D3DDDICB_SIGNALFLAGS
{
    union
    {
        struct
        {
            UINT SignalAtSubmission : 1;    /* 0x00000001 */
            UINT EnqueueCpuEvent    : 1;    /* 0x00000002 */
            UINT AllowFenceRewind   : 1;    /* 0x00000004 a value below the current one is allowed */
            UINT Reserved           : 28;   /* 0x7FFFFFF8 */
            UINT DXGK_SIGNAL_FLAG_INTERNAL0 : 1; /* 0x80000000 */
        };
        UINT Value;
    };
} D3DDDICB_SIGNALFLAGS;

/* Flags of D3DKMTWaitForSynchronizationObjectFromCpu. */
typedef struct _D3DDDI_WAITFORSYNCHRONIZATIONOBJECTFROMCPU_FLAGS
{
    union
    {
        struct
        {
            UINT WaitAny  : 1;              /* 0x00000001 one object reaching its value is enough */
            UINT Reserved : 31;
        };
        UINT Value;
    };
} D3DDDI_WAITFORSYNCHRONIZATIONOBJECTFROMCPU_FLAGS;

/* ------------------------------------------------------------------------ */
/* Residency (WDDM 2.0)                                                      */
/* ------------------------------------------------------------------------ */

/* Scheduling priority of a paging queue relative to its siblings. */
typedef enum D3DDDI_PAGINGQUEUE_PRIORITY
{
    D3DDDI_PAGINGQUEUE_PRIORITY_BELOW_NORMAL = -1,
    D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL       = 0,
    D3DDDI_PAGINGQUEUE_PRIORITY_ABOVE_NORMAL = 1,
} D3DDDI_PAGINGQUEUE_PRIORITY;

/* D3DDDI_MAKERESIDENT.Flags. */
typedef struct D3DDDI_MAKERESIDENT_FLAGS
{
    union
    {
        struct
        {
            UINT CantTrimFurther : 1;       /* 0x00000001 may exceed the current (not the max) budget */
            UINT MustSucceed     : 1;       /* 0x00000002 put the device in error on failure */
            UINT Reserved        : 30;      /* 0xFFFFFFFC */
        };
        UINT Value;
    };
} D3DDDI_MAKERESIDENT_FLAGS;

/* Argument of D3DKMTMakeResident. */
typedef struct D3DDDI_MAKERESIDENT
{
    D3DKMT_HANDLE               hPagingQueue;       /* in: queue the paging work goes on */
    UINT                        NumAllocations;     /* in: list length; out: entries made resident */
    const D3DKMT_HANDLE        *AllocationList;     /* in: allocations to make resident */
    const UINT                 *PriorityList;       /* in, optional: per-allocation priority (ignored) */
    D3DDDI_MAKERESIDENT_FLAGS   Flags;              /* in: see above */
    UINT64                      PagingFenceValue;   /* out: paging fence value to wait for (STATUS_PENDING) */
    UINT64                      NumBytesToTrim;     /* out: bytes over budget when the call fails */
} D3DDDI_MAKERESIDENT;

/* D3DKMT_EVICT.Flags. */
typedef struct D3DDDI_EVICT_FLAGS
{
    union
    {
        struct
        {
            UINT EvictOnlyIfNecessary : 1;  /* 0x00000001 defer the real eviction until memory is short */
            UINT NotWrittenTo         : 1;  /* 0x00000002 GPU did not write it: content may be dropped */
            UINT Reserved             : 30; /* 0xFFFFFFFC */
        };
        UINT Value;
    };
} D3DDDI_EVICT_FLAGS;

/* Argument of D3DKMTDestroyPagingQueue. */
typedef struct D3DDDI_DESTROYPAGINGQUEUE
{
    D3DKMT_HANDLE hPagingQueue;             /* in: queue to destroy */
} D3DDDI_DESTROYPAGINGQUEUE;

/* ------------------------------------------------------------------------ */
/* Allocation priorities (D3DKMTSetAllocationPriority and friends)           */
/* ------------------------------------------------------------------------ */

#define D3DDDI_ALLOCATIONPRIORITY_MINIMUM 0x28000000
#define D3DDDI_ALLOCATIONPRIORITY_LOW     0x50000000
#define D3DDDI_ALLOCATIONPRIORITY_NORMAL  0x78000000
#define D3DDDI_ALLOCATIONPRIORITY_HIGH    0xa0000000
#define D3DDDI_ALLOCATIONPRIORITY_MAXIMUM 0xc8000000

#endif /* _D3DUKMDT_H_ */
