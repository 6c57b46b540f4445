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
 * Adapters, devices and video memory information (PE side).
 *
 * Adapter facts come from the display device data Wine's win32u keeps in the
 * registry (the same data Wine's gdi32 reads), never from a gdi32 D3DKMT
 * export, so gdi32 can forward to this module without recursion.
 */
#include <stdlib.h>
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

#define MAX_SOURCES 32

struct display_source
{
    LUID luid;
    BOOL attached;
    WCHAR gpu_id[MAX_PATH];   /* device instance of the GPU, e.g. PCI\VEN_...\0000 */
};

/* Display sources in VidPnSourceId order: \Device\VideoN is \\.\DISPLAY(N+1). */
static UINT enum_display_sources(struct display_source *sources, UINT max)
{
    static const WCHAR prefix[] = L"\\Registry\\Machine\\";
    WCHAR value_name[32], path[MAX_PATH], gpu_id[MAX_PATH], luid_key[2 * MAX_PATH];
    DWORD size, state_flags, type;
    UINT count = 0;
    HKEY key;

    for (count = 0; count < max; count++)
    {
        struct display_source *source = &sources[count];

        _snwprintf(value_name, ARRAY_SIZE(value_name) - 1, L"\\Device\\Video%u", count);
        size = sizeof(path);
        if (RegGetValueW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\VIDEO", value_name, RRF_RT_REG_SZ,
                         NULL, path, &size))
            break;
        if (_wcsnicmp(path, prefix, wcslen(prefix))) break;
        size = sizeof(state_flags);
        if (RegGetValueW(HKEY_CURRENT_CONFIG, path + wcslen(prefix), L"StateFlags", RRF_RT_REG_DWORD,
                         NULL, &state_flags, &size))
            break;
        size = sizeof(gpu_id);
        if (RegGetValueW(HKEY_CURRENT_CONFIG, path + wcslen(prefix), L"GPUID", RRF_RT_REG_SZ, NULL, gpu_id, &size))
            break;
        /* DEVPKEY_GPU_LUID of the GPU's device node. */
        _snwprintf(luid_key, ARRAY_SIZE(luid_key) - 1, L"System\\CurrentControlSet\\Enum\\%s\\Properties\\"
                 L"{60b193cb-5276-4d0f-96fc-f173abad3ec6}\\0002", gpu_id);
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, luid_key, 0, KEY_QUERY_VALUE, &key)) break;
        size = sizeof(source->luid);
        if (RegQueryValueExW(key, NULL, NULL, &type, (BYTE *)&source->luid, &size) || size != sizeof(source->luid))
        {
            RegCloseKey(key);
            break;
        }
        RegCloseKey(key);
        source->attached = !!(state_flags & DISPLAY_DEVICE_ATTACHED_TO_DESKTOP);
        lstrcpyW(source->gpu_id, gpu_id);
        TRACE("source %u: gpu %s luid %08lx:%08lx attached %d\n", count, debugstr_w(gpu_id),
              source->luid.HighPart, source->luid.LowPart, source->attached);
    }
    return count;
}

/* A 32-bit process has too little address space for the 64-bit defaults
 * (d3dkmt_driver.h). */
#ifdef _WIN64
#define DEFAULT_LOCAL_SEGMENT ((UINT64)D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB << 20)
#define MAX_NONLOCAL_SEGMENT (~(UINT64)0)
#else
#define DEFAULT_LOCAL_SEGMENT ((UINT64)D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB_32 << 20)
#define MAX_NONLOCAL_SEGMENT ((UINT64)D3DKMT_WINE_MAX_NONLOCAL_SEGMENT_MB_32 << 20)
#endif

/* wined3d's VideoMemorySize in MB, read where and in the order wined3d
 * reads it (Wine 8.0 wined3d_main.c), so that DXGI's dedicated video memory
 * and our local segment agree when it is set: the WINE_D3D_CONFIG list
 * ("name=value" separated by ',' or ';'), then
 * HKCU\Software\Wine\AppDefaults\<program>.exe\Direct3D, then
 * HKCU\Software\Wine\Direct3D (REG_SZ).  The first place that has it
 * decides; a value that is not a positive number is ignored, as wined3d
 * does.  0 when unset. */
