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
 * d3dkmthk.h - D3DKMT* kernel thunk interface (video memory, devices,
 * adapters) as exported by the project's d3dkmt.dll.
 *
 * Written for the d3dkmt project (Wine D3DKMT video-memory thunks).
 * Type, field, enum and constant names follow the Windows DDK so that
 * existing source code builds unchanged.  Layouts are the native _WIN32
 * ones: pointers are plain pointers and every member sits at its natural
 * alignment (64-bit members are 8-aligned on i686 as well), so 32-bit and
 * 64-bit callers see different offsets for anything after a pointer.
 *
 * Usable after <windows.h> alone, or after <windows.h> + <winternl.h> +
 * <ntstatus.h> (with or without WIN32_NO_STATUS); it pulls in <windows.h>
 * itself when needed.
 */

#ifndef _D3DKMTHK_H_
#define _D3DKMTHK_H_

#include <windows.h>
#include "d3dukmdt.h"

#include "d3dkmt_status.h"

/* ------------------------------------------------------------------------ */
/* Adapters                                                                  */
/* ------------------------------------------------------------------------ */

/* One entry filled in by D3DKMTEnumAdapters2. */
typedef struct _D3DKMT_ADAPTERINFO
{
    D3DKMT_HANDLE   hAdapter;                           /* new handle, close with D3DKMTCloseAdapter */
    LUID            AdapterLuid;                        /* locally unique adapter id */
    ULONG           NumOfSources;                       /* number of VidPN sources (scan-outs) */
    BOOL            bPrecisePresentRegionsPreferred;    /* adapter wants exact present dirty regions */
} D3DKMT_ADAPTERINFO;

/* Argument of D3DKMTEnumAdapters2. */
typedef struct _D3DKMT_ENUMADAPTERS2
{
    ULONG               NumAdapters;    /* in: capacity of pAdapters; out: entries written (or max count) */
    D3DKMT_ADAPTERINFO *pAdapters;      /* out, optional: array to fill; NULL asks for the count */
} D3DKMT_ENUMADAPTERS2;

/* Argument of D3DKMTOpenAdapterFromLuid. */
typedef struct _D3DKMT_OPENADAPTERFROMLUID
{
    LUID            AdapterLuid;        /* in: adapter to open */
    D3DKMT_HANDLE   hAdapter;           /* out: new adapter handle */
} D3DKMT_OPENADAPTERFROMLUID;

/* Argument of D3DKMTOpenAdapterFromGdiDisplayName. */
typedef struct _D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME
{
    WCHAR                           DeviceName[32];     /* in: GDI display name such as \\.\DISPLAY1 */
    D3DKMT_HANDLE                   hAdapter;           /* out: new adapter handle */
    LUID                            AdapterLuid;        /* out: adapter id */
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;      /* out: scan-out driving that display */
} D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME;

/* Argument of D3DKMTOpenAdapterFromHdc. */
typedef struct _D3DKMT_OPENADAPTERFROMHDC
{
    HDC                             hDc;                /* in: DC of a single display */
    D3DKMT_HANDLE                   hAdapter;           /* out: new adapter handle */
    LUID                            AdapterLuid;        /* out: adapter id */
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;      /* out: scan-out driving that display */
} D3DKMT_OPENADAPTERFROMHDC;

/* Argument of D3DKMTOpenAdapterFromDeviceName. */
typedef struct _D3DKMT_OPENADAPTERFROMDEVICENAME
{
    PCWSTR          pDeviceName;        /* in: NUL-terminated device interface path */
    D3DKMT_HANDLE   hAdapter;           /* out: new adapter handle */
    LUID            AdapterLuid;        /* out: adapter id */
} D3DKMT_OPENADAPTERFROMDEVICENAME;

/* Argument of D3DKMTCloseAdapter. */
typedef struct _D3DKMT_CLOSEADAPTER
{
    D3DKMT_HANDLE   hAdapter;           /* in: handle to release */
} D3DKMT_CLOSEADAPTER;

/* ------------------------------------------------------------------------ */
/* D3DKMTQueryAdapterInfo                                                    */
/* ------------------------------------------------------------------------ */

/* What D3DKMTQueryAdapterInfo returns; the payload type depends on it. */
typedef enum _KMTQUERYADAPTERINFOTYPE
{
    KMTQAITYPE_UMDRIVERPRIVATE                          = 0,
    KMTQAITYPE_UMDRIVERNAME                             = 1,
    KMTQAITYPE_UMOPENGLINFO                             = 2,
    KMTQAITYPE_GETSEGMENTSIZE                           = 3,    /* D3DKMT_SEGMENTSIZEINFO */
    KMTQAITYPE_ADAPTERGUID                              = 4,
    KMTQAITYPE_FLIPQUEUEINFO                            = 5,
    KMTQAITYPE_ADAPTERADDRESS                           = 6,
    KMTQAITYPE_SETWORKINGSETINFO                        = 7,
    KMTQAITYPE_ADAPTERREGISTRYINFO                      = 8,
    KMTQAITYPE_CURRENTDISPLAYMODE                       = 9,
    KMTQAITYPE_MODELIST                                 = 10,
    KMTQAITYPE_CHECKDRIVERUPDATESTATUS                  = 11,   /* BOOL */
    KMTQAITYPE_VIRTUALADDRESSINFO                       = 12,   /* D3DKMT_VIRTUALADDRESSINFO */
    KMTQAITYPE_DRIVERVERSION                            = 13,   /* D3DKMT_DRIVERVERSION */
    KMTQAITYPE_ADAPTERTYPE                              = 15,   /* D3DKMT_ADAPTERTYPE */
    KMTQAITYPE_OUTPUTDUPLCONTEXTSCOUNT                  = 16,
    KMTQAITYPE_WDDM_1_2_CAPS                            = 17,
    KMTQAITYPE_UMD_DRIVER_VERSION                       = 18,
    KMTQAITYPE_DIRECTFLIP_SUPPORT                       = 19,
    KMTQAITYPE_MULTIPLANEOVERLAY_SUPPORT                = 20,
    KMTQAITYPE_DLIST_DRIVER_NAME                        = 21,
    KMTQAITYPE_WDDM_1_3_CAPS                            = 22,
    KMTQAITYPE_MULTIPLANEOVERLAY_HUD_SUPPORT            = 23,
    KMTQAITYPE_WDDM_2_0_CAPS                            = 24,   /* D3DKMT_WDDM_2_0_CAPS */
    KMTQAITYPE_NODEMETADATA                             = 25,
    KMTQAITYPE_CPDRIVERNAME                             = 26,
    KMTQAITYPE_XBOX                                     = 27,
    KMTQAITYPE_INDEPENDENTFLIP_SUPPORT                  = 28,
    KMTQAITYPE_MIRACASTCOMPANIONDRIVERNAME              = 29,
    KMTQAITYPE_PHYSICALADAPTERCOUNT                     = 30,   /* D3DKMT_PHYSICAL_ADAPTER_COUNT */
    KMTQAITYPE_PHYSICALADAPTERDEVICEIDS                 = 31,
    KMTQAITYPE_DRIVERCAPS_EXT                           = 32,
    KMTQAITYPE_QUERY_MIRACAST_DRIVER_TYPE               = 33,
    KMTQAITYPE_QUERY_GPUMMU_CAPS                        = 34,   /* D3DKMT_QUERY_GPUMMU_CAPS */
    KMTQAITYPE_QUERY_MULTIPLANEOVERLAY_DECODE_SUPPORT   = 35,
    KMTQAITYPE_QUERY_HW_PROTECTION_TEARDOWN_COUNT       = 36,
    KMTQAITYPE_QUERY_ISBADDRIVERFORHWPROTECTIONDISABLED = 37,
    KMTQAITYPE_MULTIPLANEOVERLAY_SECONDARY_SUPPORT      = 38,
    KMTQAITYPE_INDEPENDENTFLIP_SECONDARY_SUPPORT        = 39,
    KMTQAITYPE_PANELFITTER_SUPPORT                      = 40,
    KMTQAITYPE_PHYSICALADAPTERPNPKEY                    = 41,
    KMTQAITYPE_GETSEGMENTGROUPSIZE                      = 42,   /* D3DKMT_SEGMENTGROUPSIZEINFO */
    KMTQAITYPE_MPO3DDI_SUPPORT                          = 43,
    KMTQAITYPE_HWDRM_SUPPORT                            = 44,
    KMTQAITYPE_MPOKERNELCAPS_SUPPORT                    = 45,
    KMTQAITYPE_MULTIPLANEOVERLAY_STRETCH_SUPPORT        = 46,
    KMTQAITYPE_GET_DEVICE_VIDPN_OWNERSHIP_INFO          = 47,
    KMTQAITYPE_QUERYREGISTRY                            = 48,
    KMTQAITYPE_KMD_DRIVER_VERSION                       = 49,
    KMTQAITYPE_BLOCKLIST_KERNEL                         = 50,
    KMTQAITYPE_BLOCKLIST_RUNTIME                        = 51,
    KMTQAITYPE_ADAPTERGUID_RENDER                       = 52,
    KMTQAITYPE_ADAPTERADDRESS_RENDER                    = 53,
    KMTQAITYPE_ADAPTERREGISTRYINFO_RENDER               = 54,
    KMTQAITYPE_CHECKDRIVERUPDATESTATUS_RENDER           = 55,
    KMTQAITYPE_DRIVERVERSION_RENDER                     = 56,
    KMTQAITYPE_ADAPTERTYPE_RENDER                       = 57,
    KMTQAITYPE_WDDM_1_2_CAPS_RENDER                     = 58,
    KMTQAITYPE_WDDM_1_3_CAPS_RENDER                     = 59,
    KMTQAITYPE_QUERY_ADAPTER_UNIQUE_GUID                = 60,
    KMTQAITYPE_NODEPERFDATA                             = 61,
    KMTQAITYPE_ADAPTERPERFDATA                          = 62,
    KMTQAITYPE_ADAPTERPERFDATA_CAPS                     = 63,
    KMTQUITYPE_GPUVERSION                               = 64,   /* (sic, the SDK spells it KMTQUI) */
    KMTQAITYPE_DRIVER_DESCRIPTION                       = 65,
    KMTQAITYPE_DRIVER_DESCRIPTION_RENDER                = 66,
    KMTQAITYPE_SCANOUT_CAPS                             = 67,
    KMTQAITYPE_PARAVIRTUALIZATION_RENDER                = 68,
    KMTQAITYPE_SERVICENAME                              = 69,
    KMTQAITYPE_WDDM_2_7_CAPS                            = 70,
    KMTQAITYPE_DISPLAY_UMDRIVERNAME                     = 71,
    KMTQAITYPE_TRACKEDWORKLOAD_SUPPORT                  = 72,
    KMTQAITYPE_HYBRID_DLIST_DLL_SUPPORT                 = 73,
    KMTQAITYPE_DISPLAY_CAPS                             = 74,
    KMTQAITYPE_WDDM_2_9_CAPS                            = 75,
    KMTQAITYPE_CROSSADAPTERRESOURCE_SUPPORT             = 76,
    KMTQAITYPE_WDDM_3_0_CAPS                            = 77,
} KMTQUERYADAPTERINFOTYPE;

/* Argument of D3DKMTQueryAdapterInfo. */
typedef struct _D3DKMT_QUERYADAPTERINFO
{
    D3DKMT_HANDLE           hAdapter;               /* in: adapter to query */
    KMTQUERYADAPTERINFOTYPE Type;                   /* in: what to return */
    void                   *pPrivateDriverData;     /* in/out: payload buffer, interpreted per Type */
    UINT                    PrivateDriverDataSize;  /* in: size of that buffer */
} D3DKMT_QUERYADAPTERINFO;

