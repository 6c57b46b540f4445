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
 * The D3DKMT calls d3dkmt.dll passes on to Wine (SetVidPnSourceOwner,
 * CheckVidPnExclusiveOwnership, SetQueuedLimit, and QueryStatistics for the
 * types and LUIDs it does not answer itself) must answer
 * with our handles exactly what Wine's own calls answer with Wine's handles.
 *
 * "Ours" are d3dkmt.dll's exports (or gdi32.dll's, with the argument
 * "gdi32": then they must be forwards to d3dkmt.dll); "Wine's" are win32u's
 * NtGdiDdDDI* functions, which Wine's unpatched gdi32 forwards to.  Each
 * step runs once on our adapter and device and once on an adapter and device
 * opened from win32u directly, and the statuses must be equal.  Without a
 * display driver Wine answers STATUS_PROCEDURE_NOT_FOUND to the ownership
 * calls; with one (winex11 on Xvfb, say) the sequences exercise the real
 * ownership rules, including the release of ownership when a device that
 * holds it is destroyed.
 */
#include "wine_test.h"
#include "wine-d3dkmt/d3dkmthk.h"

#ifndef STATUS_GRAPHICS_PRESENT_OCCLUDED
#define STATUS_GRAPHICS_PRESENT_OCCLUDED ((NTSTATUS)0xc01e0006)
#endif

struct funcs
{
    PFND3DKMT_OPENADAPTERFROMLUID open_adapter_luid;
    PFND3DKMT_CLOSEADAPTER close_adapter;
    PFND3DKMT_CREATEDEVICE create_device;
    PFND3DKMT_DESTROYDEVICE destroy_device;
    PFND3DKMT_SETVIDPNSOURCEOWNER set_owner;
    PFND3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP check_owner;
    PFND3DKMT_SETQUEUEDLIMIT set_queued_limit;
    PFND3DKMT_QUERYSTATISTICS query_statistics;
};

struct side
{
    const char *name;
    struct funcs f;
    D3DKMT_HANDLE adapter, device;
};

static struct side ours = { .name = "ours" }, wine = { .name = "Wine's" };
static PFND3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open_display;
static D3DDDI_VIDEO_PRESENT_SOURCE_ID source;
static LUID luid;

static const char *module_of(const void *addr)
{
    static char name[MAX_PATH];
    HMODULE module;
    char *p;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            addr, &module) || !GetModuleFileNameA(module, name, sizeof(name)))
        return "?";
    return (p = strrchr(name, '\\')) ? p + 1 : name;
}

static BOOL load_funcs(struct funcs *f, HMODULE module, const char *prefix)
{
    char name[64];

#define GET(field, fn) \
    snprintf(name, sizeof(name), "%s%s", prefix, fn); \
    if (!(f->field = (void *)GetProcAddress(module, name))) { ok(0, "%s is missing\n", name); return FALSE; }
    GET(open_adapter_luid, "OpenAdapterFromLuid");
    GET(close_adapter, "CloseAdapter");
    GET(create_device, "CreateDevice");
    GET(destroy_device, "DestroyDevice");
    GET(set_owner, "SetVidPnSourceOwner");
    GET(check_owner, "CheckVidPnExclusiveOwnership");
    GET(set_queued_limit, "SetQueuedLimit");
    GET(query_statistics, "QueryStatistics");
#undef GET
    return TRUE;
}

static NTSTATUS create_device(struct side *s, D3DKMT_HANDLE adapter, D3DKMT_HANDLE *device)
{
    D3DKMT_CREATEDEVICE desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hAdapter = adapter;
    status = s->f.create_device(&desc);
    *device = desc.hDevice;
    return status;
}

static NTSTATUS destroy_device(struct side *s, D3DKMT_HANDLE device)
{
    D3DKMT_DESTROYDEVICE desc = { device };
    return s->f.destroy_device(&desc);
}

