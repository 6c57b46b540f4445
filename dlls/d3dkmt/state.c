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

/******************************************************************************
 *           D3DKMTQueryAdapterInfo    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryAdapterInfo(const D3DKMT_QUERYADAPTERINFO *desc)
{
    struct d3dkmt_query_adapter_params adapter = {0};
    union
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
    } out;
    D3DKMT_QUERYADAPTERINFO copy;
    SIZE_T size;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    TRACE("adapter %#x type %u data %p size %u\n", copy.hAdapter, copy.Type, copy.pPrivateDriverData,
          copy.PrivateDriverDataSize);
    switch (copy.Type)
    {
    case KMTQAITYPE_GETSEGMENTSIZE: size = sizeof(out.segment_size); break;
    case KMTQAITYPE_GETSEGMENTGROUPSIZE: size = sizeof(out.group_size); break;
    case KMTQAITYPE_DRIVERVERSION: size = sizeof(out.version); break;
    case KMTQAITYPE_ADAPTERTYPE: size = sizeof(out.type); break;
    case KMTQAITYPE_WDDM_2_0_CAPS: size = sizeof(out.caps20); break;
    case KMTQAITYPE_PHYSICALADAPTERCOUNT: size = sizeof(out.physical); break;
    case KMTQAITYPE_VIRTUALADDRESSINFO: size = sizeof(out.va); break;
    case KMTQAITYPE_QUERY_GPUMMU_CAPS: size = sizeof(out.gpummu); break;
    case KMTQAITYPE_CHECKDRIVERUPDATESTATUS: size = sizeof(out.update); break;
    default:
        FIXME("type %u not supported\n", copy.Type);
        return STATUS_INVALID_PARAMETER;
    }
    /* The buffer must be exactly the type's struct. */
    if (!copy.pPrivateDriverData || copy.PrivateDriverDataSize != size) return STATUS_INVALID_PARAMETER;
    memset(&out, 0, sizeof(out));
    if (!d3dkmt_copy_from_user(&out, copy.pPrivateDriverData, size)) return STATUS_ACCESS_VIOLATION;
    if (!d3dkmt_probe_for_write(copy.pPrivateDriverData, size)) return STATUS_ACCESS_VIOLATION;

    adapter.handle = copy.hAdapter;
    if ((status = d3dkmt_unix_call(unix_query_adapter, &adapter))) return status;
    if (adapter.info.removed) return STATUS_DEVICE_REMOVED;

    switch (copy.Type)
    {
    case KMTQAITYPE_GETSEGMENTSIZE:
        /* Video memory is dedicated; the non-local segment is shared system memory. */
        out.segment_size.DedicatedVideoMemorySize = adapter.info.local_size;
        out.segment_size.DedicatedSystemMemorySize = 0;
        out.segment_size.SharedSystemMemorySize = adapter.info.nonlocal_size;
        break;
    case KMTQAITYPE_GETSEGMENTGROUPSIZE:
        if (out.group_size.PhysicalAdapterIndex) return STATUS_INVALID_PARAMETER;
        memset(&out.group_size.LegacyInfo, 0, sizeof(out.group_size.LegacyInfo));
        out.group_size.LegacyInfo.DedicatedVideoMemorySize = adapter.info.local_size;
        out.group_size.LegacyInfo.SharedSystemMemorySize = adapter.info.nonlocal_size;
        out.group_size.LocalMemory = adapter.info.local_size;
        out.group_size.NonLocalMemory = adapter.info.nonlocal_size;
        out.group_size.NonBudgetMemory = 0;
        break;
    case KMTQAITYPE_DRIVERVERSION:
        out.version = DRIVER_VERSION;
        break;
    case KMTQAITYPE_ADAPTERTYPE:
        out.type.Value = 0;
        out.type.RenderSupported = 1;
        out.type.DisplaySupported = 1;
        break;
    case KMTQAITYPE_WDDM_2_0_CAPS:
        out.caps20.Value = 0;   /* no GPU MMU or IOMMU model: no GPU virtual addresses */
        break;
    case KMTQAITYPE_PHYSICALADAPTERCOUNT:
        out.physical.Count = 1;
        break;
    case KMTQAITYPE_VIRTUALADDRESSINFO:
        memset(&out.va, 0, sizeof(out.va));
        break;
    case KMTQAITYPE_QUERY_GPUMMU_CAPS:
        if (out.gpummu.PhysicalAdapterIndex) return STATUS_INVALID_PARAMETER;
        memset(&out.gpummu.Caps, 0, sizeof(out.gpummu.Caps));
        break;
    case KMTQAITYPE_CHECKDRIVERUPDATESTATUS:
        out.update = FALSE;
        break;
    default:
        break;
    }
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