/* KMTQAITYPE_GETSEGMENTSIZE payload: the sizes DXGI reports. */
typedef struct _D3DKMT_SEGMENTSIZEINFO
{
    ULONGLONG DedicatedVideoMemorySize;     /* video memory not shared with the CPU */
    ULONGLONG DedicatedSystemMemorySize;    /* system memory set aside for the GPU at boot */
    ULONGLONG SharedSystemMemorySize;       /* system memory the GPU may borrow */
} D3DKMT_SEGMENTSIZEINFO;

/* KMTQAITYPE_GETSEGMENTGROUPSIZE payload: sizes per budget group. */
typedef struct _D3DKMT_SEGMENTGROUPSIZEINFO
{
    UINT32                  PhysicalAdapterIndex;   /* in: node of a linked adapter */
    D3DKMT_SEGMENTSIZEINFO  LegacyInfo;             /* out: same numbers as GETSEGMENTSIZE */
    ULONGLONG               LocalMemory;            /* out: size of the LOCAL segment group */
    ULONGLONG               NonLocalMemory;         /* out: size of the NON_LOCAL segment group */
    ULONGLONG               NonBudgetMemory;        /* out: memory outside both budgets */
} D3DKMT_SEGMENTGROUPSIZEINFO;

/* KMTQAITYPE_DRIVERVERSION payload: WDDM version of the kernel driver. */
typedef enum _QAI_DRIVERVERSION
{
    KMT_DRIVERVERSION_WDDM_1_0            = 1000,
    KMT_DRIVERVERSION_WDDM_1_1_PRERELEASE = 1102,
    KMT_DRIVERVERSION_WDDM_1_1            = 1105,
    KMT_DRIVERVERSION_WDDM_1_2            = 1200,
    KMT_DRIVERVERSION_WDDM_1_3            = 1300,
    KMT_DRIVERVERSION_WDDM_2_0            = 2000,
    KMT_DRIVERVERSION_WDDM_2_1            = 2100,
    KMT_DRIVERVERSION_WDDM_2_2            = 2200,
    KMT_DRIVERVERSION_WDDM_2_3            = 2300,
    KMT_DRIVERVERSION_WDDM_2_4            = 2400,
    KMT_DRIVERVERSION_WDDM_2_5            = 2500,
    KMT_DRIVERVERSION_WDDM_2_6            = 2600,
    KMT_DRIVERVERSION_WDDM_2_7            = 2700,
    KMT_DRIVERVERSION_WDDM_2_8            = 2800,
    KMT_DRIVERVERSION_WDDM_2_9            = 2900,
    KMT_DRIVERVERSION_WDDM_3_0            = 3000,
    KMT_DRIVERVERSION_WDDM_3_1            = 3100,
} D3DKMT_DRIVERVERSION;

/* KMTQAITYPE_ADAPTERTYPE payload. */
typedef struct _D3DKMT_ADAPTERTYPE
{
    union
    {
        struct
        {
            UINT RenderSupported            : 1;    /* 0x00000001 can render */
            UINT DisplaySupported           : 1;    /* 0x00000002 can scan out */
            UINT SoftwareDevice             : 1;    /* 0x00000004 software rasterizer */
            UINT PostDevice                 : 1;    /* 0x00000008 firmware (POST) display device */
            UINT HybridDiscrete             : 1;    /* 0x00000010 discrete GPU of a hybrid pair */
            UINT HybridIntegrated           : 1;    /* 0x00000020 integrated GPU of a hybrid pair */
            UINT IndirectDisplayDevice      : 1;    /* 0x00000040 indirect display adapter */
            UINT Paravirtualized            : 1;    /* 0x00000080 GPU exposed to a VM */
            UINT ACGSupported               : 1;    /* 0x00000100 */
            UINT SupportSetTimingsFromVidPn : 1;    /* 0x00000200 */
            UINT Detachable                 : 1;    /* 0x00000400 may be removed while running */
            UINT ComputeOnly                : 1;    /* 0x00000800 no graphics engine */
            UINT Prototype                  : 1;    /* 0x00001000 */
            UINT RuntimePowerManagement     : 1;    /* 0x00002000 */
            UINT Reserved                   : 18;   /* 0xFFFFC000 */
        };
        UINT Value;
    };
} D3DKMT_ADAPTERTYPE;

/* KMTQAITYPE_WDDM_2_0_CAPS payload (documented as reserved for the OS). */
typedef struct _D3DKMT_WDDM_2_0_CAPS
{
    union
    {
        struct
        {
            UINT Support64BitAtomics       : 1;     /* 0x00000001 */
            UINT GpuMmuSupported           : 1;     /* 0x00000002 GPU has its own MMU */
            UINT IoMmuSupported            : 1;     /* 0x00000004 GPU sits behind an IOMMU */
            UINT FlipOverwriteSupported    : 1;     /* 0x00000008 */
            UINT SupportContextlessPresent : 1;     /* 0x00000010 */
            UINT SupportSurpriseRemoval    : 1;     /* 0x00000020 */
            UINT Reserved                  : 26;    /* 0xFFFFFFC0 */
        };
        UINT Value;
    };
} D3DKMT_WDDM_2_0_CAPS;

/* KMTQAITYPE_PHYSICALADAPTERCOUNT payload. */
typedef struct _D3DKMT_PHYSICAL_ADAPTER_COUNT
{
    UINT Count;                             /* nodes in the linked adapter (1 if not linked) */
} D3DKMT_PHYSICAL_ADAPTER_COUNT;

/* Flag word inside D3DKMT_VIRTUALADDRESSINFO. */
typedef struct _D3DKMT_VIRTUALADDRESSFLAGS
{
    UINT VirtualAddressSupported : 1;       /* 0x00000001 GPU virtual addressing available */
    UINT Reserved                : 31;      /* 0xFFFFFFFE */
} D3DKMT_VIRTUALADDRESSFLAGS;

/* KMTQAITYPE_VIRTUALADDRESSINFO payload. */
typedef struct _D3DKMT_VIRTUALADDRESSINFO
{
    D3DKMT_VIRTUALADDRESSFLAGS VirtualAddressFlags;
} D3DKMT_VIRTUALADDRESSINFO;

/* GPU MMU description returned for KMTQAITYPE_QUERY_GPUMMU_CAPS. */
typedef struct _D3DKMT_GPUMMU_CAPS
{
    union
    {
        struct
        {
            UINT ReadOnlyMemorySupported      : 1;  /* 0x00000001 read-only mappings */
            UINT NoExecuteMemorySupported     : 1;  /* 0x00000002 no-execute mappings */
            UINT CacheCoherentMemorySupported : 1;  /* 0x00000004 CPU cache-coherent mappings */
            UINT Reserved                     : 29; /* 0xFFFFFFF8 */
        };
        UINT Value;
    } Flags;
    UINT VirtualAddressBitCount;                    /* width of a GPU virtual address */
} D3DKMT_GPUMMU_CAPS;

/* KMTQAITYPE_QUERY_GPUMMU_CAPS payload. */
typedef struct _D3DKMT_QUERY_GPUMMU_CAPS
{
    UINT                PhysicalAdapterIndex;       /* in: node of a linked adapter */
    D3DKMT_GPUMMU_CAPS  Caps;                       /* out */
} D3DKMT_QUERY_GPUMMU_CAPS;

/* ------------------------------------------------------------------------ */
/* Devices                                                                   */
/* ------------------------------------------------------------------------ */

/* D3DKMT_CREATEDEVICE.Flags (a bare bitfield word, no Value member). */
typedef struct _D3DKMT_CREATEDEVICEFLAGS
{
    UINT LegacyMode        : 1;     /* 0x00000001 cap video memory use, primaries in place */
    UINT RequestVSync      : 1;     /* 0x00000002 */
    UINT DisableGpuTimeout : 1;     /* 0x00000004 no timeout detection for this device */
    UINT Reserved          : 29;    /* 0xFFFFFFF8 */
} D3DKMT_CREATEDEVICEFLAGS;

/* Argument of D3DKMTCreateDevice. */
typedef struct _D3DKMT_CREATEDEVICE
{
    union
    {
        D3DKMT_HANDLE           hAdapter;           /* in: adapter (user-mode callers) */
        void                   *pAdapter;           /* in: adapter object (kernel-mode callers) */
    };
    D3DKMT_CREATEDEVICEFLAGS    Flags;              /* in */
    D3DKMT_HANDLE               hDevice;            /* out: new device handle */
    void                       *pCommandBuffer;     /* out: legacy DMA buffer (NULL nowadays) */
    UINT                        CommandBufferSize;  /* out: its size in bytes */
    D3DDDI_ALLOCATIONLIST      *pAllocationList;    /* out: legacy allocation list (NULL nowadays) */
    UINT                        AllocationListSize; /* out: its length in entries */
    D3DDDI_PATCHLOCATIONLIST   *pPatchLocationList; /* out: legacy patch list (NULL nowadays) */
    UINT                        PatchLocationListSize; /* out: its length in entries */
} D3DKMT_CREATEDEVICE;

/* Argument of D3DKMTDestroyDevice. */
typedef struct _D3DKMT_DESTROYDEVICE
{
    D3DKMT_HANDLE hDevice;                  /* in: device to destroy */
} D3DKMT_DESTROYDEVICE;

/* ---- D3DKMTGetDeviceState ---- */

/* Which part of the device state is asked for. */
typedef enum _D3DKMT_DEVICESTATE_TYPE
{
    D3DKMT_DEVICESTATE_EXECUTION     = 1,   /* ExecutionState */
    D3DKMT_DEVICESTATE_PRESENT       = 2,   /* PresentState */
    D3DKMT_DEVICESTATE_RESET         = 3,   /* ResetState */
    D3DKMT_DEVICESTATE_PRESENT_DWM   = 4,   /* PresentStateDWM */
    D3DKMT_DEVICESTATE_PAGE_FAULT    = 5,   /* PageFaultState */
    D3DKMT_DEVICESTATE_PRESENT_QUEUE = 6,   /* PresentQueueState */
} D3DKMT_DEVICESTATE_TYPE;

/* Execution health of a device. */
typedef enum _D3DKMT_DEVICEEXECUTION_STATE
{
    D3DKMT_DEVICEEXECUTION_ACTIVE             = 1,  /* working normally */
    D3DKMT_DEVICEEXECUTION_RESET              = 2,  /* was reset */
    D3DKMT_DEVICEEXECUTION_HUNG               = 3,  /* hung */
    D3DKMT_DEVICEEXECUTION_STOPPED            = 4,  /* stopped */
    D3DKMT_DEVICEEXECUTION_ERROR_OUTOFMEMORY  = 5,  /* could not make its working set resident */
    D3DKMT_DEVICEEXECUTION_ERROR_DMAFAULT     = 6,  /* driver reported a DMA buffer fault */
    D3DKMT_DEVICEEXECUTION_ERROR_DMAPAGEFAULT = 7,  /* driver reported a GPU page fault */
} D3DKMT_DEVICEEXECUTION_STATE;

/* RESET state: why the device stopped being usable. */
typedef struct _D3DKMT_DEVICERESET_STATE
{
    union
    {
        struct
        {
            UINT DesktopSwitched : 1;       /* 0x00000001 caller's desktop became invisible */
            UINT Reserved        : 31;      /* 0xFFFFFFFE */
        };
        UINT Value;
    };
} D3DKMT_DEVICERESET_STATE;

/* Present counters of one scan-out. */
typedef struct _D3DKMT_PRESENT_STATS
{
    UINT            PresentCount;           /* presents queued so far */
    UINT            PresentRefreshCount;    /* vblank count at the last present */
    UINT            SyncRefreshCount;       /* vblank count at SyncQPCTime */
    LARGE_INTEGER   SyncQPCTime;            /* QPC time of the last vblank */
    LARGE_INTEGER   SyncGPUTime;            /* GPU time of the last vblank */
} D3DKMT_PRESENT_STATS;

/* PRESENT state. */
typedef struct _D3DKMT_DEVICEPRESENT_STATE
{
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;  /* in: scan-out to report on */
    D3DKMT_PRESENT_STATS            PresentStats;   /* out */
} D3DKMT_DEVICEPRESENT_STATE;