static NTSTATUS set_owner(struct side *s, D3DKMT_HANDLE device, int type)
{
    D3DKMT_VIDPNSOURCEOWNER_TYPE owner_type = type;
    D3DKMT_SETVIDPNSOURCEOWNER desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    if (type >= 0)  /* else: release everything the device owns */
    {
        desc.pType = &owner_type;
        desc.pVidPnSourceId = &source;
        desc.VidPnSourceCount = 1;
    }
    return s->f.set_owner(&desc);
}

static NTSTATUS check_owner(struct side *s, D3DKMT_HANDLE adapter)
{
    D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP desc;

    desc.hAdapter = adapter;
    desc.VidPnSourceId = source;
    return s->f.check_owner(&desc);
}

/* One scenario, run on each side; every status of ours must equal Wine's. */
#define MAX_STEPS 16
typedef int (*scenario)(struct side *s, NTSTATUS *results);

static void compare(const char *what, scenario run)
{
    NTSTATUS a[MAX_STEPS], b[MAX_STEPS];
    int i, n, m;

    memset(a, 0xcc, sizeof(a));
    memset(b, 0xcc, sizeof(b));
    n = run(&wine, b);
    m = run(&ours, a);
    ok(n == m, "%s: %d steps for Wine, %d for us\n", what, n, m);
    for (i = 0; i < n && i < m; i++)
        ok(a[i] == b[i], "%s, step %d: ours %#lx, Wine's %#lx\n", what, i, a[i], b[i]);
    trace("%s: %d steps, Wine's answers:", what, n);
    for (i = 0; i < n; i++) printf(" %#lx", b[i]);
    printf("\n");
}

static int take_and_release(struct side *s, NTSTATUS *r)
{
    int n = 0;
    r[n++] = check_owner(s, s->adapter);
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);
    r[n++] = check_owner(s, s->adapter);
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_EMULATED);  /* exclusive -> emulated */
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_SHARED);
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVEGDI);
    r[n++] = set_owner(s, s->device, -1);                                /* release */
    r[n++] = check_owner(s, s->adapter);
    return n;
}

static int two_devices(struct side *s, NTSTATUS *r)
{
    D3DKMT_HANDLE second = 0;
    int n = 0;

    r[n++] = create_device(s, s->adapter, &second);
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);
    r[n++] = set_owner(s, second, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);   /* in use by the first */
    r[n++] = set_owner(s, second, D3DKMT_VIDPNSOURCEOWNER_EMULATED);
    r[n++] = set_owner(s, s->device, -1);
    r[n++] = set_owner(s, second, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);   /* free now */
    r[n++] = check_owner(s, s->adapter);
    /* Destroying the device that holds ownership releases it (Wine's
     * DestroyDevice does that for the Wine handle, so we must have given
     * Wine that handle when taking ownership). */
    r[n++] = destroy_device(s, second);
    r[n++] = check_owner(s, s->adapter);
    r[n++] = set_owner(s, s->device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);
    r[n++] = set_owner(s, s->device, -1);
    return n;
}

static int bad_arguments(struct side *s, NTSTATUS *r)
{
    D3DKMT_SETVIDPNSOURCEOWNER set;
    D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP check;
    int n = 0;

    r[n++] = s->f.set_owner(NULL);
    r[n++] = s->f.check_owner(NULL);
    memset(&set, 0, sizeof(set));
    r[n++] = s->f.set_owner(&set);                          /* no device */
    set.hDevice = s->device;
    set.VidPnSourceCount = 1;
    r[n++] = s->f.set_owner(&set);                          /* a count without arrays */
    memset(&check, 0, sizeof(check));
    r[n++] = s->f.check_owner(&check);                      /* no adapter */
    r[n++] = set_owner(s, 0xdeadbe00, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);  /* nobody's handle */
    r[n++] = set_owner(s, 0xdeadbe00, -1);
    r[n++] = check_owner(s, 0xdeadbe00);
    return n;
}

