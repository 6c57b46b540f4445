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
 * A process for d3dkmt-monitor to watch (tests/monitor/check-monitor.sh):
 *   monitor_client.exe <local MiB> <nonlocal MiB> <allocations> <ready-file> <stop-file> [<budget MiB>]
 * creates that many allocations holding exactly those sizes, keeps one of
 * them locked, writes its process id into the ready file, and waits for the
 * stop file.  With a budget, it first writes its local allocations and has
 * the pager evict down to that budget (the test-control escape), so the
 * monitor has evictions and a paging fence to show.  Exit 0 when all went as
 * planned.
 */
#include <windows.h>
#include <stdio.h>

#include "wine_test.h"
#include "d3dkmt_test.h"

#define MB (1024ull * 1024)
#define PAGE 4096ull
#define MAX_ALLOCS 64
#define STOP_TIMEOUT_MS 120000

static D3DKMT_HANDLE adapter, device;
static D3DKMT_HANDLE allocs[MAX_ALLOCS];
static UINT alloc_count;

/* Allocation i of count sharing bytes: whole pages, the last takes the rest. */
static UINT64 share_of(UINT64 bytes, UINT count, UINT i)
{
    UINT64 each = bytes / PAGE / count * PAGE;
    return i + 1 < count ? each : bytes - each * (count - 1);
}

static BOOL create_group(UINT64 bytes, UINT count, UINT group, UINT flags)
{
    D3DKMT_WINE_ALLOCATION_DESC desc;
    NTSTATUS status;
    UINT i;

    for (i = 0; i < count; i++)
    {
        desc = make_desc(share_of(bytes, count, i), group, flags);
        status = create_alloc(device, &desc, &allocs[alloc_count]);
        ok(status == STATUS_SUCCESS, "CreateAllocation2 group %u, %I64u bytes: %#lx\n", group, desc.Size, status);
        if (status) return FALSE;
        alloc_count++;
    }
    return TRUE;
}

/* Local ones first (CPU-visible, so the one kept locked may be local). */
static BOOL create_allocations(UINT64 local, UINT64 nonlocal, UINT count)
{
    UINT n_nonlocal = !nonlocal ? 0 : !local ? count : count / 2;
    UINT n_local = count - n_nonlocal;

    if ((local && !n_local) || (nonlocal && !n_nonlocal) || (!local && n_local))
    {
        ok(FALSE, "cannot split %I64u + %I64u bytes over %u allocations\n", local, nonlocal, count);
        return FALSE;
    }
    return create_group(local, n_local, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE)
        && create_group(nonlocal, n_nonlocal, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, 0);
}

static BOOL write_ready(const char *path)
{
    char text[32];
    DWORD written, len = snprintf(text, sizeof(text), "%lu\n", GetCurrentProcessId());
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BOOL ret;

    if (file == INVALID_HANDLE_VALUE) return FALSE;
    ret = WriteFile(file, text, len, &written, NULL) && written == len;
    CloseHandle(file);
    return ret;
}

static BOOL wait_stop(const char *path)
{
    DWORD start = GetTickCount();

    while (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES)
    {
        if (GetTickCount() - start > STOP_TIMEOUT_MS) return FALSE;
        Sleep(50);
    }
    return TRUE;
}

/* Content in every local allocation, then the pager trims to the budget. */
static BOOL evict_to(UINT64 budget)
{
    NTSTATUS status;
    void *data;
    UINT i;

    for (i = 0; i < alloc_count; i++)
    {
        if (lock_alloc(device, allocs[i], 0, &data)) continue;   /* a non-local one without CPU access */
        memset(data, 0x5a, PAGE);
        unlock_alloc(device, allocs[i]);
    }
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, budget, NULL);
    ok(status == STATUS_SUCCESS, "SET_LOCAL_BUDGET: %#lx\n", status);
    if (!status) status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
    ok(status == STATUS_SUCCESS, "WAIT_IDLE: %#lx\n", status);
    return !status;
}

static void serve(UINT64 local, UINT64 nonlocal, UINT count, UINT64 budget, const char *ready, const char *stop)
{
    NTSTATUS status;
    void *data;

    if (!create_allocations(local, nonlocal, count)) return;
    if (budget && !evict_to(budget)) return;
    status = lock_alloc(device, allocs[0], 0, &data);
    ok(status == STATUS_SUCCESS, "Lock: %#lx\n", status);
    if (status) return;
    ok(write_ready(ready), "cannot write %s: %lu\n", ready, GetLastError());
    ok(wait_stop(stop), "no stop file %s in time\n", stop);
    unlock_alloc(device, allocs[0]);
}

START_TEST(monitor_client)
{
    UINT count;

    if ((__argc != 6 && __argc != 7) || !(count = strtoul(__argv[3], NULL, 0)) || count > MAX_ALLOCS)
    {
        ok(FALSE, "usage: monitor_client.exe <local MiB> <nonlocal MiB> <allocations 1-%u> <ready-file> "
           "<stop-file> [<budget MiB>]\n", MAX_ALLOCS);
        return;
    }
    if (!load_d3dkmt()) return;
    if (open_display1(&adapter, NULL)) { ok(FALSE, "no adapter\n"); return; }
    if (!create_device(adapter, &device))
    {
        serve(strtoul(__argv[1], NULL, 0) * MB, strtoul(__argv[2], NULL, 0) * MB, count,
              __argc == 7 ? strtoul(__argv[6], NULL, 0) * MB : 0, __argv[4], __argv[5]);
        while (alloc_count) destroy_alloc(device, allocs[--alloc_count]);
        destroy_device(device);
    }
    else ok(FALSE, "CreateDevice failed\n");
    close_adapter(adapter);
}