/* Present counters in the form the compositor uses. */
typedef struct _D3DKMT_PRESENT_STATS_DWM
{
    UINT            PresentCount;           /* presents queued so far */
    UINT            PresentRefreshCount;    /* vblank count at the last present */
    LARGE_INTEGER   PresentQPCTime;         /* QPC time of the last present */
    UINT            SyncRefreshCount;       /* vblank count at SyncQPCTime */
    LARGE_INTEGER   SyncQPCTime;            /* QPC time of the last vblank */
    UINT            CustomPresentDuration;  /* requested frame duration */
} D3DKMT_PRESENT_STATS_DWM;

/* PRESENT_DWM state. */
typedef struct _D3DKMT_DEVICEPRESENT_STATE_DWM
{
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;      /* in: scan-out to report on */
    D3DKMT_PRESENT_STATS_DWM        PresentStatsDWM;    /* out */
} D3DKMT_DEVICEPRESENT_STATE_DWM;

/* PRESENT_QUEUE state. */
typedef struct _D3DKMT_DEVICEPRESENT_QUEUE_STATE
{
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;              /* in: scan-out to report on */
    BOOLEAN                         bQueuedPresentLimitReached; /* out: present queue is full */
} D3DKMT_DEVICEPRESENT_QUEUE_STATE;

/* Pipeline stage a GPU fault happened in. */
typedef enum _DXGK_RENDER_PIPELINE_STAGE
{
    DXGK_RENDER_PIPELINE_STAGE_UNKNOWN         = 0,
    DXGK_RENDER_PIPELINE_STAGE_INPUT_ASSEMBLER = 1,
    DXGK_RENDER_PIPELINE_STAGE_VERTEX_SHADER   = 2,
    DXGK_RENDER_PIPELINE_STAGE_GEOMETRY_SHADER = 3,
    DXGK_RENDER_PIPELINE_STAGE_STREAM_OUTPUT   = 4,
    DXGK_RENDER_PIPELINE_STAGE_RASTERIZER      = 5,
    DXGK_RENDER_PIPELINE_STAGE_PIXEL_SHADER    = 6,
    DXGK_RENDER_PIPELINE_STAGE_OUTPUT_MERGER   = 7,
} DXGK_RENDER_PIPELINE_STAGE;

/* Nature of a GPU page fault (bit mask). */
typedef enum _DXGK_PAGE_FAULT_FLAGS
{
    DXGK_PAGE_FAULT_WRITE                  = 0x1,
    DXGK_PAGE_FAULT_FENCE_INVALID          = 0x2,
    DXGK_PAGE_FAULT_ADAPTER_RESET_REQUIRED = 0x4,
    DXGK_PAGE_FAULT_ENGINE_RESET_REQUIRED  = 0x8,
    DXGK_PAGE_FAULT_FATAL_HARDWARE_ERROR   = 0x10,
    DXGK_PAGE_FAULT_IOMMU                  = 0x20,
    DXGK_PAGE_FAULT_HW_CONTEXT_VALID       = 0x40,
    DXGK_PAGE_FAULT_PROCESS_HANDLE_VALID   = 0x80,
} DXGK_PAGE_FAULT_FLAGS;

/* OS-defined GPU error kinds (DXGK_FAULT_ERROR_CODE.GeneralErrorCode). */
typedef enum _DXGK_GENERAL_ERROR_CODE
{
    DXGK_GENERAL_ERROR_PAGE_FAULT          = 0,
    DXGK_GENERAL_ERROR_INVALID_INSTRUCTION = 1,
} DXGK_GENERAL_ERROR_CODE;

/* Error code of a GPU fault: OS-defined or device-specific. */
typedef struct _DXGK_FAULT_ERROR_CODE
{
    union
    {
        struct
        {
            UINT IsDeviceSpecificCode : 1;              /* 0 here: GeneralErrorCode is valid */
            UINT GeneralErrorCode     : 31;             /* a DXGK_GENERAL_ERROR_CODE value */
        };
        struct
        {
            UINT IsDeviceSpecificCodeReservedBit : 1;   /* 1 here: DeviceSpecificCode is valid */
            UINT DeviceSpecificCode              : 31;  /* vendor-defined code */
        };
    };
} DXGK_FAULT_ERROR_CODE;

/* PAGE_FAULT state. */
typedef struct _D3DKMT_DEVICEPAGEFAULT_STATE
{
    UINT64                      FaultedPrimitiveAPISequenceNumber;  /* draw that faulted, if known */
    DXGK_RENDER_PIPELINE_STAGE  FaultedPipelineStage;               /* stage that faulted, if known */
    UINT                        FaultedBindTableEntry;              /* resource slot involved, if known */
    DXGK_PAGE_FAULT_FLAGS       PageFaultFlags;                     /* what kind of fault */
    DXGK_FAULT_ERROR_CODE       FaultErrorCode;                     /* error code */
    D3DGPU_VIRTUAL_ADDRESS      FaultedVirtualAddress;              /* faulting GPU VA, or D3DGPU_NULL */
} D3DKMT_DEVICEPAGEFAULT_STATE;

/* Argument of D3DKMTGetDeviceState. */
typedef struct _D3DKMT_GETDEVICESTATE
{
    D3DKMT_HANDLE           hDevice;                    /* in: device to query */
    D3DKMT_DEVICESTATE_TYPE StateType;                  /* in: selects the union member */
    union
    {
        D3DKMT_DEVICEEXECUTION_STATE     ExecutionState;    /* out */
        D3DKMT_DEVICEPRESENT_STATE       PresentState;      /* in/out */
        D3DKMT_DEVICERESET_STATE         ResetState;        /* out */
        D3DKMT_DEVICEPRESENT_STATE_DWM   PresentStateDWM;   /* in/out */
        D3DKMT_DEVICEPAGEFAULT_STATE     PageFaultState;    /* out */
        D3DKMT_DEVICEPRESENT_QUEUE_STATE PresentQueueState; /* in/out */
    };
} D3DKMT_GETDEVICESTATE;

/* ---- D3DKMTMarkDeviceAsError ---- */

/* Why a device is being put into the error state. */
typedef enum _D3DKMT_DEVICE_ERROR_REASON
{
    D3DKMT_DEVICE_ERROR_REASON_GENERIC      = 0x80000000,
    D3DKMT_DEVICE_ERROR_REASON_DRIVER_ERROR = 0x80000006,
} D3DKMT_DEVICE_ERROR_REASON;

/* Argument of D3DKMTMarkDeviceAsError. */
typedef struct _D3DKMT_MARKDEVICEASERROR
{
    D3DKMT_HANDLE               hDevice;    /* in: device to put in error */
    D3DKMT_DEVICE_ERROR_REASON  Reason;     /* in */
} D3DKMT_MARKDEVICEASERROR;

/* ------------------------------------------------------------------------ */
/* D3DKMTEscape                                                              */
/* ------------------------------------------------------------------------ */

/* Who an escape is addressed to. */
typedef enum _D3DKMT_ESCAPETYPE
{
    D3DKMT_ESCAPE_DRIVERPRIVATE                     = 0,    /* kernel-mode driver */
    D3DKMT_ESCAPE_VIDMM                             = 1,    /* video memory manager */
    D3DKMT_ESCAPE_TDRDBGCTRL                        = 2,
    D3DKMT_ESCAPE_VIDSCH                            = 3,    /* GPU scheduler */
    D3DKMT_ESCAPE_DEVICE                            = 4,
    D3DKMT_ESCAPE_DMM                               = 5,
    D3DKMT_ESCAPE_DEBUG_SNAPSHOT                    = 6,
    D3DKMT_ESCAPE_SETDRIVERUPDATESTATUS             = 7,    /* retired, kept for older code */
    D3DKMT_ESCAPE_DRT_TEST                          = 8,
    D3DKMT_ESCAPE_DIAGNOSTICS                       = 9,
    D3DKMT_ESCAPE_OUTPUTDUPL_SNAPSHOT               = 10,
    D3DKMT_ESCAPE_OUTPUTDUPL_DIAGNOSTICS            = 11,
    D3DKMT_ESCAPE_BDD_PNP                           = 12,
    D3DKMT_ESCAPE_BDD_FALLBACK                      = 13,
    D3DKMT_ESCAPE_ACTIVATE_SPECIFIC_DIAG            = 14,
    D3DKMT_ESCAPE_MODES_PRUNED_OUT                  = 15,
    D3DKMT_ESCAPE_WHQL_INFO                         = 16,
    D3DKMT_ESCAPE_BRIGHTNESS                        = 17,
    D3DKMT_ESCAPE_EDID_CACHE                        = 18,
    D3DKMT_ESCAPE_MIRACAST_DISPLAY_REQUEST          = 20,   /* (19 is retired) */
    D3DKMT_ESCAPE_HISTORY_BUFFER_STATUS             = 21,
    D3DKMT_ESCAPE_MIRACAST_ADAPTER_DIAG_INFO        = 23,   /* (22 is unused) */
    D3DKMT_ESCAPE_FORCE_BDDFALLBACK_HEADLESS        = 24,
    D3DKMT_ESCAPE_REQUEST_MACHINE_CRASH             = 25,
    D3DKMT_ESCAPE_SOFTGPU_ENABLE_DISABLE_HMD        = 27,   /* (26 is retired) */
    D3DKMT_ESCAPE_PROCESS_VERIFIER_OPTION           = 28,
    D3DKMT_ESCAPE_ADAPTER_VERIFIER_OPTION           = 29,
    D3DKMT_ESCAPE_IDD_REQUEST                       = 30,
    D3DKMT_ESCAPE_DOD_SET_DIRTYRECT_MODE            = 31,
    D3DKMT_ESCAPE_LOG_CODEPOINT_PACKET              = 32,
    D3DKMT_ESCAPE_LOG_USERMODE_DAIG_PACKET          = 33,   /* (sic) */
    D3DKMT_ESCAPE_GET_EXTERNAL_DIAGNOSTICS          = 34,
    D3DKMT_ESCAPE_GET_DISPLAY_CONFIGURATIONS        = 36,   /* (35 is retired) */
    D3DKMT_ESCAPE_QUERY_IOMMU_STATUS                = 37,
    D3DKMT_ESCAPE_CCD_DATABASE                      = 38,
    D3DKMT_ESCAPE_QUERY_DMA_REMAPPING_STATUS        = 39,

    D3DKMT_ESCAPE_WIN32K_START                      = 1024,
    D3DKMT_ESCAPE_WIN32K_HIP_DEVICE_INFO            = 1024,
    D3DKMT_ESCAPE_WIN32K_QUERY_CD_ROTATION_BLOCK    = 1025,
    D3DKMT_ESCAPE_WIN32K_DPI_INFO                   = 1026,
    D3DKMT_ESCAPE_WIN32K_PRESENTER_VIEW_INFO        = 1027,
    D3DKMT_ESCAPE_WIN32K_SYSTEM_DPI                 = 1028,
    D3DKMT_ESCAPE_WIN32K_BDD_FALLBACK               = 1029,
    D3DKMT_ESCAPE_WIN32K_DDA_TEST_CTL               = 1030,
    D3DKMT_ESCAPE_WIN32K_USER_DETECTED_BLACK_SCREEN = 1031,
    D3DKMT_ESCAPE_WIN32K_DISPBROKER_TEST            = 1035,
    D3DKMT_ESCAPE_WIN32K_COLOR_PROFILE_INFO         = 1036,
    D3DKMT_ESCAPE_WIN32K_SET_DIMMED_STATE           = 1037,
    D3DKMT_ESCAPE_WIN32K_SPECIALIZED_DISPLAY_TEST   = 1038,
} D3DKMT_ESCAPETYPE;

