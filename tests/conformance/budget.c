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
 * System-wide accounting across two processes: the program starts a copy of
 * itself (and, where it is built, its other-architecture twin) as the child.
 *  - the child's usage as QueryVideoMemoryInfo with its handle reports it,
 *    and the statuses of handles without the right or of a process that uses
 *    no adapter;
 *  - each process' budget shrinks as the other grows (the policy: what the
 *    others leave of the segment, at least an equal share);
 *  - two processes that together over-commit the local segment end up within
 *    it, every byte kept;
 *  - a child killed with TerminateProcess, idle or in the middle of its
 *    allocations, gives its share back at once.
 * The two processes use a system view of their own (WINE_D3DKMT_SYSTEM_VIEW)
 * and a 64 MiB local segment (WINE_D3DKMT_VIDMEM_MB), inherited by the child.
 */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>

#include "wine_test.h"
#include "d3dkmt_test.h"
#include "child_process.h"

#define MB (1024ull * 1024)
#define SEGMENT (64 * MB)
#define CHUNK (4 * MB)
#define MAX_CHUNKS 32
#define TIMEOUT 60000

static D3DKMT_HANDLE adapter, device;
static DWORD parent_pid;

struct chunks
{
    D3DKMT_HANDLE handles[MAX_CHUNKS];
    UINT count;
    UINT seed;
};

static NTSTATUS qvmi(HANDLE process, UINT group, UINT64 *usage, UINT64 *budget)
{
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    NTSTATUS status;

    memset(&info, 0, sizeof(info));
    info.hProcess = process;
    info.hAdapter = adapter;
    info.MemorySegmentGroup = group;
    status = pQueryVideoMemoryInfo(&info);
    if (usage) *usage = info.CurrentUsage;
    if (budget) *budget = info.Budget;
    return status;
}

static UINT64 usage_of(HANDLE process)
{
    UINT64 usage = ~0ull;
    NTSTATUS status = qvmi(process, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &usage, NULL);
    ok(status == STATUS_SUCCESS, "QueryVideoMemoryInfo(%p): %#lx\n", process, status);
    return usage;
}

static UINT64 budget_of(HANDLE process)
{
    UINT64 budget = 0;
    NTSTATUS status = qvmi(process, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL, &budget);
    ok(status == STATUS_SUCCESS, "QueryVideoMemoryInfo(%p): %#lx\n", process, status);
    return budget;
}

static UINT32 pattern(UINT seed, UINT chunk, UINT32 i)
{
    return (seed * 0x9e3779b9u) ^ (chunk << 24) ^ (i * 2654435761u);
}

/* One chunk's every word written (write) or checked; returns the bad words. */
static UINT touch_chunk(struct chunks *c, UINT n, BOOL write)
{
    UINT32 *data, i, bad = 0;
    NTSTATUS status;

    status = lock_alloc(device, c->handles[n], 0, (void **)&data);
    ok(status == STATUS_SUCCESS, "Lock chunk %u: %#lx\n", n, status);
    if (status) return CHUNK / 4;
    for (i = 0; i < CHUNK / 4; i++)
    {
        if (write) data[i] = pattern(c->seed, n, i);
        else if (data[i] != pattern(c->seed, n, i)) bad++;
    }
    unlock_alloc(device, c->handles[n]);
    return bad;
}

static void add_chunks(struct chunks *c, UINT count)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(CHUNK, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    NTSTATUS status;

    while (count-- && c->count < MAX_CHUNKS)
    {
        status = create_alloc(device, &desc, &c->handles[c->count]);
        ok(status == STATUS_SUCCESS, "CreateAllocation %u: %#lx\n", c->count, status);
        if (status) return;
        touch_chunk(c, c->count++, TRUE);
    }
}

static void check_chunks(struct chunks *c, const char *who)
{
    UINT n, bad = 0;

    for (n = 0; n < c->count; n++) bad += touch_chunk(c, n, FALSE);
    ok(!bad, "%s: %u words of %u chunks lost\n", who, bad, c->count);
}

static void free_chunks(struct chunks *c)
{
    while (c->count) destroy_alloc(device, c->handles[--c->count]);
}