static UINT64 wined3d_video_memory_mb(void)
{
    static const char name[] = "VideoMemorySize";
    char env[512], text[32], app[MAX_PATH], key[MAX_PATH + 64], *p, *start, *end;
    DWORD len, size;
    long value;

    len = GetEnvironmentVariableA("WINE_D3D_CONFIG", env, sizeof(env));
    if (len && len < sizeof(env))
    {
        for (start = env; start; start = end ? end + 1 : NULL)
        {
            end = strpbrk(start, ",;");
            if (strncmp(start, name, sizeof(name) - 1) || start[sizeof(name) - 1] != '=') continue;
            if (end) *end = 0;
            value = strtol(start + sizeof(name), NULL, 10);
            TRACE("WINE_D3D_CONFIG VideoMemorySize %ld\n", value);
            return value > 0 ? (UINT64)value : 0;
        }
    }
    len = GetModuleFileNameA(NULL, app, sizeof(app));
    if (len && len < sizeof(app))
    {
        p = app;
        if ((start = strrchr(p, '/'))) p = start + 1;
        if ((start = strrchr(p, '\\'))) p = start + 1;
        snprintf(key, sizeof(key), "Software\\Wine\\AppDefaults\\%s\\Direct3D", p);
        size = sizeof(text);
        if (!RegGetValueA(HKEY_CURRENT_USER, key, name, RRF_RT_REG_SZ, NULL, text, &size))
        {
            value = strtol(text, NULL, 10);
            TRACE("%s VideoMemorySize %ld\n", debugstr_a(p), value);
            return value > 0 ? (UINT64)value : 0;
        }
    }
    size = sizeof(text);
    if (!RegGetValueA(HKEY_CURRENT_USER, "Software\\Wine\\Direct3D", name, RRF_RT_REG_SZ, NULL, text, &size))
    {
        value = strtol(text, NULL, 10);
        return value > 0 ? (UINT64)value : 0;
    }
    return 0;
}

/* Local segment size in MB: our setting, Wine's Direct3D setting (as wined3d
 * reads it), the host GPU as Wine reports it (at most the default in a
 * 32-bit process), else the documented default. */
static UINT64 local_segment_size(UINT host_adapter)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    DWORD value, size;
    char env[32];
    UINT64 mb;

    if (GetEnvironmentVariableA("WINE_D3DKMT_VIDMEM_MB", env, sizeof(env)) && (value = strtoul(env, NULL, 0)))
        return (UINT64)value << 20;
    size = sizeof(value);
    if (!RegGetValueW(HKEY_CURRENT_USER, L"Software\\Wine\\D3DKMT", L"VideoMemorySizeMB", RRF_RT_REG_DWORD,
                      NULL, &value, &size) && value)
        return (UINT64)value << 20;
    if ((mb = wined3d_video_memory_mb())) return mb << 20;
    if (host_adapter)
    {
        memset(&info, 0, sizeof(info));
        info.hAdapter = host_adapter;
        info.MemorySegmentGroup = D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL;
        if (!NtGdiDdDDIQueryVideoMemoryInfo(&info) && info.Budget)
            return sizeof(void *) == 4 ? min(info.Budget, DEFAULT_LOCAL_SEGMENT) : info.Budget;
    }
    return DEFAULT_LOCAL_SEGMENT;
}

/* System memory the GPU may use through the aperture: max(RAM / 2, 64 MB),
 * at most 1 GiB in a 32-bit process. */
static UINT64 nonlocal_segment_size(void)
{
    MEMORYSTATUSEX status;
    UINT64 size = 64ull << 20;

    memset(&status, 0, sizeof(status));
    status.dwLength = sizeof(status);
    if (GlobalMemoryStatusEx(&status) && status.ullTotalPhys / 2 > size) size = status.ullTotalPhys / 2;
    return min(size, MAX_NONLOCAL_SEGMENT);
}