/* Argument of D3DKMTEscape. */
typedef struct _D3DKMT_ESCAPE
{
    D3DKMT_HANDLE       hAdapter;               /* in: adapter to talk to */
    D3DKMT_HANDLE       hDevice;                /* in, optional: device context */
    D3DKMT_ESCAPETYPE   Type;                   /* in: recipient */
    D3DDDI_ESCAPEFLAGS  Flags;                  /* in */
    void               *pPrivateDriverData;     /* in/out: escape payload */
    UINT                PrivateDriverDataSize;  /* in: payload size in bytes */
    D3DKMT_HANDLE       hContext;               /* in, optional: GPU context */
} D3DKMT_ESCAPE;

/* ------------------------------------------------------------------------ */
/* Allocation lifetime                                                       */
/* ------------------------------------------------------------------------ */

/* Kind of OS-described ("standard") allocation. */
typedef enum _D3DKMT_STANDARDALLOCATIONTYPE
{
    D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP         = 1, /* wraps caller memory or a section */
    D3DKMT_STANDARDALLOCATIONTYPE_INTERNALBACKINGSTORE = 2,
    D3DKMT_STANDARDALLOCATIONTYPE_MAX,
} D3DKMT_STANDARDALLOCATIONTYPE;

/* EXISTINGHEAP parameters. */
typedef struct _D3DKMT_STANDARDALLOCATION_EXISTINGHEAP
{
    SIZE_T Size;                            /* bytes of existing memory to wrap (page multiple) */
} D3DKMT_STANDARDALLOCATION_EXISTINGHEAP;

/* Flags of a standard allocation: none defined yet. */
typedef struct _D3DKMT_CREATESTANDARDALLOCATIONFLAGS
{
    union
    {
        struct
        {
            UINT Reserved : 32;             /* 0xFFFFFFFF must be zero */
        };
        UINT Value;
    };
} D3DKMT_CREATESTANDARDALLOCATIONFLAGS;

/* D3DKMT_CREATEALLOCATION.pStandardAllocation target. */
typedef struct _D3DKMT_CREATESTANDARDALLOCATION
{
    D3DKMT_STANDARDALLOCATIONTYPE Type;                         /* selects the union member */
    union
    {
        D3DKMT_STANDARDALLOCATION_EXISTINGHEAP ExistingHeapData;   /* Type == EXISTINGHEAP */
    };
    D3DKMT_CREATESTANDARDALLOCATIONFLAGS Flags;                 /* must be zero */
} D3DKMT_CREATESTANDARDALLOCATION;

/* D3DKMT_CREATEALLOCATION.Flags (a bare bitfield word, no Value member).
 * "K" marks bits only kernel-mode creators may set. */
typedef struct _D3DKMT_CREATEALLOCATIONFLAGS
{
    UINT CreateResource        : 1;     /* 0x00000001 also create a resource, returned in hResource */
    UINT CreateShared          : 1;     /* 0x00000002 resource is shareable (needs CreateResource) */
    UINT NonSecure             : 1;     /* 0x00000004 any process may open the share */
    UINT CreateProtected       : 1;     /* 0x00000008 K */
    UINT RestrictSharedAccess  : 1;     /* 0x00000010 share with restricted access */
    UINT ExistingSysMem        : 1;     /* 0x00000020 wrap caller memory (standard allocations) */
    UINT NtSecuritySharing     : 1;     /* 0x00000040 share by NT handle, no global handle */
    UINT ReadOnly              : 1;     /* 0x00000080 allocation is never written */
    UINT CreateWriteCombined   : 1;     /* 0x00000100 K */
    UINT CreateCached          : 1;     /* 0x00000200 K */
    UINT SwapChainBackBuffer   : 1;     /* 0x00000400 swap-chain back buffer */
    UINT CrossAdapter          : 1;     /* 0x00000800 cross-adapter shared resource */
    UINT OpenCrossAdapter      : 1;     /* 0x00001000 K */
    UINT PartialSharedCreation : 1;     /* 0x00002000 */
    UINT Zeroed                : 1;     /* 0x00004000 pages are zero-filled */
    UINT WriteWatch            : 1;     /* 0x00008000 track CPU writes to the pages */
    UINT StandardAllocation    : 1;     /* 0x00010000 pStandardAllocation is used */
    UINT ExistingSection       : 1;     /* 0x00020000 hSection instead of pSystemMem */
    UINT AllowNotZeroed        : 1;     /* 0x00040000 zero-filled pages not required */
    UINT PhysicallyContiguous  : 1;     /* 0x00080000 */
    UINT NoKmdAccess           : 1;     /* 0x00100000 kernel driver is not told about it */
    UINT SharedDisplayable     : 1;     /* 0x00200000 */
    UINT Reserved              : 10;    /* 0xFFC00000 must be zero */
} D3DKMT_CREATEALLOCATIONFLAGS;

/* Argument of D3DKMTCreateAllocation and D3DKMTCreateAllocation2. */
typedef struct _D3DKMT_CREATEALLOCATION
{
    D3DKMT_HANDLE   hDevice;                    /* in: owning device */
    D3DKMT_HANDLE   hResource;                  /* in: resource to extend, or 0; out: new resource */
    D3DKMT_HANDLE   hGlobalShare;               /* out: global share handle (legacy sharing), else 0 */
    const void     *pPrivateRuntimeData;        /* in: opaque per-resource runtime blob */
    UINT            PrivateRuntimeDataSize;     /* in: its size */
    union
    {
        D3DKMT_CREATESTANDARDALLOCATION *pStandardAllocation;  /* in: when Flags.StandardAllocation */
        const void                      *pPrivateDriverData;   /* in: per-resource driver blob otherwise */
    };
    UINT            PrivateDriverDataSize;      /* in: size of the per-resource driver blob */
    UINT            NumAllocations;             /* in: entries in the array below */
    union
    {
        D3DDDI_ALLOCATIONINFO  *pAllocationInfo;   /* in/out: read by D3DKMTCreateAllocation */
        D3DDDI_ALLOCATIONINFO2 *pAllocationInfo2;  /* in/out: read by D3DKMTCreateAllocation2 */
    };
    D3DKMT_CREATEALLOCATIONFLAGS Flags;         /* in */
    HANDLE          hPrivateRuntimeResourceHandle; /* in: opaque tracing cookie */
} D3DKMT_CREATEALLOCATION;

/* Argument of D3DKMTDestroyAllocation. */
typedef struct _D3DKMT_DESTROYALLOCATION
{
    D3DKMT_HANDLE           hDevice;            /* in: owning device */
    D3DKMT_HANDLE           hResource;          /* in: resource to destroy with all its allocations, or 0 */
    const D3DKMT_HANDLE    *phAllocationList;   /* in: allocations to destroy (hResource == 0) */
    UINT                    AllocationCount;    /* in: entries in phAllocationList */
} D3DKMT_DESTROYALLOCATION;

/* Argument of D3DKMTDestroyAllocation2. */
typedef struct _D3DKMT_DESTROYALLOCATION2
{
    D3DKMT_HANDLE                       hDevice;            /* in: owning device */
    D3DKMT_HANDLE                       hResource;          /* in: resource to destroy, or 0 */
    const D3DKMT_HANDLE                *phAllocationList;   /* in: allocations to destroy */
    UINT                                AllocationCount;    /* in: entries in phAllocationList */
    D3DDDICB_DESTROYALLOCATION2FLAGS    Flags;              /* in */
} D3DKMT_DESTROYALLOCATION2;

/* ------------------------------------------------------------------------ */
/* CPU access                                                                */
/* ------------------------------------------------------------------------ */

/* Argument of D3DKMTLock. */
typedef struct _D3DKMT_LOCK
{
    D3DKMT_HANDLE           hDevice;            /* in: owning device */
    D3DKMT_HANDLE           hAllocation;        /* in: allocation; out: its handle after a renaming lock */
    UINT                    PrivateDriverData;  /* in: value handed to the driver with AcquireAperture */
    UINT                    NumPages;           /* in: entries in pPages, 0 with LockEntire */
    const UINT             *pPages;             /* in: page indices to lock, NULL with LockEntire */
    void                   *pData;              /* out: CPU address of the locked memory */
    D3DDDICB_LOCKFLAGS      Flags;              /* in */
    D3DGPU_VIRTUAL_ADDRESS  GpuVirtualAddress;  /* out: GPU VA of the allocation (docs: reserved, 0) */
} D3DKMT_LOCK;

/* Argument of D3DKMTUnlock. */
typedef struct _D3DKMT_UNLOCK
{
    D3DKMT_HANDLE           hDevice;            /* in: owning device */
    UINT                    NumAllocations;     /* in: entries in phAllocations */
    const D3DKMT_HANDLE    *phAllocations;      /* in: allocations to unlock */
} D3DKMT_UNLOCK;

/* Argument of D3DKMTLock2. */
typedef struct _D3DKMT_LOCK2
{
    D3DKMT_HANDLE       hDevice;                /* in: owning device */
    D3DKMT_HANDLE       hAllocation;            /* in: allocation to map */
    D3DDDICB_LOCK2FLAGS Flags;                  /* in: must be zero */
    void               *pData;                  /* out: CPU address of the allocation */
} D3DKMT_LOCK2;

/* Argument of D3DKMTUnlock2. */
typedef struct _D3DKMT_UNLOCK2
{
    D3DKMT_HANDLE hDevice;                      /* in: owning device */
    D3DKMT_HANDLE hAllocation;                  /* in: allocation to unmap */
} D3DKMT_UNLOCK2;

/* ------------------------------------------------------------------------ */
/* Legacy (global handle) sharing                                            */
/* ------------------------------------------------------------------------ */

/* Argument of D3DKMTQueryResourceInfo. */
typedef struct _D3DKMT_QUERYRESOURCEINFO
{
    D3DKMT_HANDLE   hDevice;                        /* in: device that will open the resource */
    D3DKMT_HANDLE   hGlobalShare;                   /* in: global share handle */
    void           *pPrivateRuntimeData;            /* in: runtime data buffer (not filled on Windows) */
    UINT            PrivateRuntimeDataSize;         /* in: buffer size; out: stored runtime data size */
    UINT            TotalPrivateDriverDataSize;     /* out: bytes of all allocations' driver data */
    UINT            ResourcePrivateDriverDataSize;  /* out: bytes of the resource's driver data */
    UINT            NumAllocations;                 /* out: allocations in the resource */
} D3DKMT_QUERYRESOURCEINFO;

/* Argument of D3DKMTOpenResource and D3DKMTOpenResource2. */
typedef struct _D3DKMT_OPENRESOURCE
{
    D3DKMT_HANDLE   hDevice;                        /* in: device to open on */
    D3DKMT_HANDLE   hGlobalShare;                   /* in: global share handle */
    UINT            NumAllocations;                 /* in: entries in the array below */
    union
    {
        D3DDDI_OPENALLOCATIONINFO  *pOpenAllocationInfo;   /* in/out: used by D3DKMTOpenResource */
        D3DDDI_OPENALLOCATIONINFO2 *pOpenAllocationInfo2;  /* in/out: used by D3DKMTOpenResource2 */
    };
    void           *pPrivateRuntimeData;            /* in: receives the runtime data */
    UINT            PrivateRuntimeDataSize;         /* in: its size (must match the stored size) */
    void           *pResourcePrivateDriverData;     /* in: receives the resource driver data */
    UINT            ResourcePrivateDriverDataSize;  /* in: its size (must match the stored size) */
    void           *pTotalPrivateDriverDataBuffer;  /* in: receives all allocations' driver data */
    UINT            TotalPrivateDriverDataBufferSize; /* in: capacity; out: bytes written */
    D3DKMT_HANDLE   hResource;                      /* out: new local resource handle */
} D3DKMT_OPENRESOURCE;

/* ------------------------------------------------------------------------ */
/* NT-handle sharing                                                         */
/* ------------------------------------------------------------------------ */

#define D3DKMT_MAX_OBJECTS_PER_HANDLE 3
#ifndef SHARED_ALLOCATION_WRITE
#define SHARED_ALLOCATION_WRITE      0x1
#define SHARED_ALLOCATION_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SHARED_ALLOCATION_WRITE)
#endif