static int queued_limit(struct side *s, NTSTATUS *r)
{
    D3DKMT_SETQUEUEDLIMIT desc;
    int n = 0;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = s->device;
    desc.Type = D3DKMT_SET_QUEUEDLIMIT_PRESENT;
    desc.QueuedPresentLimit = 2;
    r[n++] = s->f.set_queued_limit(&desc);
    desc.Type = D3DKMT_GET_QUEUEDLIMIT_PRESENT;
    r[n++] = s->f.set_queued_limit(&desc);
    desc.hDevice = 0;
    r[n++] = s->f.set_queued_limit(&desc);
    return n;
}

static int statistics(struct side *s, NTSTATUS *r)
{
    /* Larger than the Windows struct; the type is opaque to us. */
    union { UINT type; BYTE bytes[4096]; } buffer;
    int n = 0;

    LUID foreign = luid;

    /* Types d3dkmt.dll leaves to Wine: nodes, VidPN sources. */
    memset(&buffer, 0, sizeof(buffer));
    buffer.type = 5;  /* D3DKMT_QUERYSTATISTICS_NODE */
    memcpy(buffer.bytes + 4, &luid, sizeof(luid));
    r[n++] = s->f.query_statistics((const D3DKMT_QUERYSTATISTICS *)&buffer);
    buffer.type = 7;  /* D3DKMT_QUERYSTATISTICS_VIDPNSOURCE */
    r[n++] = s->f.query_statistics((const D3DKMT_QUERYSTATISTICS *)&buffer);
    /* A LUID that is not an adapter of ours. */
    foreign.LowPart ^= 0x5a5a0000;
    buffer.type = 0;  /* D3DKMT_QUERYSTATISTICS_ADAPTER */
    memcpy(buffer.bytes + 4, &foreign, sizeof(foreign));
    r[n++] = s->f.query_statistics((const D3DKMT_QUERYSTATISTICS *)&buffer);
    return n;
}

/* Wine's handles given to our functions are passed on as they are. */
static int wine_handles_through_ours(struct side *s, NTSTATUS *r)
{
    struct side mixed = *s;
    int n = 0;

    if (s == &ours)
    {
        mixed.adapter = wine.adapter;
        mixed.device = wine.device;
    }
    r[n++] = check_owner(&mixed, mixed.adapter);
    r[n++] = set_owner(&mixed, mixed.device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE);
    r[n++] = check_owner(&mixed, mixed.adapter);
    r[n++] = set_owner(&mixed, mixed.device, -1);
    r[n++] = check_owner(&mixed, mixed.adapter);
    return n;
}