static BOOL WINAPI load_user32(INIT_ONCE *once, void *param, void **context)
{
    /* win32u's display driver calls back into user32, which must be loaded
     * before Wine's own D3DKMT calls (gdi32 imports it for the same reason). */
    LoadLibraryW(L"user32.dll");
    return TRUE;
}

static NTSTATUS open_adapter(LUID luid, UINT source_id, UINT source_count, D3DKMT_HANDLE *handle)
{
    struct vidmm_open_adapter_args args = {0};
    D3DKMT_OPENADAPTERFROMLUID host = {0};
    D3DKMT_CLOSEADAPTER close_host;
    NTSTATUS status;

    static INIT_ONCE user32_once = INIT_ONCE_STATIC_INIT;

    InitOnceExecuteOnce(&user32_once, load_user32, NULL, NULL);
    host.AdapterLuid = luid;
    if (NtGdiDdDDIOpenAdapterFromLuid(&host)) host.hAdapter = 0;

    args.luid = luid_to_u64(luid);
    args.local_size = local_segment_size(host.hAdapter);
    args.nonlocal_size = nonlocal_segment_size();
    args.source_id = source_id;
    args.source_count = source_count;
    args.host_handle = host.hAdapter;
    if ((status = d3dkmt_unix_call(unix_open_adapter, &args)))
    {
        if (host.hAdapter)
        {
            close_host.hAdapter = host.hAdapter;
            NtGdiDdDDICloseAdapter(&close_host);
        }
        return status;
    }
    *handle = args.handle;
    return STATUS_SUCCESS;
}

static BOOL parse_display_name(const WCHAR *name, UINT *index)
{
    static const WCHAR prefix[] = L"\\\\.\\DISPLAY";
    WCHAR *end;
    ULONG n;

    if (_wcsnicmp(name, prefix, wcslen(prefix))) return FALSE;
    name += wcslen(prefix);
    if (*name < '1' || *name > '9') return FALSE;
    n = wcstoul(name, &end, 10);
    if (*end || !n || n > MAX_SOURCES) return FALSE;
    *index = n - 1;
    return TRUE;
}