/* Argument of D3DKMTQueryResourceInfoFromNtHandle. */
typedef struct _D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE
{
    D3DKMT_HANDLE   hDevice;                        /* in: device that will open the resource */
    HANDLE          hNtHandle;                      /* in: from D3DKMTShareObjects or OpenNtHandleFromName */
    void           *pPrivateRuntimeData;            /* in: not filled */
    UINT            PrivateRuntimeDataSize;         /* in/out: stored runtime data size */
    UINT            TotalPrivateDriverDataSize;     /* out */
    UINT            ResourcePrivateDriverDataSize;  /* out */
    UINT            NumAllocations;                 /* out */
} D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE;

/* Argument of D3DKMTOpenResourceFromNtHandle. */
typedef struct _D3DKMT_OPENRESOURCEFROMNTHANDLE
{
    D3DKMT_HANDLE   hDevice;                        /* in */
    HANDLE          hNtHandle;                      /* in */
    UINT            NumAllocations;                 /* in: must be the resource's */
    D3DDDI_OPENALLOCATIONINFO2 *pOpenAllocationInfo2; /* in/out */
    UINT            PrivateRuntimeDataSize;         /* in: must match exactly */
    void           *pPrivateRuntimeData;            /* in: receives the runtime data */
    UINT            ResourcePrivateDriverDataSize;  /* in: must match exactly */
    void           *pResourcePrivateDriverData;     /* in: receives the resource driver data */
    UINT            TotalPrivateDriverDataBufferSize; /* in: capacity; out: bytes written */
    void           *pTotalPrivateDriverDataBuffer;  /* in: receives all allocations' driver data */
    D3DKMT_HANDLE   hResource;                      /* out */
    D3DKMT_HANDLE   hKeyedMutex;                    /* out: 0 when the share has none */
    void           *pKeyedMutexPrivateRuntimeData;  /* in */
    UINT            KeyedMutexPrivateRuntimeDataSize; /* in/out */
    D3DKMT_HANDLE   hSyncObject;                    /* out: 0 when the share has none */
} D3DKMT_OPENRESOURCEFROMNTHANDLE;

/* Argument of D3DKMTOpenNtHandleFromName. */
typedef struct _D3DKMT_OPENNTHANDLEFROMNAME
{
    DWORD              dwDesiredAccess;             /* in */
    struct _OBJECT_ATTRIBUTES *pObjAttrib;          /* in: the name (winternl.h's OBJECT_ATTRIBUTES) */
    HANDLE             hNtHandle;                   /* out */
} D3DKMT_OPENNTHANDLEFROMNAME;

/* ------------------------------------------------------------------------ */
/* Residency, paging queues, priorities, offer/reclaim, budgets              */
/* ------------------------------------------------------------------------ */

/* Argument of D3DKMTCreatePagingQueue. */
typedef struct _D3DKMT_CREATEPAGINGQUEUE
{
    D3DKMT_HANDLE               hDevice;                    /* in: owning device */
    D3DDDI_PAGINGQUEUE_PRIORITY Priority;                   /* in: relative to the device's other queues */
    D3DKMT_HANDLE               hPagingQueue;               /* out: new paging queue */
    D3DKMT_HANDLE               hSyncObject;                /* out: its monitored fence */
    void                       *FenceValueCPUVirtualAddress; /* out: read-only CPU view of the fence value */
    UINT                        PhysicalAdapterIndex;       /* in: node of a linked adapter */
} D3DKMT_CREATEPAGINGQUEUE;

/* Not a Windows SDK name: the SDK's D3DKMTDestroyPagingQueue takes a
 * D3DDDI_DESTROYPAGINGQUEUE; this alias only exists for project code. */
typedef D3DDDI_DESTROYPAGINGQUEUE D3DKMT_DESTROYPAGINGQUEUE;

/* Argument of D3DKMTEvict. */
typedef struct _D3DKMT_EVICT
{
    D3DKMT_HANDLE           hDevice;            /* in: device that created the allocations */
    UINT                    NumAllocations;     /* in: entries in AllocationList */
    const D3DKMT_HANDLE    *AllocationList;     /* in: allocations to drop one residency reference of */
    D3DDDI_EVICT_FLAGS      Flags;              /* in */
    UINT64                  NumBytesToTrim;     /* out: bytes still to evict to meet the budget */
} D3DKMT_EVICT;

/* Residency of one allocation (or of a whole resource). */
typedef enum _D3DKMT_ALLOCATIONRESIDENCYSTATUS
{
    D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINGPUMEMORY    = 1,    /* in a GPU memory segment */
    D3DKMT_ALLOCATIONRESIDENCYSTATUS_RESIDENTINSHAREDMEMORY = 2,    /* in system/aperture memory */
    D3DKMT_ALLOCATIONRESIDENCYSTATUS_NOTRESIDENT            = 3,    /* not resident */
} D3DKMT_ALLOCATIONRESIDENCYSTATUS;

/* Argument of D3DKMTQueryAllocationResidency. */
typedef struct _D3DKMT_QUERYALLOCATIONRESIDENCY
{
    D3DKMT_HANDLE                       hDevice;            /* in: owning device */
    D3DKMT_HANDLE                       hResource;          /* in: whole resource, or 0 */
    const D3DKMT_HANDLE                *phAllocationList;   /* in: allocations (hResource == 0) */
    UINT                                AllocationCount;    /* in: entries in phAllocationList */
    D3DKMT_ALLOCATIONRESIDENCYSTATUS   *pResidencyStatus;   /* out: one status per entry */
} D3DKMT_QUERYALLOCATIONRESIDENCY;

/* Argument of D3DKMTSetAllocationPriority. */
typedef struct _D3DKMT_SETALLOCATIONPRIORITY
{
    D3DKMT_HANDLE           hDevice;            /* in: owning device */
    D3DKMT_HANDLE           hResource;          /* in: whole resource (uses pPriorities[0]), or 0 */
    const D3DKMT_HANDLE    *phAllocationList;   /* in: allocations (hResource == 0) */
    UINT                    AllocationCount;    /* in: entries in phAllocationList */
    const UINT             *pPriorities;        /* in: new D3DDDI_ALLOCATIONPRIORITY_* style values */
} D3DKMT_SETALLOCATIONPRIORITY;

/* Argument of D3DKMTGetAllocationPriority. */
typedef struct _D3DKMT_GETALLOCATIONPRIORITY
{
    D3DKMT_HANDLE           hDevice;            /* in: owning device */
    D3DKMT_HANDLE           hResource;          /* in: whole resource, or 0 */
    const D3DKMT_HANDLE    *phAllocationList;   /* in: allocations (hResource == 0) */
    UINT                    AllocationCount;    /* in: entries in phAllocationList */
    UINT                   *pPriorities;        /* out: current priority per entry */
} D3DKMT_GETALLOCATIONPRIORITY;

/* How valuable offered content is (no NONE value at this level). */
typedef enum _D3DKMT_OFFER_PRIORITY
{
    D3DKMT_OFFER_PRIORITY_LOW    = 1,   /* content is worthless, drop it first */
    D3DKMT_OFFER_PRIORITY_NORMAL = 2,   /* content is cheap to rebuild */
    D3DKMT_OFFER_PRIORITY_HIGH   = 3,   /* content is expensive to rebuild, drop it last */
    D3DKMT_OFFER_PRIORITY_AUTO   = 4,   /* derive from the eviction priority */
} D3DKMT_OFFER_PRIORITY;

/* D3DKMT_OFFERALLOCATIONS.Flags. */
typedef struct _D3DKMT_OFFER_FLAGS
{
    union
    {
        struct
        {
            UINT OfferImmediately : 1;      /* 0x00000001 */
            UINT AllowDecommit    : 1;      /* 0x00000002 backing store may be decommitted */
            UINT Reserved         : 30;     /* 0xFFFFFFFC must be zero */
        };
        UINT Value;
    };
} D3DKMT_OFFER_FLAGS;

/* Argument of D3DKMTOfferAllocations. */
typedef struct _D3DKMT_OFFERALLOCATIONS
{
    D3DKMT_HANDLE           hDevice;            /* in: device that created the allocations */
    D3DKMT_HANDLE          *pResources;         /* in: resources to offer (exclusive with HandleList) */
    const D3DKMT_HANDLE    *HandleList;         /* in: allocations to offer (exclusive with pResources) */
    UINT                    NumAllocations;     /* in: entries in whichever list is used */
    D3DKMT_OFFER_PRIORITY   Priority;           /* in */
    D3DKMT_OFFER_FLAGS      Flags;              /* in */
} D3DKMT_OFFERALLOCATIONS;

/* Argument of D3DKMTReclaimAllocations. */
typedef struct _D3DKMT_RECLAIMALLOCATIONS
{
    D3DKMT_HANDLE           hDevice;            /* in: device that created the allocations */
    D3DKMT_HANDLE          *pResources;         /* in: resources (exclusive with HandleList) */
    const D3DKMT_HANDLE    *HandleList;         /* in: allocations (exclusive with pResources) */
    BOOL                   *pDiscarded;         /* out, optional: TRUE where content was lost */
    UINT                    NumAllocations;     /* in: entries in the lists */
} D3DKMT_RECLAIMALLOCATIONS;

/* Argument of D3DKMTReclaimAllocations2. */
typedef struct _D3DKMT_RECLAIMALLOCATIONS2
{
    D3DKMT_HANDLE           hPagingQueue;       /* in: paging queue of the creating device */
    UINT                    NumAllocations;     /* in: entries in the lists */
    D3DKMT_HANDLE          *pResources;         /* in: resources (exclusive with HandleList) */
    const D3DKMT_HANDLE    *HandleList;         /* in: allocations (exclusive with pResources) */
    union
    {
        BOOL                   *pDiscarded;     /* out, optional: TRUE where content was lost */
        D3DDDI_RECLAIM_RESULT  *pResults;       /* out: detailed result per entry */
    };
    UINT64                  PagingFenceValue;   /* out: paging fence to wait for before GPU use */
} D3DKMT_RECLAIMALLOCATIONS2;

/* Budget group a memory segment counts against. */
typedef enum _D3DKMT_MEMORY_SEGMENT_GROUP
{
    D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL     = 0,  /* fastest memory for the GPU */
    D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL = 1,  /* everything else the GPU can reach */
} D3DKMT_MEMORY_SEGMENT_GROUP;

/* Argument of D3DKMTQueryVideoMemoryInfo. */
typedef struct _D3DKMT_QUERYVIDEOMEMORYINFO
{
    HANDLE                      hProcess;                   /* in, optional: process to query, NULL = self */
    D3DKMT_HANDLE               hAdapter;                   /* in: adapter to query */
    D3DKMT_MEMORY_SEGMENT_GROUP MemorySegmentGroup;         /* in: group to report */
    UINT64                      Budget;                     /* out: memory the process should stay within */
    UINT64                      CurrentUsage;               /* out: memory the process uses now */
    UINT64                      CurrentReservation;         /* out: memory the process has reserved */
    UINT64                      AvailableForReservation;    /* out: memory the process may reserve */
    UINT                        PhysicalAdapterIndex;       /* in: node of a linked adapter */
} D3DKMT_QUERYVIDEOMEMORYINFO;

/* ------------------------------------------------------------------------ */
/* VidPN source ownership                                                    */
/* ------------------------------------------------------------------------ */

/* Kind of ownership a device asks for on a scan-out. */
typedef enum _D3DKMT_VIDPNSOURCEOWNER_TYPE
{
    D3DKMT_VIDPNSOURCEOWNER_UNOWNED      = 0,   /* release (GDI owns it) */
    D3DKMT_VIDPNSOURCEOWNER_SHARED       = 1,   /* yields to any exclusive owner */
    D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE    = 2,   /* exclusive, no shared GDI primary */
    D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVEGDI = 3,   /* exclusive with shared GDI primary (legacy) */
    D3DKMT_VIDPNSOURCEOWNER_EMULATED     = 4,   /* no real ownership, gamma control only */
} D3DKMT_VIDPNSOURCEOWNER_TYPE;