START_TEST(passthrough)
{
    D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME open;
    D3DKMT_OPENADAPTERFROMLUID open_luid;
    D3DKMT_SETVIDPNSOURCEOWNER set;
    D3DKMT_CLOSEADAPTER close;
    const char *from = GetCommandLineA();
    HMODULE module, win32u;
    BOOL via_gdi32 = strstr(from, " gdi32") != NULL;
    NTSTATUS status;

    /* win32u's display code wants user32, as in any program that has a window. */
    LoadLibraryA("user32.dll");
    win32u = LoadLibraryA("win32u.dll");
    module = via_gdi32 ? LoadLibraryA("gdi32.dll") : LoadLibraryA("d3dkmt.dll");
    ok(module && win32u, "cannot load %s or win32u.dll\n", via_gdi32 ? "gdi32.dll" : "d3dkmt.dll");
    if (!module || !win32u) return;
    if (!load_funcs(&ours.f, module, "D3DKMT") || !load_funcs(&wine.f, win32u, "NtGdiDdDDI")) return;
    open_display = (void *)GetProcAddress(module, "D3DKMTOpenAdapterFromGdiDisplayName");
    ok(open_display != NULL, "no D3DKMTOpenAdapterFromGdiDisplayName\n");
    if (!open_display) return;
    if (via_gdi32)
    {
        ok(!_stricmp(module_of(ours.f.set_owner), "d3dkmt.dll"), "gdi32's D3DKMTSetVidPnSourceOwner is in %s\n",
           module_of(ours.f.set_owner));
        ok(!_stricmp(module_of(ours.f.check_owner), "d3dkmt.dll"),
           "gdi32's D3DKMTCheckVidPnExclusiveOwnership is in %s\n", module_of(ours.f.check_owner));
        ok(!_stricmp(module_of(ours.f.set_queued_limit), "d3dkmt.dll"), "gdi32's D3DKMTSetQueuedLimit is in %s\n",
           module_of(ours.f.set_queued_limit));
        ok(!_stricmp(module_of(ours.f.query_statistics), "d3dkmt.dll"), "gdi32's D3DKMTQueryStatistics is in %s\n",
           module_of(ours.f.query_statistics));
    }

    memset(&open, 0, sizeof(open));
    lstrcpyW(open.DeviceName, L"\\\\.\\DISPLAY1");
    status = open_display(&open);
    ok(!status, "OpenAdapterFromGdiDisplayName: %#lx\n", status);
    if (status) return;
    ours.adapter = open.hAdapter;
    luid = open.AdapterLuid;
    source = open.VidPnSourceId;
    status = create_device(&ours, ours.adapter, &ours.device);
    ok(!status, "our CreateDevice: %#lx\n", status);

    memset(&open_luid, 0, sizeof(open_luid));
    open_luid.AdapterLuid = luid;
    status = wine.f.open_adapter_luid(&open_luid);
    ok(!status, "Wine's OpenAdapterFromLuid: %#lx\n", status);
    wine.adapter = open_luid.hAdapter;
    status = create_device(&wine, wine.adapter, &wine.device);
    ok(!status, "Wine's CreateDevice: %#lx\n", status);
    ok(ours.adapter != wine.adapter && ours.device != wine.device, "the handles are the same\n");
    trace("adapters: ours %#x, Wine's %#x; devices: ours %#x, Wine's %#x; source %u\n",
          ours.adapter, wine.adapter, ours.device, wine.device, source);

    compare("take and release", take_and_release);
    compare("two devices", two_devices);
    compare("bad arguments", bad_arguments);
    compare("queued limit", queued_limit);
    compare("statistics", statistics);
    compare("Wine's handles", wine_handles_through_ours);

    /* A pointer nobody can read is a status, not a fault (Wine's own call
     * would fault, so only ours is called). */
    memset(&set, 0, sizeof(set));
    set.hDevice = ours.device;
    set.pType = (void *)(ULONG_PTR)0x10;
    set.pVidPnSourceId = &source;
    set.VidPnSourceCount = 1;
    status = ours.f.set_owner(&set);
    ok(status == STATUS_ACCESS_VIOLATION, "SetVidPnSourceOwner with a bad pType: %#lx\n", status);
    status = ours.f.check_owner((void *)(ULONG_PTR)0x10);
    ok(status == STATUS_ACCESS_VIOLATION, "CheckVidPnExclusiveOwnership with a bad pointer: %#lx\n", status);

    /* A stale handle of ours is nobody's: Wine answers for it. */
    status = destroy_device(&ours, ours.device);
    ok(!status, "our DestroyDevice: %#lx\n", status);
    status = destroy_device(&wine, wine.device);
    ok(!status, "Wine's DestroyDevice: %#lx\n", status);
    ok(set_owner(&ours, ours.device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE) ==
       set_owner(&wine, ours.device, D3DKMT_VIDPNSOURCEOWNER_EXCLUSIVE), "a stale device handle\n");
    set_owner(&wine, ours.device, -1);
    close.hAdapter = ours.adapter;
    ok(!ours.f.close_adapter(&close), "our CloseAdapter failed\n");
    ok(check_owner(&ours, ours.adapter) == check_owner(&wine, ours.adapter), "a stale adapter handle\n");
    close.hAdapter = wine.adapter;
    ok(!wine.f.close_adapter(&close), "Wine's CloseAdapter failed\n");
}