/* Opens the adapter that drives `device_name` (\\.\DISPLAYn). */
static NTSTATUS open_from_display_name(const WCHAR *device_name, D3DKMT_HANDLE *handle, LUID *luid, UINT *source)
{
    struct display_source sources[MAX_SOURCES];
    UINT index, count;
    NTSTATUS status;

    if (!parse_display_name(device_name, &index)) return STATUS_UNSUCCESSFUL;
    count = enum_display_sources(sources, ARRAY_SIZE(sources));
    if (index >= count || !sources[index].attached) return STATUS_UNSUCCESSFUL;
    if ((status = open_adapter(sources[index].luid, index, count, handle))) return status;
    *luid = sources[index].luid;
    *source = index;
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenAdapterFromGdiDisplayName    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenAdapterFromGdiDisplayName(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME *desc)
{
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    /* Windows answers STATUS_UNSUCCESSFUL to a NULL, empty or detached name. */
    if (!desc) return STATUS_UNSUCCESSFUL;
    COPY_IN(copy, desc);
    copy.DeviceName[ARRAY_SIZE(copy.DeviceName) - 1] = 0;
    TRACE("name %s\n", debugstr_w(copy.DeviceName));
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    if ((status = open_from_display_name(copy.DeviceName, &copy.hAdapter, &copy.AdapterLuid, &copy.VidPnSourceId)))
        return status;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

static BOOL same_luid(LUID a, LUID b)
{
    return a.LowPart == b.LowPart && a.HighPart == b.HighPart;
}

/* Sources driven by the GPU of source `index`. */
static UINT sources_of(const struct display_source *sources, UINT count, UINT index)
{
    UINT i, n = 0;

    for (i = 0; i < count; i++) n += same_luid(sources[i].luid, sources[index].luid);
    return n;
}

/******************************************************************************
 *           D3DKMTEnumAdapters2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTEnumAdapters2(const D3DKMT_ENUMADAPTERS2 *desc)
{
    /* Windows 10 answers a NULL array with this maximum, not the real count. */
    static const ULONG max_adapters = 32;
    struct display_source sources[MAX_SOURCES];
    D3DKMT_ADAPTERINFO infos[MAX_SOURCES];
    D3DKMT_ENUMADAPTERS2 copy;
    D3DKMT_CLOSEADAPTER close_desc;
    UINT i, j, count, adapters = 0;
    NTSTATUS status = STATUS_SUCCESS;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    /* The header says const, but NumAdapters is written. */
    if (!d3dkmt_probe_for_write((void *)desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    if (!copy.pAdapters)
    {
        copy.NumAdapters = max_adapters;
        d3dkmt_copy_to_user((void *)desc, &copy, sizeof(copy));
        return STATUS_SUCCESS;
    }
    count = enum_display_sources(sources, ARRAY_SIZE(sources));
    memset(infos, 0, sizeof(infos));
    for (i = 0; i < count; i++)
    {
        for (j = 0; j < i; j++) if (same_luid(sources[i].luid, sources[j].luid)) break;
        if (j < i) continue;  /* one entry per GPU */
        infos[adapters].AdapterLuid = sources[i].luid;
        infos[adapters].NumOfSources = sources_of(sources, count, i);
        infos[adapters++].hAdapter = i;  /* the source to open it for, until opened below */
    }
    if (copy.NumAdapters < adapters)
    {
        copy.NumAdapters = adapters;
        d3dkmt_copy_to_user((void *)desc, &copy, sizeof(copy));
        return STATUS_BUFFER_TOO_SMALL;
    }
    if (!d3dkmt_probe_for_write(copy.pAdapters, adapters * sizeof(*infos))) return STATUS_INVALID_PARAMETER;
    for (i = 0; i < adapters && !status; i++)
        status = open_adapter(infos[i].AdapterLuid, infos[i].hAdapter, count, &infos[i].hAdapter);
    if (status)
    {
        /* All or nothing: close what was opened (entries before the failed one). */
        for (j = 0; j + 1 < i; j++)
        {
            close_desc.hAdapter = infos[j].hAdapter;
            D3DKMTCloseAdapter(&close_desc);
        }
        return status;
    }
    d3dkmt_copy_to_user(copy.pAdapters, infos, adapters * sizeof(*infos));
    copy.NumAdapters = adapters;
    d3dkmt_copy_to_user((void *)desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenAdapterFromHdc    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenAdapterFromHdc(D3DKMT_OPENADAPTERFROMHDC *desc)
{
    HMONITOR (WINAPI *pMonitorFromRect)(const RECT *, DWORD);
    BOOL (WINAPI *pGetMonitorInfoW)(HMONITOR, MONITORINFO *);
    int (WINAPI *pGetDeviceCaps)(HDC, int);
    int (WINAPI *pGetClipBox)(HDC, RECT *);
    DWORD (WINAPI *pGetObjectType)(HGDIOBJ);
    D3DKMT_OPENADAPTERFROMHDC copy;
    MONITORINFOEXW monitor;
    HMONITOR first, last;
    HMODULE gdi32, user32;
    NTSTATUS status;
    RECT rect;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    /* Windows 10 2004 and later crash on NULL; fail instead. */
    COPY_IN(copy, desc);
    if (!copy.hDc) return STATUS_INVALID_PARAMETER;
    /* A program holding an HDC has gdi32 and user32 loaded; look them up
     * rather than import them, so gdi32 can forward to this module. */
    if (!(gdi32 = GetModuleHandleW(L"gdi32.dll")) || !(user32 = GetModuleHandleW(L"user32.dll")))
        return STATUS_INVALID_PARAMETER;
    pGetDeviceCaps = (void *)GetProcAddress(gdi32, "GetDeviceCaps");
    pGetClipBox = (void *)GetProcAddress(gdi32, "GetClipBox");
    pGetObjectType = (void *)GetProcAddress(gdi32, "GetObjectType");
    pMonitorFromRect = (void *)GetProcAddress(user32, "MonitorFromRect");
    pGetMonitorInfoW = (void *)GetProcAddress(user32, "GetMonitorInfoW");
    if (!pGetDeviceCaps || !pGetClipBox || !pGetObjectType || !pMonitorFromRect || !pGetMonitorInfoW)
        return STATUS_INVALID_PARAMETER;
    /* A display DC: memory and metafile DCs name no display. */
    if (pGetObjectType(copy.hDc) != OBJ_DC) return STATUS_INVALID_PARAMETER;
    if (pGetDeviceCaps(copy.hDc, TECHNOLOGY) != DT_RASDISPLAY) return STATUS_INVALID_PARAMETER;
    if (pGetClipBox(copy.hDc, &rect) == ERROR) return STATUS_INVALID_PARAMETER;
    /* The DC must lie on one display (a screen DC spanning several is refused). */
    first = pMonitorFromRect(&(RECT){rect.left, rect.top, rect.left + 1, rect.top + 1}, MONITOR_DEFAULTTOPRIMARY);
    last = pMonitorFromRect(&(RECT){rect.right - 1, rect.bottom - 1, rect.right, rect.bottom}, MONITOR_DEFAULTTOPRIMARY);
    if (first != last) return STATUS_INVALID_PARAMETER;
    memset(&monitor, 0, sizeof(monitor));
    monitor.cbSize = sizeof(monitor);
    if (!pGetMonitorInfoW(first, (MONITORINFO *)&monitor)) return STATUS_INVALID_PARAMETER;
    TRACE("monitor %s\n", debugstr_w(monitor.szDevice));
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    if ((status = open_from_display_name(monitor.szDevice, &copy.hAdapter, &copy.AdapterLuid, &copy.VidPnSourceId)))
        return status == STATUS_UNSUCCESSFUL ? STATUS_INVALID_PARAMETER : status;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/* Whether a device interface path (\\?\PCI#VEN_...#0000#{guid}) names this
 * GPU.  Windows opens GUID_DISPLAY_DEVICE_ARRIVAL paths only: the same
 * device's GUID_DEVINTERFACE_DISPLAY_ADAPTER path is refused. */
static BOOL device_name_matches(const WCHAR *name, const WCHAR *gpu_id)
{
    static const WCHAR arrival[] = L"#{1ca05180-a699-450a-9a0c-de4fbe3ddd89}";
    WCHAR instance[MAX_PATH], *p;
    size_t len;

    if (!_wcsnicmp(name, L"\\\\?\\", 4)) name += 4;
    lstrcpynW(instance, name, ARRAY_SIZE(instance));
    len = wcslen(instance);
    if (len <= wcslen(arrival) || _wcsicmp(instance + len - wcslen(arrival), arrival)) return FALSE;
    instance[len - wcslen(arrival)] = 0;
    for (p = instance; *p; p++) if (*p == '#') *p = '\\';
    return !_wcsicmp(instance, gpu_id);
}

/******************************************************************************
 *           D3DKMTOpenAdapterFromDeviceName    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenAdapterFromDeviceName(D3DKMT_OPENADAPTERFROMDEVICENAME *desc)
{
    struct display_source sources[MAX_SOURCES];
    D3DKMT_OPENADAPTERFROMDEVICENAME copy;
    WCHAR name[MAX_PATH];
    UINT i, count;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    if (!copy.pDeviceName) return STATUS_INVALID_PARAMETER;
    memset(name, 0, sizeof(name));
    /* Read the name one character at a time: it may end near unmapped memory. */
    for (i = 0; i < ARRAY_SIZE(name) - 1; i++)
    {
        if (!d3dkmt_copy_from_user(&name[i], copy.pDeviceName + i, sizeof(WCHAR))) return STATUS_ACCESS_VIOLATION;
        if (!name[i]) break;
    }
    TRACE("name %s\n", debugstr_w(name));
    count = enum_display_sources(sources, ARRAY_SIZE(sources));
    for (i = 0; i < count; i++) if (device_name_matches(name, sources[i].gpu_id)) break;
    if (i == count) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    if ((status = open_adapter(sources[i].luid, i, count, &copy.hAdapter))) return status;
    copy.AdapterLuid = sources[i].luid;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTOpenAdapterFromLuid    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTOpenAdapterFromLuid(const D3DKMT_OPENADAPTERFROMLUID *desc)
{
    struct display_source sources[MAX_SOURCES];
    D3DKMT_OPENADAPTERFROMLUID copy;
    UINT i, count;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, desc);
    count = enum_display_sources(sources, ARRAY_SIZE(sources));
    for (i = 0; i < count; i++)
        if (sources[i].luid.LowPart == copy.AdapterLuid.LowPart && sources[i].luid.HighPart == copy.AdapterLuid.HighPart)
            break;
    if (i == count) return STATUS_INVALID_PARAMETER;  /* no adapter has that LUID */
    /* The header says const, but hAdapter is an output. */
    if (!d3dkmt_probe_for_write((void *)desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    if ((status = open_adapter(copy.AdapterLuid, i, count, &copy.hAdapter))) return status;
    d3dkmt_copy_to_user((void *)&desc->hAdapter, &copy.hAdapter, sizeof(copy.hAdapter));
    return STATUS_SUCCESS;
}

/* The core's close, with room for the Wine device handle of every device it
 * destroys (*hosts, zero-terminated; free it unless it is `stack`).  The
 * core removes each device under its lock, so a concurrent DestroyDevice
 * either gets a device first (and destroys its Wine device) or fails. */
static NTSTATUS close_adapter(struct vidmm_close_adapter_args *args, UINT32 *stack, UINT stack_count, UINT32 **hosts)
{
    NTSTATUS status;

    *hosts = stack;
    args->device_hosts_max = stack_count - 1;
    for (;;)
    {
        memset(*hosts, 0, (args->device_hosts_max + 1) * sizeof(**hosts));
        args->device_hosts = ptr_to_u64(*hosts);
        if ((status = d3dkmt_unix_call(unix_close_adapter, args)) != STATUS_BUFFER_TOO_SMALL) break;
        /* More devices than room: retry with enough (devices may come and go meanwhile). */
        if (*hosts != stack) d3dkmt_free(*hosts);
        args->device_hosts_max = args->device_count + 16;
        if (!(*hosts = d3dkmt_alloc((args->device_hosts_max + 1) * sizeof(**hosts)))) return STATUS_NO_MEMORY;
    }
    if (status && *hosts != stack) d3dkmt_free(*hosts);
    return status;
}

/******************************************************************************
 *           D3DKMTCloseAdapter    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCloseAdapter(const D3DKMT_CLOSEADAPTER *desc)
{
    struct vidmm_close_adapter_args args = {0};
    D3DKMT_DESTROYDEVICE destroy_host;
    D3DKMT_CLOSEADAPTER copy;
    UINT32 stack_hosts[64], *hosts;
    NTSTATUS status;
    UINT i;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, desc);
    if (!copy.hAdapter) return STATUS_INVALID_PARAMETER;
    args.handle = copy.hAdapter;
    if ((status = close_adapter(&args, stack_hosts, ARRAY_SIZE(stack_hosts), &hosts))) return status;
    /* The devices the close destroyed: their Wine devices go too, so what
     * they held there (VidPN source ownership) is released. */
    for (i = 0; i < args.device_count && hosts[i]; i++)
    {
        destroy_host.hDevice = hosts[i];
        NtGdiDdDDIDestroyDevice(&destroy_host);
    }
    if (hosts != stack_hosts) d3dkmt_free(hosts);
    if (args.host_handle)
    {
        copy.hAdapter = args.host_handle;
        NtGdiDdDDICloseAdapter(&copy);
    }
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTCreateDevice    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateDevice(D3DKMT_CREATEDEVICE *desc)
{
    struct vidmm_create_device_args args = {0};
    struct d3dkmt_query_adapter_params adapter = {0};
    D3DKMT_CREATEDEVICE copy, host;
    D3DKMT_DESTROYDEVICE destroy_host;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, desc);
    if (!copy.hAdapter) return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    adapter.handle = copy.hAdapter;
    if ((status = d3dkmt_unix_call(unix_query_adapter, &adapter))) return status;

    memset(&host, 0, sizeof(host));
    if (adapter.info.host_handle)
    {
        host.hAdapter = adapter.info.host_handle;
        if (NtGdiDdDDICreateDevice(&host)) host.hDevice = 0;
    }
    args.adapter = copy.hAdapter;
    memcpy(&args.flags, &copy.Flags, sizeof(args.flags));
    args.host_handle = host.hDevice;
    if ((status = d3dkmt_unix_call(unix_create_device, &args)))
    {
        if (host.hDevice)
        {
            destroy_host.hDevice = host.hDevice;
            NtGdiDdDDIDestroyDevice(&destroy_host);
        }
        return status;
    }
    /* The legacy DMA-buffer outputs are all empty on current Windows. */
    copy.hDevice = args.handle;
    copy.pCommandBuffer = NULL;
    copy.CommandBufferSize = 0;
    copy.pAllocationList = NULL;
    copy.AllocationListSize = 0;
    copy.pPatchLocationList = NULL;
    copy.PatchLocationListSize = 0;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTDestroyDevice    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroyDevice(const D3DKMT_DESTROYDEVICE *desc)
{
    struct vidmm_destroy_device_args args = {0};
    D3DKMT_DESTROYDEVICE copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, desc);
    if (!copy.hDevice) return STATUS_INVALID_PARAMETER;
    args.handle = copy.hDevice;
    if ((status = d3dkmt_unix_call(unix_destroy_device, &args))) return status;
    if (args.host_handle)
    {
        copy.hDevice = args.host_handle;
        NtGdiDdDDIDestroyDevice(&copy);
    }
    return STATUS_SUCCESS;
}

NTSTATUS d3dkmt_process_id(HANDLE process, UINT *pid)
{
    PROCESS_BASIC_INFORMATION basic;
    OBJECT_BASIC_INFORMATION info;
    NTSTATUS status;

    *pid = 0;
    /* The object's type first, then the access, as a kernel reference does. */
    memset(&basic, 0, sizeof(basic));
    if ((status = NtQueryInformationProcess(process, ProcessBasicInformation, &basic, sizeof(basic), NULL)))
        return status == STATUS_INVALID_HANDLE || status == STATUS_ACCESS_DENIED ? status : STATUS_OBJECT_TYPE_MISMATCH;
    if ((status = NtQueryObject(process, ObjectBasicInformation, &info, sizeof(info), NULL))) return status;
    if (!(info.GrantedAccess & PROCESS_QUERY_INFORMATION)) return STATUS_ACCESS_DENIED;
    if (basic.UniqueProcessId != GetCurrentProcessId()) *pid = (UINT)basic.UniqueProcessId;
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTQueryVideoMemoryInfo    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTQueryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO *desc)
{
    struct vidmm_query_video_memory_args args = {0};
    D3DKMT_QUERYVIDEOMEMORYINFO copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, desc);
    /* Another process: its usage as it publishes it in the system view (a
     * process that ended publishes nothing). */
    if (copy.hProcess && (status = d3dkmt_process_id(copy.hProcess, &args.process_id))) return status;
    if (!d3dkmt_probe_for_write(desc, sizeof(*desc))) return STATUS_ACCESS_VIOLATION;
    args.adapter = copy.hAdapter;
    args.group = copy.MemorySegmentGroup;
    args.physical_adapter = copy.PhysicalAdapterIndex;
    if ((status = d3dkmt_unix_call(unix_query_video_memory, &args))) return status;
    copy.Budget = args.budget;
    copy.CurrentUsage = args.usage;
    copy.CurrentReservation = args.reservation;
    copy.AvailableForReservation = args.available_for_reservation;
    d3dkmt_copy_to_user(desc, &copy, sizeof(copy));
    return STATUS_SUCCESS;
}