/* Argument of D3DKMTSetVidPnSourceOwner. */
typedef struct _D3DKMT_SETVIDPNSOURCEOWNER
{
    D3DKMT_HANDLE                           hDevice;            /* in: requesting device */
    const D3DKMT_VIDPNSOURCEOWNER_TYPE     *pType;              /* in: ownership kind per source */
    const D3DDDI_VIDEO_PRESENT_SOURCE_ID   *pVidPnSourceId;     /* in: sources concerned */
    UINT                                    VidPnSourceCount;   /* in: entries in both arrays */
} D3DKMT_SETVIDPNSOURCEOWNER;

/* Argument of D3DKMTCheckVidPnExclusiveOwnership. */
typedef struct _D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP
{
    D3DKMT_HANDLE                   hAdapter;       /* in: adapter */
    D3DDDI_VIDEO_PRESENT_SOURCE_ID  VidPnSourceId;  /* in: source to check */
} D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP;

/* ------------------------------------------------------------------------ */
/* Present queue limits and statistics (passed on to Wine's own thunks)     */
/* ------------------------------------------------------------------------ */

/* What D3DKMTSetQueuedLimit does. */
typedef enum _D3DKMT_QUEUEDLIMIT_TYPE
{
    D3DKMT_SET_QUEUEDLIMIT_PRESENT = 1,     /* set QueuedPresentLimit */
    D3DKMT_GET_QUEUEDLIMIT_PRESENT = 2,     /* read it back into QueuedPresentLimit */
} D3DKMT_QUEUEDLIMIT_TYPE;

/* Argument of D3DKMTSetQueuedLimit. */
typedef struct _D3DKMT_SETQUEUEDLIMIT
{
    D3DKMT_HANDLE               hDevice;                    /* in: device */
    D3DKMT_QUEUEDLIMIT_TYPE     Type;                       /* in: set or get */
    union
    {
        UINT                    QueuedPresentLimit;         /* in (set) or out (get): presents in flight */
        struct
        {
            D3DDDI_VIDEO_PRESENT_SOURCE_ID VidPnSourceId;   /* in: scan-out concerned */
            UINT                QueuedPendingFlipLimit;     /* in: flips in flight on it */
        };
    };
} D3DKMT_SETQUEUEDLIMIT;

/* D3DKMTQueryStatistics.  It names the adapter by LUID, never by handle.
 * Only the result members this module can fill are spelled out; the result
 * union keeps the Windows size (776 bytes on both architectures, every
 * member 8-byte aligned) through its Raw member. */
typedef enum _D3DKMT_QUERYSTATISTICS_TYPE
{
    D3DKMT_QUERYSTATISTICS_ADAPTER                = 0,
    D3DKMT_QUERYSTATISTICS_PROCESS                = 1,
    D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER        = 2,
    D3DKMT_QUERYSTATISTICS_SEGMENT                = 3,
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT        = 4,
    D3DKMT_QUERYSTATISTICS_NODE                   = 5,
    D3DKMT_QUERYSTATISTICS_PROCESS_NODE           = 6,
    D3DKMT_QUERYSTATISTICS_VIDPNSOURCE            = 7,
    D3DKMT_QUERYSTATISTICS_PROCESS_VIDPNSOURCE    = 8,
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP  = 9,
    D3DKMT_QUERYSTATISTICS_PHYSICAL_ADAPTER       = 10,
    D3DKMT_QUERYSTATISTICS_ADAPTER2               = 11,
    D3DKMT_QUERYSTATISTICS_SEGMENT2               = 12,
    D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER2       = 13,
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT2       = 14,
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP2 = 15,
    D3DKMT_QUERYSTATISTICS_SEGMENT_USAGE          = 16,
    D3DKMT_QUERYSTATISTICS_SEGMENT_GROUP_USAGE    = 17,
    D3DKMT_QUERYSTATISTICS_NODE2                  = 18,
    D3DKMT_QUERYSTATISTICS_PROCESS_NODE2          = 19,
} D3DKMT_QUERYSTATISTICS_TYPE;

/* Priority classes and segment preferences the counters are split by. */
#define D3DKMT_QUERYSTATISTICS_PRIORITY_CLASSES     5
#define D3DKMT_QUERYSTATISTICS_SEGMENT_PREFERENCE_MAX 5

/* A count of events and the bytes they moved. */
typedef struct _D3DKMT_QUERYSTATISTICS_COUNTER
{
    ULONG     Count;
    ULONGLONG Bytes;
} D3DKMT_QUERYSTATISTICS_COUNTER;

typedef struct _D3DKMT_QUERYSTATISTICS_MEMORY
{
    ULONGLONG TotalBytesEvicted;
    ULONG     AllocsCommitted;
    ULONG     AllocsResident;
} D3DKMT_QUERYSTATISTICS_MEMORY;

/* QUERYSTATISTICS_SEGMENT: one segment of the adapter. */
typedef struct _D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION
{
    ULONGLONG CommitLimit;          /* the segment's size */
    ULONGLONG BytesCommitted;
    ULONGLONG BytesResident;
    D3DKMT_QUERYSTATISTICS_MEMORY Memory;
    ULONG     Aperture;             /* 1: system memory seen through an aperture */
    ULONGLONG TotalBytesEvictedByPriority[D3DKMT_QUERYSTATISTICS_PRIORITY_CLASSES];
    ULONGLONG SystemMemoryEndAddress;
    ULONGLONG PowerFlags;           /* bit 0 kept over standby, 1 over hibernation */
    ULONGLONG SegmentProperties;    /* bit 0 system memory, bits 2-5 type, 6-7 group */
    ULONGLONG Reserved[5];
} D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION;

typedef struct _D3DKMT_QUERYSTATISTICS_VIDEO_MEMORY
{
    ULONG AllocsCommitted;
    D3DKMT_QUERYSTATISTICS_COUNTER AllocsResidentInP[D3DKMT_QUERYSTATISTICS_SEGMENT_PREFERENCE_MAX];
    D3DKMT_QUERYSTATISTICS_COUNTER AllocsResidentInNonPreferred;
    ULONGLONG TotalBytesEvictedDueToPreparation;
} D3DKMT_QUERYSTATISTICS_VIDEO_MEMORY;

/* QUERYSTATISTICS_PROCESS_SEGMENT: one process' part of one segment. */
typedef struct _D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION
{
    ULONGLONG BytesCommitted;
    ULONGLONG MaximumWorkingSet;
    ULONGLONG MinimumWorkingSet;
    ULONG     NbReferencedAllocationEvictedInPeriod;
    UINT      Padding;
    D3DKMT_QUERYSTATISTICS_VIDEO_MEMORY VideoMemory;
    ULONGLONG UseMRU;               /* the segment policy */
    ULONGLONG Reserved[8];
} D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION;

/* System memory a process holds for the graphics kernel. */
typedef struct _D3DKMT_QUERYSTATISTICS_SYSTEM_MEMORY
{
    ULONGLONG BytesAllocated;
    ULONGLONG BytesReserved;
    ULONG     SmallAllocationBlocks;
    ULONG     LargeAllocationBlocks;
    ULONGLONG WriteCombinedBytesAllocated;
    ULONGLONG WriteCombinedBytesReserved;
    ULONGLONG CachedBytesAllocated;
    ULONGLONG CachedBytesReserved;
    ULONGLONG SectionBytesAllocated;
    ULONGLONG SectionBytesReserved;
    ULONGLONG BytesZeroed;
    ULONGLONG Reserved;
} D3DKMT_QUERYSTATISTICS_SYSTEM_MEMORY;

/* QUERYSTATISTICS_PROCESS: one process, whole. */
typedef struct _D3DKMT_QUERYSTATISTICS_PROCESS_INFORMATION
{
    ULONG NodeCount;
    ULONG VidPnSourceCount;
    D3DKMT_QUERYSTATISTICS_SYSTEM_MEMORY SystemMemory;
    ULONGLONG Reserved[7];
} D3DKMT_QUERYSTATISTICS_PROCESS_INFORMATION;

/* QUERYSTATISTICS_ADAPTER: the adapter's leading counts.  Windows' struct
 * goes on with DMA-buffer, paging and lock counters a GPU scheduler keeps;
 * this module has none of them, so they read zero (in Raw below). */
typedef struct _D3DKMT_QUERYSTATISTICS_ADAPTER_INFORMATION_HEAD
{
    ULONG NbSegments;
    ULONG NodeCount;
    ULONG VidPnSourceCount;
    ULONG VSyncEnabled;
    ULONG TdrDetectedCount;
} D3DKMT_QUERYSTATISTICS_ADAPTER_INFORMATION_HEAD;

/* QUERYSTATISTICS_PROCESS_ADAPTER: one process on one adapter, leading
 * counts (the DMA-buffer and policy counters that follow read zero). */
typedef struct _D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER_INFORMATION_HEAD
{
    ULONG NbSegments;
    ULONG NodeCount;
    ULONG VidPnSourceCount;
    ULONG VirtualMemoryUsage;
} D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER_INFORMATION_HEAD;

/* QUERYSTATISTICS_PROCESS_SEGMENT_GROUP: what QueryVideoMemoryInfo tells
 * about one process and one segment group. */
#define D3DKMT_QUERYSTATISTICS_ALLOCATION_PRIORITY_CLASS_MAX 5
typedef struct _D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION
{
    ULONGLONG Budget;
    ULONGLONG Requested;
    ULONGLONG Usage;
    ULONGLONG Demoted[D3DKMT_QUERYSTATISTICS_ALLOCATION_PRIORITY_CLASS_MAX];
} D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION;

typedef union _D3DKMT_QUERYSTATISTICS_RESULT
{
    D3DKMT_QUERYSTATISTICS_ADAPTER_INFORMATION_HEAD          AdapterInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_INFORMATION               ProcessInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER_INFORMATION_HEAD  ProcessAdapterInformation;
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION               SegmentInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION       ProcessSegmentInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION ProcessSegmentGroupInformation;
    /* Node and VidPN source results: not spelled out here; this keeps the
     * union at the Windows size. */
    ULONGLONG Raw[97];
} D3DKMT_QUERYSTATISTICS_RESULT;

typedef struct _D3DKMT_QUERYSTATISTICS
{
    D3DKMT_QUERYSTATISTICS_TYPE   Type;
    LUID                          AdapterLuid;
    HANDLE                        hProcess;       /* NULL: the calling process */
    D3DKMT_QUERYSTATISTICS_RESULT QueryResult;    /* out */
    union
    {
        ULONG SegmentId;                          /* SEGMENT, PROCESS_SEGMENT */
        ULONG SegmentGroup;                       /* PROCESS_SEGMENT_GROUP: D3DKMT_MEMORY_SEGMENT_GROUP */
        ULONG NodeId;                             /* NODE, PROCESS_NODE */
        ULONG VidPnSourceId;                      /* VIDPNSOURCE, PROCESS_VIDPNSOURCE */
        ULONG Query;                              /* the other types' 32-bit argument */
    };
} D3DKMT_QUERYSTATISTICS;

/* ------------------------------------------------------------------------ */
/* Synchronization objects and keyed mutexes                                 */
/* ------------------------------------------------------------------------ */

/* Argument of D3DKMTCreateSynchronizationObject. */
typedef struct _D3DKMT_CREATESYNCHRONIZATIONOBJECT
{
    D3DKMT_HANDLE                    hDevice;       /* in */
    D3DDDI_SYNCHRONIZATIONOBJECTINFO Info;          /* in */
    D3DKMT_HANDLE                    hSyncObject;   /* out */
} D3DKMT_CREATESYNCHRONIZATIONOBJECT;

