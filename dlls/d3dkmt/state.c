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
 * Adapter information, device state and the driver escape (PE side).
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

NTSTATUS WINAPI NtGdiDdDDIEscape(const D3DKMT_ESCAPE *desc);

/* The WDDM version the module implements: MakeResident (2.0), Reclaim
 * results (2.1), GetAllocationPriority (2.2). */
#define DRIVER_VERSION KMT_DRIVERVERSION_WDDM_2_2

/* What QueryAdapterInfo answers: per type, the exact struct size and how to
 * fill it from the adapter.  The caller's bytes are read in first, because
 * some types take inputs (PhysicalAdapterIndex). */
union adapter_info_data
{
    D3DKMT_SEGMENTSIZEINFO segment_size;
    D3DKMT_SEGMENTGROUPSIZEINFO group_size;
    D3DKMT_DRIVERVERSION version;
    D3DKMT_ADAPTERTYPE type;
    D3DKMT_WDDM_2_0_CAPS caps20;
    D3DKMT_PHYSICAL_ADAPTER_COUNT physical;
    D3DKMT_VIRTUALADDRESSINFO va;
    D3DKMT_QUERY_GPUMMU_CAPS gpummu;
    BOOL update;
};

typedef NTSTATUS (*adapter_info_fill)(union adapter_info_data *out, const struct vidmm_adapter_info *info);

static NTSTATUS fill_segment_size(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    /* Video memory is dedicated; the non-local segment is shared system memory. */
    out->segment_size.DedicatedVideoMemorySize = info->local_size;
    out->segment_size.DedicatedSystemMemorySize = 0;
    out->segment_size.SharedSystemMemorySize = info->nonlocal_size;
    return STATUS_SUCCESS;
}