static BOOL open_gpu(void)
{
    NTSTATUS status;

    if ((status = open_display1(&adapter, NULL)))
    {
        skip("no adapter: %#lx\n", status);
        return FALSE;
    }
    if ((status = create_device(adapter, &device)))
    {
        ok(0, "CreateDevice: %#lx\n", status);
        close_adapter(adapter);
        return FALSE;
    }
    return TRUE;
}

static void close_gpu(void)
{
    destroy_device(device);
    close_adapter(adapter);
}

/* ---- the child ---- */

static void run_child(void)
{
    const char *mode = child_argv(2);
    UINT mb = atoi(child_argv(4));
    HANDLE ack, step, parent;
    struct chunks c = { {0}, 0, 2 };
    UINT64 parent_usage, budget;

    parent_pid = strtoul(child_argv(3), NULL, 0);
    ack = child_event(parent_pid, "ack");
    step = child_event(parent_pid, "step");
    if (!strcmp(mode, "idle"))
    {
        /* Uses no adapter at all. */
        SetEvent(ack);
        wait_event(step, TIMEOUT);
        return;
    }
    if (!strcmp(mode, "d3dconfig"))
    {
        /* The segment size from wined3d's VideoMemorySize, where wined3d
         * looks for it: our own setting is not there. */
        SetEnvironmentVariableA("WINE_D3DKMT_VIDMEM_MB", NULL);
        if (strcmp(child_argv(5), "-")) SetEnvironmentVariableA("WINE_D3D_CONFIG", child_argv(5));
        if (!load_d3dkmt() || !open_gpu()) return;
        budget = budget_of(NULL);
        ok(budget == mb * MB, "segment from wined3d's setting: %I64u MiB, expected %u\n", budget / MB, mb);
        close_gpu();
        return;
    }
    if (!load_d3dkmt() || !open_gpu()) return;
    parent = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, parent_pid);
    ok(parent != NULL, "OpenProcess(parent): %lu\n", GetLastError());

    if (!strcmp(mode, "grow"))
    {
        add_chunks(&c, mb / (CHUNK / MB));
        SetEvent(ack);
        ok(wait_event(step, TIMEOUT), "no step\n");
        add_chunks(&c, 2);
        /* The parent's usage leaves this process the rest of the segment. */
        parent_usage = usage_of(parent);
        budget = budget_of(NULL);
        ok(budget == SEGMENT - parent_usage, "child budget %I64u, parent uses %I64u\n", budget, parent_usage);
        ok(usage_of(NULL) == c.count * CHUNK, "child usage %I64u\n", usage_of(NULL));
        SetEvent(ack);
        ok(wait_event(step, TIMEOUT), "no step\n");
        check_chunks(&c, "child");
    }
    else if (!strcmp(mode, "fill"))
    {
        DWORD start_time;

        add_chunks(&c, mb / (CHUNK / MB));
        /* The parent, which does nothing meanwhile, trims itself: rung by
         * this process' allocations, or at its watcher's next look. */
        start_time = GetTickCount();
        do
        {
            parent_usage = usage_of(parent);
            if (parent_usage + usage_of(NULL) <= SEGMENT) break;
            Sleep(10);
        } while (GetTickCount() - start_time < 10000);
        ok(parent_usage + usage_of(NULL) <= SEGMENT, "parent %I64u + child %I64u over the segment\n",
           parent_usage, usage_of(NULL));
        trace("the parent trimmed to %I64u MiB within %lu ms\n", parent_usage / MB, GetTickCount() - start_time);
        SetEvent(ack);
        ok(wait_event(step, TIMEOUT), "no step\n");
        check_chunks(&c, "child");
        ok(usage_of(NULL) <= budget_of(NULL), "child over its budget\n");
    }
    else if (!strcmp(mode, "hold"))
    {
        add_chunks(&c, mb / (CHUNK / MB));
        SetEvent(ack);
        Sleep(INFINITE);
    }
    else if (!strcmp(mode, "churn"))
    {
        /* Creates and destroys allocations until it is killed. */
        SetEvent(ack);
        for (;;)
        {
            add_chunks(&c, 4);
            free_chunks(&c);
        }
    }
    free_chunks(&c);
    CloseHandle(parent);
    close_gpu();
}