/* Argument of D3DKMTCreateSynchronizationObject2. */
typedef struct _D3DKMT_CREATESYNCHRONIZATIONOBJECT2
{
    D3DKMT_HANDLE                     hDevice;      /* in */
    D3DDDI_SYNCHRONIZATIONOBJECTINFO2 Info;         /* in/out */
    D3DKMT_HANDLE                     hSyncObject;  /* out */
} D3DKMT_CREATESYNCHRONIZATIONOBJECT2;

/* Argument of D3DKMTOpenSynchronizationObject. */
typedef struct _D3DKMT_OPENSYNCHRONIZATIONOBJECT
{
    D3DKMT_HANDLE hSharedHandle;                    /* in: global handle */
    D3DKMT_HANDLE hSyncObject;                      /* out: new local handle */
    UINT64        Reserved[8];
} D3DKMT_OPENSYNCHRONIZATIONOBJECT;

/* Argument of D3DKMTOpenSyncObjectFromNtHandle. */
typedef struct _D3DKMT_OPENSYNCOBJECTFROMNTHANDLE
{
    HANDLE        hNtHandle;                        /* in: from ShareObjects or by name */
    D3DKMT_HANDLE hSyncObject;                      /* out: new local handle */
} D3DKMT_OPENSYNCOBJECTFROMNTHANDLE;

/* Argument of D3DKMTOpenSyncObjectFromNtHandle2. */
typedef struct _D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2
{
    HANDLE                             hNtHandle;   /* in */
    D3DKMT_HANDLE                      hDevice;     /* in: where the object is used */
    D3DDDI_SYNCHRONIZATIONOBJECT_FLAGS Flags;       /* in: this device's use of it */
    D3DKMT_HANDLE                      hSyncObject; /* out */
    union
    {
        struct
        {
            void                  *FenceValueCPUVirtualAddress; /* out: this process' view of the value */
            D3DGPU_VIRTUAL_ADDRESS FenceValueGPUVirtualAddress; /* out */
            UINT                   EngineAffinity;              /* in */
        } MonitoredFence;
        UINT64 Reserved[8];
    };
} D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2;

/* Argument of D3DKMTOpenSyncObjectNtHandleFromName. */
typedef struct _D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME
{
    DWORD              dwDesiredAccess;             /* in */
    struct _OBJECT_ATTRIBUTES *pObjAttrib;          /* in: the name */
    HANDLE             hNtHandle;                   /* out */
} D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME;

/* Argument of D3DKMTDestroySynchronizationObject. */
typedef struct _D3DKMT_DESTROYSYNCHRONIZATIONOBJECT
{
    D3DKMT_HANDLE hSyncObject;                      /* in: local handle */
} D3DKMT_DESTROYSYNCHRONIZATIONOBJECT;

/* Argument of D3DKMTSignalSynchronizationObjectFromCpu. */
typedef struct _D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU
{
    D3DKMT_HANDLE         hDevice;                  /* in */
    UINT                  ObjectCount;              /* in: entries in both arrays */
    const D3DKMT_HANDLE  *ObjectHandleArray;        /* in: monitored fences */
    const UINT64         *FenceValueArray;          /* in: new value of each */
    D3DDDICB_SIGNALFLAGS  Flags;                    /* in */
} D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU;

/* Argument of D3DKMTWaitForSynchronizationObjectFromCpu. */
typedef struct _D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU
{
    D3DKMT_HANDLE         hDevice;                  /* in */
    UINT                  ObjectCount;              /* in: entries in both arrays */
    const D3DKMT_HANDLE  *ObjectHandleArray;        /* in: monitored fences */
    const UINT64         *FenceValueArray;          /* in: value each must reach */
    HANDLE                hAsyncEvent;              /* in: set when reached (returns at once); NULL blocks */
    D3DDDI_WAITFORSYNCHRONIZATIONOBJECTFROMCPU_FLAGS Flags; /* in */
} D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU;

/* Argument of D3DKMTCreateKeyedMutex. */
typedef struct _D3DKMT_CREATEKEYEDMUTEX
{
    UINT64        InitialValue;                     /* in: key it is released to */
    D3DKMT_HANDLE hSharedHandle;                    /* out: global handle */
    D3DKMT_HANDLE hKeyedMutex;                      /* out: local handle */
} D3DKMT_CREATEKEYEDMUTEX;

typedef struct _D3DKMT_CREATEKEYEDMUTEX2_FLAGS
{
    union
    {
        struct
        {
            UINT NtSecuritySharing : 1;             /* 0x00000001 no global handle */
            UINT Reserved          : 31;
        };
        UINT Value;
    };
} D3DKMT_CREATEKEYEDMUTEX2_FLAGS;

/* Argument of D3DKMTCreateKeyedMutex2. */
typedef struct _D3DKMT_CREATEKEYEDMUTEX2
{
    UINT64        InitialValue;                     /* in */
    D3DKMT_HANDLE hSharedHandle;                    /* out: 0 with NtSecuritySharing */
    D3DKMT_HANDLE hKeyedMutex;                      /* out */
    void         *pPrivateRuntimeData;              /* in */
    UINT          PrivateRuntimeDataSize;           /* in */
    D3DKMT_CREATEKEYEDMUTEX2_FLAGS Flags;           /* in */
} D3DKMT_CREATEKEYEDMUTEX2;

/* Argument of D3DKMTOpenKeyedMutex. */
typedef struct _D3DKMT_OPENKEYEDMUTEX
{
    D3DKMT_HANDLE hSharedHandle;                    /* in: global handle */
    D3DKMT_HANDLE hKeyedMutex;                      /* out: local handle */
} D3DKMT_OPENKEYEDMUTEX;

/* Argument of D3DKMTOpenKeyedMutex2. */
typedef struct _D3DKMT_OPENKEYEDMUTEX2
{
    D3DKMT_HANDLE hSharedHandle;                    /* in */
    D3DKMT_HANDLE hKeyedMutex;                      /* out */
    void         *pPrivateRuntimeData;              /* in: initial data if the mutex has none */
    UINT          PrivateRuntimeDataSize;           /* in */
} D3DKMT_OPENKEYEDMUTEX2;

/* Argument of D3DKMTOpenKeyedMutexFromNtHandle. */
typedef struct _D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE
{
    HANDLE        hNtHandle;                        /* in */
    D3DKMT_HANDLE hKeyedMutex;                      /* out */
    void         *pPrivateRuntimeData;              /* in: initial data if the mutex has none */
    UINT          PrivateRuntimeDataSize;           /* in */
} D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE;

/* Argument of D3DKMTDestroyKeyedMutex. */
typedef struct _D3DKMT_DESTROYKEYEDMUTEX
{
    D3DKMT_HANDLE hKeyedMutex;                      /* in */
} D3DKMT_DESTROYKEYEDMUTEX;

/* Argument of D3DKMTAcquireKeyedMutex. */
typedef struct _D3DKMT_ACQUIREKEYEDMUTEX
{
    D3DKMT_HANDLE  hKeyedMutex;                     /* in */
    UINT64         Key;                             /* in */
    LARGE_INTEGER *pTimeout;                        /* in: NT timeout, NULL waits forever */
    UINT64         FenceValue;                      /* out: from the release */
} D3DKMT_ACQUIREKEYEDMUTEX;

/* Argument of D3DKMTAcquireKeyedMutex2. */
typedef struct _D3DKMT_ACQUIREKEYEDMUTEX2
{
    D3DKMT_HANDLE  hKeyedMutex;                     /* in */
    UINT64         Key;                             /* in */
    LARGE_INTEGER *pTimeout;                        /* in */
    UINT64         FenceValue;                      /* out */
    void          *pPrivateRuntimeData;             /* out: receives the private data */
    UINT           PrivateRuntimeDataSize;          /* in: its size */
} D3DKMT_ACQUIREKEYEDMUTEX2;

/* Argument of D3DKMTReleaseKeyedMutex. */
typedef struct _D3DKMT_RELEASEKEYEDMUTEX
{
    D3DKMT_HANDLE hKeyedMutex;                      /* in */
    UINT64        Key;                              /* in: key to release to */
    UINT64        FenceValue;                       /* in: handed to the next acquirer */
} D3DKMT_RELEASEKEYEDMUTEX;

/* Argument of D3DKMTReleaseKeyedMutex2. */
typedef struct _D3DKMT_RELEASEKEYEDMUTEX2
{
    D3DKMT_HANDLE hKeyedMutex;                      /* in */
    UINT64        Key;                              /* in */
    UINT64        FenceValue;                       /* in */
    void         *pPrivateRuntimeData;              /* in: new private data */
    UINT          PrivateRuntimeDataSize;           /* in */
} D3DKMT_RELEASEKEYEDMUTEX2;

/* ------------------------------------------------------------------------ */
/* Function pointer types (for GetProcAddress users)                         */
/* ------------------------------------------------------------------------ */

typedef NTSTATUS (WINAPI *PFND3DKMT_ENUMADAPTERS2)(const D3DKMT_ENUMADAPTERS2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENADAPTERFROMLUID)(const D3DKMT_OPENADAPTERFROMLUID *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME)(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENADAPTERFROMHDC)(D3DKMT_OPENADAPTERFROMHDC *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENADAPTERFROMDEVICENAME)(D3DKMT_OPENADAPTERFROMDEVICENAME *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CLOSEADAPTER)(const D3DKMT_CLOSEADAPTER *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYADAPTERINFO)(const D3DKMT_QUERYADAPTERINFO *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEDEVICE)(D3DKMT_CREATEDEVICE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYDEVICE)(const D3DKMT_DESTROYDEVICE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_GETDEVICESTATE)(D3DKMT_GETDEVICESTATE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_MARKDEVICEASERROR)(D3DKMT_MARKDEVICEASERROR *);
typedef NTSTATUS (WINAPI *PFND3DKMT_ESCAPE)(const D3DKMT_ESCAPE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEALLOCATION)(D3DKMT_CREATEALLOCATION *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEALLOCATION2)(D3DKMT_CREATEALLOCATION *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYALLOCATION)(const D3DKMT_DESTROYALLOCATION *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYALLOCATION2)(const D3DKMT_DESTROYALLOCATION2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_LOCK)(D3DKMT_LOCK *);
typedef NTSTATUS (WINAPI *PFND3DKMT_UNLOCK)(const D3DKMT_UNLOCK *);
typedef NTSTATUS (WINAPI *PFND3DKMT_LOCK2)(D3DKMT_LOCK2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_UNLOCK2)(const D3DKMT_UNLOCK2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYRESOURCEINFO)(D3DKMT_QUERYRESOURCEINFO *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENRESOURCE)(D3DKMT_OPENRESOURCE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENRESOURCE2)(D3DKMT_OPENRESOURCE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_SHAREOBJECTS)(UINT, const D3DKMT_HANDLE *, struct _OBJECT_ATTRIBUTES *, DWORD,
                                                HANDLE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYRESOURCEINFOFROMNTHANDLE)(D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENRESOURCEFROMNTHANDLE)(D3DKMT_OPENRESOURCEFROMNTHANDLE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENNTHANDLEFROMNAME)(D3DKMT_OPENNTHANDLEFROMNAME *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEPAGINGQUEUE)(D3DKMT_CREATEPAGINGQUEUE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYPAGINGQUEUE)(D3DDDI_DESTROYPAGINGQUEUE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_MAKERESIDENT)(D3DDDI_MAKERESIDENT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_EVICT)(D3DKMT_EVICT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYALLOCATIONRESIDENCY)(const D3DKMT_QUERYALLOCATIONRESIDENCY *);