static NTSTATUS fill_group_size(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    if (out->group_size.PhysicalAdapterIndex) return STATUS_INVALID_PARAMETER;
    memset(&out->group_size.LegacyInfo, 0, sizeof(out->group_size.LegacyInfo));
    out->group_size.LegacyInfo.DedicatedVideoMemorySize = info->local_size;
    out->group_size.LegacyInfo.SharedSystemMemorySize = info->nonlocal_size;
    out->group_size.LocalMemory = info->local_size;
    out->group_size.NonLocalMemory = info->nonlocal_size;
    out->group_size.NonBudgetMemory = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS fill_version(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    out->version = DRIVER_VERSION;
    return STATUS_SUCCESS;
}

static NTSTATUS fill_type(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    out->type.Value = 0;
    out->type.RenderSupported = 1;
    out->type.DisplaySupported = 1;
    return STATUS_SUCCESS;
}

static NTSTATUS fill_caps20(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    out->caps20.Value = 0;   /* no GPU MMU or IOMMU model: no GPU virtual addresses */
    return STATUS_SUCCESS;
}

static NTSTATUS fill_physical(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    out->physical.Count = 1;
    return STATUS_SUCCESS;
}

static NTSTATUS fill_va(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    memset(&out->va, 0, sizeof(out->va));
    return STATUS_SUCCESS;
}

static NTSTATUS fill_gpummu(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    if (out->gpummu.PhysicalAdapterIndex) return STATUS_INVALID_PARAMETER;
    memset(&out->gpummu.Caps, 0, sizeof(out->gpummu.Caps));
    return STATUS_SUCCESS;
}

static NTSTATUS fill_update(union adapter_info_data *out, const struct vidmm_adapter_info *info)
{
    out->update = FALSE;
    return STATUS_SUCCESS;
}

static const struct
{
    KMTQUERYADAPTERINFOTYPE type;
    SIZE_T size;
    adapter_info_fill fill;
}
adapter_info_types[] =
{
    { KMTQAITYPE_GETSEGMENTSIZE,          sizeof(D3DKMT_SEGMENTSIZEINFO),        fill_segment_size },
    { KMTQAITYPE_GETSEGMENTGROUPSIZE,     sizeof(D3DKMT_SEGMENTGROUPSIZEINFO),   fill_group_size },
    { KMTQAITYPE_DRIVERVERSION,           sizeof(D3DKMT_DRIVERVERSION),          fill_version },
    { KMTQAITYPE_ADAPTERTYPE,             sizeof(D3DKMT_ADAPTERTYPE),            fill_type },
    { KMTQAITYPE_WDDM_2_0_CAPS,           sizeof(D3DKMT_WDDM_2_0_CAPS),          fill_caps20 },
    { KMTQAITYPE_PHYSICALADAPTERCOUNT,    sizeof(D3DKMT_PHYSICAL_ADAPTER_COUNT), fill_physical },
    { KMTQAITYPE_VIRTUALADDRESSINFO,      sizeof(D3DKMT_VIRTUALADDRESSINFO),     fill_va },
    { KMTQAITYPE_QUERY_GPUMMU_CAPS,       sizeof(D3DKMT_QUERY_GPUMMU_CAPS),      fill_gpummu },
    { KMTQAITYPE_CHECKDRIVERUPDATESTATUS, sizeof(BOOL),                          fill_update },
};

/******************************************************************************
 *           D3DKMTQueryAdapterInfo    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryAdapterInfo(const D3DKMT_QUERYADAPTERINFO *desc)
{
    struct d3dkmt_query_adapter_params adapter = {0};
    union adapter_info_data out;
    D3DKMT_QUERYADAPTERINFO copy;
    NTSTATUS status;
    SIZE_T size;
    UINT i;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    TRACE("adapter %#x type %u data %p size %u\n", copy.hAdapter, copy.Type, copy.pPrivateDriverData,
          copy.PrivateDriverDataSize);
    for (i = 0; i < ARRAY_SIZE(adapter_info_types); i++) if (adapter_info_types[i].type == copy.Type) break;
    if (i == ARRAY_SIZE(adapter_info_types))
    {
        FIXME("type %u not supported\n", copy.Type);
        return STATUS_INVALID_PARAMETER;
    }
    /* The buffer must be exactly the type's struct. */
    size = adapter_info_types[i].size;
    if (!copy.pPrivateDriverData || copy.PrivateDriverDataSize != size) return STATUS_INVALID_PARAMETER;
    memset(&out, 0, sizeof(out));
    if (!d3dkmt_copy_from_user(&out, copy.pPrivateDriverData, size)) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(copy.pPrivateDriverData, size)) return STATUS_ACCESS_VIOLATION;

    adapter.handle = copy.hAdapter;
    if ((status = d3dkmt_unix_call(unix_query_adapter, &adapter))) return status;
    if (adapter.info.removed) return STATUS_DEVICE_REMOVED;
    if ((status = adapter_info_types[i].fill(&out, &adapter.info))) return status;
    d3dkmt_copy_to_user(copy.pPrivateDriverData, &out, size);
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTGetDeviceState    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTGetDeviceState(D3DKMT_GETDEVICESTATE *desc)
{
    struct d3dkmt_device_state_params params = {0};
    D3DKMT_GETDEVICESTATE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    if (copy.StateType < D3DKMT_DEVICESTATE_EXECUTION || copy.StateType > D3DKMT_DEVICESTATE_PRESENT_QUEUE)
        return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    params.device = copy.hDevice;
    if ((status = d3dkmt_unix_call(unix_device_state, &params))) return status;
    if (copy.StateType == D3DKMT_DEVICESTATE_EXECUTION) copy.ExecutionState = params.state;
    else
    {
        /* Nothing is presented through this module and there is no GPU to
         * fault: the other states are all zeros, except the present states'
         * VidPnSourceId (their first field), which is an input. */
        D3DDDI_VIDEO_PRESENT_SOURCE_ID source = copy.PresentState.VidPnSourceId;
        BOOL present = copy.StateType == D3DKMT_DEVICESTATE_PRESENT || copy.StateType == D3DKMT_DEVICESTATE_PRESENT_DWM
                       || copy.StateType == D3DKMT_DEVICESTATE_PRESENT_QUEUE;

        memset(&copy.PresentState, 0, sizeof(copy) - offsetof(D3DKMT_GETDEVICESTATE, PresentState));
        if (present) copy.PresentState.VidPnSourceId = source;
    }
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTMarkDeviceAsError    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTMarkDeviceAsError(D3DKMT_MARKDEVICEASERROR *desc)
{
    struct d3dkmt_device_state_params params = {0};
    D3DKMT_MARKDEVICEASERROR copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    params.device = copy.hDevice;
    params.mark_error = 1;
    params.reason = copy.Reason;
    return d3dkmt_unix_call(unix_device_state, &params);
}

/* Wine's escape, with a copy of the payload: a bad caller pointer is a
 * status here, never a fault in Wine. */
static NTSTATUS host_escape(D3DKMT_ESCAPE *copy)
{
    void *data = NULL, *user = copy->pPrivateDriverData;
    NTSTATUS status;

    if (user && copy->PrivateDriverDataSize)
    {
        if (copy->PrivateDriverDataSize > D3DKMT_WINE_MAX_PRIVATE_DATA) return STATUS_INVALID_PARAMETER;
        if (!(data = d3dkmt_alloc(copy->PrivateDriverDataSize))) return STATUS_NO_MEMORY;
        if (!d3dkmt_copy_from_user(data, user, copy->PrivateDriverDataSize)
            || !d3dkmt_probe_for_write(user, copy->PrivateDriverDataSize))
        {
            d3dkmt_free(data);
            return STATUS_ACCESS_VIOLATION;
        }
        copy->pPrivateDriverData = data;
    }
    status = NtGdiDdDDIEscape(copy);
    if (data) d3dkmt_copy_to_user(user, data, copy->PrivateDriverDataSize);
    d3dkmt_free(data);
    return status;
}

/******************************************************************************
 *           D3DKMTEscape    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTEscape(const D3DKMT_ESCAPE *desc)
{
    struct vidmm_escape_args args = {0};
    D3DKMT_WINE_ESCAPE escape;
    D3DKMT_ESCAPE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    TRACE("adapter %#x device %#x type %u data %p size %u\n", copy.hAdapter, copy.hDevice, copy.Type,
          copy.pPrivateDriverData, copy.PrivateDriverDataSize);
    if (!copy.hAdapter) return STATUS_INVALID_PARAMETER;

    if (copy.Type != D3DKMT_ESCAPE_DRIVERPRIVATE)
    {
        /* Not for our driver: Wine's own implementation, with Wine's handles. */
        if ((status = d3dkmt_host_adapter(copy.hAdapter, &copy.hAdapter))) return status;
        if (copy.hDevice && (status = d3dkmt_host_device(copy.hDevice, &copy.hDevice))) return status;
        return host_escape(&copy);
    }

    if (copy.pPrivateDriverData && copy.PrivateDriverDataSize == sizeof(D3DKMT_WINE_STATISTICS))
        return d3dkmt_statistics_escape(&copy);
    if (!copy.pPrivateDriverData || copy.PrivateDriverDataSize != sizeof(escape)) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_copy_from_user(&escape, copy.pPrivateDriverData, sizeof(escape))) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(copy.pPrivateDriverData, sizeof(escape))) return STATUS_ACCESS_VIOLATION;
    args.adapter = copy.hAdapter;
    args.device = copy.hDevice;
    args.data = ptr_to_u64(&escape);
    args.size = sizeof(escape);
    if ((status = d3dkmt_unix_call(unix_escape, &args))) return status;
    d3dkmt_copy_to_user(copy.pPrivateDriverData, &escape, sizeof(escape));
    return STATUS_SUCCESS;
}