/* ---- the parent ---- */

static HANDLE ack_event, step_event;

static BOOL start(const char *mode, UINT mb, BOOL other_arch, PROCESS_INFORMATION *pi)
{
    char args[128], path[MAX_PATH], cmd[MAX_PATH + 200], *dot;
    STARTUPINFOA si;

    snprintf(args, sizeof(args), "%s %lu %u", mode, GetCurrentProcessId(), mb);
    if (!other_arch) return start_child(args, 0, pi);
    /* budget.exe <-> budget.i686.exe beside it. */
    GetModuleFileNameA(NULL, path, sizeof(path));
    if (!(dot = strrchr(path, '.'))) return FALSE;
    if (dot - path > 5 && !_stricmp(dot - 5, ".i686.exe")) strcpy(dot - 5, ".exe");
    else strcpy(dot, ".i686.exe");
    if (GetFileAttributesA(path) == INVALID_FILE_ATTRIBUTES) return FALSE;
    snprintf(cmd, sizeof(cmd), "\"%s\" child %s", path, args);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    return CreateProcessA(path, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi);
}

static void test_other_process(void)
{
    PROCESS_INFORMATION pi;
    UINT64 usage, budget;
    NTSTATUS status;
    HANDLE limited;

    /* A process that uses no adapter: nothing. */
    ok(start("idle", 0, FALSE, &pi), "CreateProcess: %lu\n", GetLastError());
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    status = qvmi(pi.hProcess, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &usage, &budget);
    ok(status == STATUS_SUCCESS, "idle child: %#lx\n", status);
    ok(usage == 0, "idle child uses %I64u\n", usage);
    ok(budget > 0 && budget <= SEGMENT, "idle child's budget %I64u\n", budget);
    status = qvmi(pi.hProcess, D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL, &usage, NULL);
    ok(status == STATUS_SUCCESS && usage == 0, "idle child, non-local: %#lx, %I64u\n", status, usage);

    /* Without PROCESS_QUERY_INFORMATION. */
    limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pi.dwProcessId);
    ok(limited != NULL, "OpenProcess: %lu\n", GetLastError());
    status = qvmi(limited, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL, NULL);
    ok(status == STATUS_ACCESS_DENIED, "limited handle: %#lx\n", status);
    CloseHandle(limited);
    status = qvmi((HANDLE)(ULONG_PTR)0xdeadbee0, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, NULL, NULL);
    ok(status == STATUS_INVALID_HANDLE, "invalid handle: %#lx\n", status);
    SetEvent(step_event);
    ok(wait_child(&pi, TIMEOUT) == 0, "idle child failed\n");
}

static void test_budgets_follow(BOOL other_arch)
{
    struct chunks mine = { {0}, 0, 1 };
    PROCESS_INFORMATION pi;
    UINT64 usage;

    if (!start("grow", 16, other_arch, &pi))
    {
        if (other_arch) skip("no other-architecture build beside this one\n");
        else ok(0, "CreateProcess: %lu\n", GetLastError());
        return;
    }
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    ok(usage_of(pi.hProcess) == 16 * MB, "child usage %I64u\n", usage_of(pi.hProcess));
    ok(budget_of(NULL) == SEGMENT - 16 * MB, "parent budget %I64u\n", budget_of(NULL));
    ok(budget_of(pi.hProcess) == SEGMENT, "child budget %I64u\n", budget_of(pi.hProcess));
    ok(usage_of(NULL) == 0, "parent usage %I64u\n", usage_of(NULL));

    /* The parent grows: the child's budget shrinks, the parent's does not. */
    add_chunks(&mine, 2);
    ok(budget_of(pi.hProcess) == SEGMENT - 8 * MB, "child budget %I64u\n", budget_of(pi.hProcess));
    ok(budget_of(NULL) == SEGMENT - 16 * MB, "parent budget %I64u\n", budget_of(NULL));

    /* The child grows (and checks its own budget): the parent's shrinks. */
    SetEvent(step_event);
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    usage = usage_of(pi.hProcess);
    ok(usage == 24 * MB, "child usage %I64u\n", usage);
    ok(budget_of(NULL) == SEGMENT - 24 * MB, "parent budget %I64u\n", budget_of(NULL));
    ok(usage_of(NULL) == 8 * MB, "parent usage %I64u\n", usage_of(NULL));

    SetEvent(step_event);
    ok(wait_child(&pi, TIMEOUT) == 0, "child failed\n");
    /* Gone: the whole segment again. */
    ok(budget_of(NULL) == SEGMENT, "parent budget after the child %I64u\n", budget_of(NULL));
    check_chunks(&mine, "parent");
    free_chunks(&mine);
}