typedef NTSTATUS (WINAPI *PFND3DKMT_SETALLOCATIONPRIORITY)(const D3DKMT_SETALLOCATIONPRIORITY *);
typedef NTSTATUS (WINAPI *PFND3DKMT_GETALLOCATIONPRIORITY)(const D3DKMT_GETALLOCATIONPRIORITY *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OFFERALLOCATIONS)(const D3DKMT_OFFERALLOCATIONS *);
typedef NTSTATUS (WINAPI *PFND3DKMT_RECLAIMALLOCATIONS)(const D3DKMT_RECLAIMALLOCATIONS *);
typedef NTSTATUS (WINAPI *PFND3DKMT_RECLAIMALLOCATIONS2)(D3DKMT_RECLAIMALLOCATIONS2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYVIDEOMEMORYINFO)(D3DKMT_QUERYVIDEOMEMORYINFO *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP)(const D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP *);
typedef NTSTATUS (WINAPI *PFND3DKMT_SETVIDPNSOURCEOWNER)(const D3DKMT_SETVIDPNSOURCEOWNER *);
typedef NTSTATUS (WINAPI *PFND3DKMT_SETQUEUEDLIMIT)(const D3DKMT_SETQUEUEDLIMIT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_QUERYSTATISTICS)(const D3DKMT_QUERYSTATISTICS *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATESYNCHRONIZATIONOBJECT)(D3DKMT_CREATESYNCHRONIZATIONOBJECT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATESYNCHRONIZATIONOBJECT2)(D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENSYNCHRONIZATIONOBJECT)(D3DKMT_OPENSYNCHRONIZATIONOBJECT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYSYNCHRONIZATIONOBJECT)(const D3DKMT_DESTROYSYNCHRONIZATIONOBJECT *);
typedef NTSTATUS (WINAPI *PFND3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU)(const D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU *);
typedef NTSTATUS (WINAPI *PFND3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU)(const D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEKEYEDMUTEX)(D3DKMT_CREATEKEYEDMUTEX *);
typedef NTSTATUS (WINAPI *PFND3DKMT_CREATEKEYEDMUTEX2)(D3DKMT_CREATEKEYEDMUTEX2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENKEYEDMUTEX)(D3DKMT_OPENKEYEDMUTEX *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENKEYEDMUTEX2)(D3DKMT_OPENKEYEDMUTEX2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENKEYEDMUTEXFROMNTHANDLE)(D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENSYNCOBJECTFROMNTHANDLE)(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENSYNCOBJECTFROMNTHANDLE2)(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME)(D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME *);
typedef NTSTATUS (WINAPI *PFND3DKMT_DESTROYKEYEDMUTEX)(const D3DKMT_DESTROYKEYEDMUTEX *);
typedef NTSTATUS (WINAPI *PFND3DKMT_ACQUIREKEYEDMUTEX)(D3DKMT_ACQUIREKEYEDMUTEX *);
typedef NTSTATUS (WINAPI *PFND3DKMT_ACQUIREKEYEDMUTEX2)(D3DKMT_ACQUIREKEYEDMUTEX2 *);
typedef NTSTATUS (WINAPI *PFND3DKMT_RELEASEKEYEDMUTEX)(D3DKMT_RELEASEKEYEDMUTEX *);
typedef NTSTATUS (WINAPI *PFND3DKMT_RELEASEKEYEDMUTEX2)(D3DKMT_RELEASEKEYEDMUTEX2 *);

/* ------------------------------------------------------------------------ */
/* Exported functions                                                        */
/* ------------------------------------------------------------------------ */

#ifdef __cplusplus
extern "C" {
#endif

/* Adapters.  (EnumAdapters2, OpenAdapterFromLuid and ReclaimAllocations take
 * a const pointer as in the SDK even though outputs are written through it.) */
NTSTATUS WINAPI D3DKMTEnumAdapters2(const D3DKMT_ENUMADAPTERS2 *pData);
NTSTATUS WINAPI D3DKMTOpenAdapterFromLuid(const D3DKMT_OPENADAPTERFROMLUID *pData);
NTSTATUS WINAPI D3DKMTOpenAdapterFromGdiDisplayName(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME *pData);
NTSTATUS WINAPI D3DKMTOpenAdapterFromHdc(D3DKMT_OPENADAPTERFROMHDC *pData);
NTSTATUS WINAPI D3DKMTOpenAdapterFromDeviceName(D3DKMT_OPENADAPTERFROMDEVICENAME *pData);
NTSTATUS WINAPI D3DKMTCloseAdapter(const D3DKMT_CLOSEADAPTER *pData);
NTSTATUS WINAPI D3DKMTQueryAdapterInfo(const D3DKMT_QUERYADAPTERINFO *pData);

/* Devices. */
NTSTATUS WINAPI D3DKMTCreateDevice(D3DKMT_CREATEDEVICE *pData);
NTSTATUS WINAPI D3DKMTDestroyDevice(const D3DKMT_DESTROYDEVICE *pData);
NTSTATUS WINAPI D3DKMTGetDeviceState(D3DKMT_GETDEVICESTATE *pData);
NTSTATUS WINAPI D3DKMTMarkDeviceAsError(D3DKMT_MARKDEVICEASERROR *pData);
NTSTATUS WINAPI D3DKMTEscape(const D3DKMT_ESCAPE *pData);

/* Allocation lifetime. */
NTSTATUS WINAPI D3DKMTCreateAllocation(D3DKMT_CREATEALLOCATION *pData);
NTSTATUS WINAPI D3DKMTCreateAllocation2(D3DKMT_CREATEALLOCATION *pData);
NTSTATUS WINAPI D3DKMTDestroyAllocation(const D3DKMT_DESTROYALLOCATION *pData);
NTSTATUS WINAPI D3DKMTDestroyAllocation2(const D3DKMT_DESTROYALLOCATION2 *pData);

/* CPU access. */
NTSTATUS WINAPI D3DKMTLock(D3DKMT_LOCK *pData);
NTSTATUS WINAPI D3DKMTUnlock(const D3DKMT_UNLOCK *pData);
NTSTATUS WINAPI D3DKMTLock2(D3DKMT_LOCK2 *pData);
NTSTATUS WINAPI D3DKMTUnlock2(const D3DKMT_UNLOCK2 *pData);

/* Legacy sharing. */
NTSTATUS WINAPI D3DKMTQueryResourceInfo(D3DKMT_QUERYRESOURCEINFO *pData);
NTSTATUS WINAPI D3DKMTOpenResource(D3DKMT_OPENRESOURCE *pData);
NTSTATUS WINAPI D3DKMTOpenResource2(D3DKMT_OPENRESOURCE *pData);
NTSTATUS WINAPI D3DKMTShareObjects(UINT cObjects, const D3DKMT_HANDLE *hObjects,
                                   struct _OBJECT_ATTRIBUTES *pObjectAttributes, DWORD dwDesiredAccess,
                                   HANDLE *phSharedNtHandle);
NTSTATUS WINAPI D3DKMTQueryResourceInfoFromNtHandle(D3DKMT_QUERYRESOURCEINFOFROMNTHANDLE *pData);
NTSTATUS WINAPI D3DKMTOpenResourceFromNtHandle(D3DKMT_OPENRESOURCEFROMNTHANDLE *pData);
NTSTATUS WINAPI D3DKMTOpenNtHandleFromName(D3DKMT_OPENNTHANDLEFROMNAME *pData);

/* Residency and memory management. */
NTSTATUS WINAPI D3DKMTCreatePagingQueue(D3DKMT_CREATEPAGINGQUEUE *pData);
NTSTATUS WINAPI D3DKMTDestroyPagingQueue(D3DDDI_DESTROYPAGINGQUEUE *pData);
NTSTATUS WINAPI D3DKMTMakeResident(D3DDDI_MAKERESIDENT *pData);
NTSTATUS WINAPI D3DKMTEvict(D3DKMT_EVICT *pData);
NTSTATUS WINAPI D3DKMTQueryAllocationResidency(const D3DKMT_QUERYALLOCATIONRESIDENCY *pData);
NTSTATUS WINAPI D3DKMTSetAllocationPriority(const D3DKMT_SETALLOCATIONPRIORITY *pData);
NTSTATUS WINAPI D3DKMTGetAllocationPriority(const D3DKMT_GETALLOCATIONPRIORITY *pData);
NTSTATUS WINAPI D3DKMTOfferAllocations(const D3DKMT_OFFERALLOCATIONS *pData);
NTSTATUS WINAPI D3DKMTReclaimAllocations(const D3DKMT_RECLAIMALLOCATIONS *pData);
NTSTATUS WINAPI D3DKMTReclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2 *pData);
NTSTATUS WINAPI D3DKMTQueryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO *pData);

/* VidPN source ownership. */
NTSTATUS WINAPI D3DKMTCheckVidPnExclusiveOwnership(const D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP *pData);
NTSTATUS WINAPI D3DKMTSetVidPnSourceOwner(const D3DKMT_SETVIDPNSOURCEOWNER *pData);

/* Present queue limits and statistics.  (SetQueuedLimit takes a const
 * pointer as in the SDK even though a "get" writes the limit back.) */
NTSTATUS WINAPI D3DKMTSetQueuedLimit(const D3DKMT_SETQUEUEDLIMIT *pData);
NTSTATUS WINAPI D3DKMTQueryStatistics(const D3DKMT_QUERYSTATISTICS *pData);

/* Synchronization objects and keyed mutexes (CPU side only). */
NTSTATUS WINAPI D3DKMTCreateSynchronizationObject(D3DKMT_CREATESYNCHRONIZATIONOBJECT *pData);
NTSTATUS WINAPI D3DKMTCreateSynchronizationObject2(D3DKMT_CREATESYNCHRONIZATIONOBJECT2 *pData);
NTSTATUS WINAPI D3DKMTOpenSynchronizationObject(D3DKMT_OPENSYNCHRONIZATIONOBJECT *pData);
NTSTATUS WINAPI D3DKMTDestroySynchronizationObject(const D3DKMT_DESTROYSYNCHRONIZATIONOBJECT *pData);
NTSTATUS WINAPI D3DKMTSignalSynchronizationObjectFromCpu(const D3DKMT_SIGNALSYNCHRONIZATIONOBJECTFROMCPU *pData);
NTSTATUS WINAPI D3DKMTWaitForSynchronizationObjectFromCpu(const D3DKMT_WAITFORSYNCHRONIZATIONOBJECTFROMCPU *pData);
NTSTATUS WINAPI D3DKMTCreateKeyedMutex(D3DKMT_CREATEKEYEDMUTEX *pData);
NTSTATUS WINAPI D3DKMTCreateKeyedMutex2(D3DKMT_CREATEKEYEDMUTEX2 *pData);
NTSTATUS WINAPI D3DKMTOpenKeyedMutex(D3DKMT_OPENKEYEDMUTEX *pData);
NTSTATUS WINAPI D3DKMTOpenKeyedMutex2(D3DKMT_OPENKEYEDMUTEX2 *pData);
NTSTATUS WINAPI D3DKMTOpenKeyedMutexFromNtHandle(D3DKMT_OPENKEYEDMUTEXFROMNTHANDLE *pData);
NTSTATUS WINAPI D3DKMTOpenSyncObjectFromNtHandle(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE *pData);
NTSTATUS WINAPI D3DKMTOpenSyncObjectFromNtHandle2(D3DKMT_OPENSYNCOBJECTFROMNTHANDLE2 *pData);
NTSTATUS WINAPI D3DKMTOpenSyncObjectNtHandleFromName(D3DKMT_OPENSYNCOBJECTNTHANDLEFROMNAME *pData);
NTSTATUS WINAPI D3DKMTDestroyKeyedMutex(const D3DKMT_DESTROYKEYEDMUTEX *pData);
NTSTATUS WINAPI D3DKMTAcquireKeyedMutex(D3DKMT_ACQUIREKEYEDMUTEX *pData);
NTSTATUS WINAPI D3DKMTAcquireKeyedMutex2(D3DKMT_ACQUIREKEYEDMUTEX2 *pData);
NTSTATUS WINAPI D3DKMTReleaseKeyedMutex(D3DKMT_RELEASEKEYEDMUTEX *pData);
NTSTATUS WINAPI D3DKMTReleaseKeyedMutex2(D3DKMT_RELEASEKEYEDMUTEX2 *pData);

#ifdef __cplusplus
}
#endif

#endif /* _D3DKMTHK_H_ */