static void test_overcommit(void)
{
    struct chunks mine = { {0}, 0, 3 };
    PROCESS_INFORMATION pi;
    UINT64 parent = 0, child = 0;
    DWORD start_time;

    add_chunks(&mine, 10);   /* 40 MiB of 64 */
    ok(usage_of(NULL) == 40 * MB, "parent usage %I64u\n", usage_of(NULL));
    ok(start("fill", 40, FALSE, &pi), "CreateProcess: %lu\n", GetLastError());
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");

    /* The parent trims to its new budget (its pager, rung by the child or on
     * its next look); together they fit. */
    start_time = GetTickCount();
    do
    {
        parent = usage_of(NULL);
        child = usage_of(pi.hProcess);
        if (parent + child <= SEGMENT) break;
        Sleep(20);
    } while (GetTickCount() - start_time < 10000);
    ok(parent + child <= SEGMENT, "together %I64u + %I64u > the segment\n", parent, child);
    ok(parent <= budget_of(NULL), "parent %I64u over its budget %I64u\n", parent, budget_of(NULL));
    ok(child <= budget_of(pi.hProcess), "child %I64u over its budget %I64u\n", child, budget_of(pi.hProcess));
    ok(parent >= SEGMENT / 2 - CHUNK && child >= SEGMENT / 2 - CHUNK, "shares %I64u, %I64u\n", parent, child);
    trace("over-commit: parent %I64u MiB, child %I64u MiB resident after %lu ms\n", parent / MB, child / MB,
          GetTickCount() - start_time);

    check_chunks(&mine, "parent");
    SetEvent(step_event);
    ok(wait_child(&pi, TIMEOUT) == 0, "child failed\n");
    free_chunks(&mine);
}

static void test_killed(BOOL other_arch)
{
    struct chunks mine = { {0}, 0, 4 };
    PROCESS_INFORMATION pi;
    UINT64 usage, budget;
    NTSTATUS status;

    if (!start("hold", 24, other_arch, &pi))
    {
        if (other_arch) skip("no other-architecture build beside this one\n");
        else ok(0, "CreateProcess: %lu\n", GetLastError());
        return;
    }
    add_chunks(&mine, 2);
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    ok(usage_of(pi.hProcess) == 24 * MB, "child usage %I64u\n", usage_of(pi.hProcess));
    ok(budget_of(NULL) == SEGMENT - 24 * MB, "parent budget %I64u\n", budget_of(NULL));

    TerminateProcess(pi.hProcess, 0xdead);
    ok(WaitForSingleObject(pi.hProcess, 5000) == WAIT_OBJECT_0, "child not dead\n");
    /* At once, no waiting: its usage is gone and the budget is back. */
    status = qvmi(pi.hProcess, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &usage, NULL);
    ok(status == STATUS_SUCCESS, "dead child: %#lx\n", status);
    ok(usage == 0, "dead child still uses %I64u\n", usage);
    budget = budget_of(NULL);
    ok(budget == SEGMENT, "parent budget after the kill %I64u\n", budget);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    check_chunks(&mine, "parent");
    free_chunks(&mine);
}

static void test_killed_mid_use(void)
{
    PROCESS_INFORMATION pi;
    UINT round;

    for (round = 0; round < 5; round++)
    {
        ok(start("churn", 0, FALSE, &pi), "CreateProcess: %lu\n", GetLastError());
        ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
        Sleep(20 + round * 37);
        TerminateProcess(pi.hProcess, 0xdead);
        WaitForSingleObject(pi.hProcess, 5000);
        ok(usage_of(pi.hProcess) == 0, "round %u: dead child still counted\n", round);
        ok(budget_of(NULL) == SEGMENT, "round %u: budget %I64u\n", round, budget_of(NULL));
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    /* Nothing was left locked: a new child joins and is seen. */
    ok(start("hold", 8, FALSE, &pi), "CreateProcess: %lu\n", GetLastError());
    ok(wait_event(ack_event, TIMEOUT), "child not ready\n");
    ok(usage_of(pi.hProcess) == 8 * MB, "new child usage %I64u\n", usage_of(pi.hProcess));
    kill_child(&pi);
}

/* Wine's DXGI reports wined3d's video memory size; where that comes from a
 * setting, our local segment has the same size. */
static void test_wined3d_setting(void)
{
    char path[MAX_PATH], key[MAX_PATH + 64], *name;
    PROCESS_INFORMATION pi;
    HKEY hkey;

    GetModuleFileNameA(NULL, path, sizeof(path));
    name = strrchr(path, '\\') ? strrchr(path, '\\') + 1 : path;
    snprintf(key, sizeof(key), "Software\\Wine\\AppDefaults\\%s\\Direct3D", name);

    /* WINE_D3D_CONFIG, as wined3d parses it. */
    {
        char args[256];
        snprintf(args, sizeof(args), "d3dconfig %lu 96 csmt=0x1,VideoMemorySize=96;shader_backend=glsl",
                 GetCurrentProcessId());
        ok(start_child(args, 0, &pi), "CreateProcess: %lu\n", GetLastError());
        ok(wait_child(&pi, TIMEOUT) == 0, "WINE_D3D_CONFIG child failed\n");
    }
    /* HKCU\Software\Wine\AppDefaults\<program>\Direct3D (only this program's:
     * other tests may run beside this one in the prefix). */
    if (RegCreateKeyExA(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_SET_VALUE, NULL, &hkey, NULL))
    {
        skip("cannot write %s\n", key);
        return;
    }
    RegSetValueExA(hkey, "VideoMemorySize", 0, REG_SZ, (const BYTE *)"80", 3);
    RegCloseKey(hkey);
    {
        char args[256];
        snprintf(args, sizeof(args), "d3dconfig %lu 80 -", GetCurrentProcessId());
        ok(start_child(args, 0, &pi), "CreateProcess: %lu\n", GetLastError());
        ok(wait_child(&pi, TIMEOUT) == 0, "AppDefaults child failed\n");
        /* The environment comes first, as in wined3d. */
        snprintf(args, sizeof(args), "d3dconfig %lu 96 VideoMemorySize=96", GetCurrentProcessId());
        ok(start_child(args, 0, &pi), "CreateProcess: %lu\n", GetLastError());
        ok(wait_child(&pi, TIMEOUT) == 0, "WINE_D3D_CONFIG + AppDefaults child failed\n");
    }
    RegDeleteKeyA(HKEY_CURRENT_USER, key);
    *strrchr(key, '\\') = 0;
    RegDeleteKeyA(HKEY_CURRENT_USER, key);
}

START_TEST(budget)
{
    char name[64];

    if (child_mode())
    {
        run_child();
        return;
    }
    /* A view and a segment size of our own, inherited by the children. */
    snprintf(name, sizeof(name), "budget-%lu", GetCurrentProcessId());
    SetEnvironmentVariableA("WINE_D3DKMT_SYSTEM_VIEW", name);
    SetEnvironmentVariableA("WINE_D3DKMT_VIDMEM_MB", "64");
    if (!load_d3dkmt() || !open_gpu()) return;
    if (budget_of(NULL) != SEGMENT)
    {
        skip("not our module, or the segment is not %I64u MiB\n", SEGMENT / MB);
        close_gpu();
        return;
    }
    ack_event = child_event(GetCurrentProcessId(), "ack");
    step_event = child_event(GetCurrentProcessId(), "step");

    test_other_process();
    test_budgets_follow(FALSE);
    test_budgets_follow(TRUE);
    test_overcommit();
    test_killed(FALSE);
    test_killed(TRUE);
    test_killed_mid_use();
    test_wined3d_setting();

    CloseHandle(ack_event);
    CloseHandle(step_event);
    close_gpu();
}
