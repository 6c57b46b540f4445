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
 * Fault injection for application developers (WINE_D3DKMT_FAULTS, or the
 * registry value "Faults").  The program starts copies of itself with a
 * setting; each child runs one scenario, checks the statuses and that an
 * injected failure changed nothing, and writes what failed where to a file
 * the parent reads:
 *  - CreateAllocation2 failing with NO_VIDEO_MEMORY / NO_MEMORY by
 *    probability: the same seed fails the same calls, another seed others;
 *  - CreateAllocation2 failing once the bytes created reach a total;
 *  - Lock with DonotWait reporting ALLOCATION_BUSY by probability, by seed;
 *  - the device removed after N device calls and after T ms: the device is
 *    reset (GetDeviceState), its objects can be destroyed, a new device works;
 *  - the budget shrunk at once and later, the pager evicting down to it with
 *    every byte kept;
 *  - bad settings ignored item by item, an over-long one entirely; the
 *    per-program registry value, and the environment winning over it.
 * The setting is a Wine module feature: on Windows (no d3dkmt.dll) it skips.
 */
#include <windows.h>
#include <stdio.h>

#include "wine_test.h"
#include "d3dkmt_test.h"
#include "child_process.h"

#define MB (1024ull * 1024)
#define TIMEOUT 60000

static D3DKMT_HANDLE adapter, device;
static FILE *out;

/* ---- child side ---- */

static D3DKMT_HANDLE new_alloc(D3DKMT_HANDLE dev, UINT64 size, UINT group, NTSTATUS *status)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(size, group, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE h = 0;

    *status = create_alloc(dev, &desc, &h);
    return h;
}

static UINT execution_state(D3DKMT_HANDLE dev, NTSTATUS *status)
{
    D3DKMT_GETDEVICESTATE desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.StateType = D3DKMT_DEVICESTATE_EXECUTION;
    *status = pGetDeviceState(&desc);
    return desc.ExecutionState;
}

/* Probability faults of CreateAllocation2: writes "index:status" of each failure. */
static void child_create(void)
{
    D3DKMT_HANDLE handles[200];
    D3DKMT_WINE_ESCAPE before, after;
    NTSTATUS status;
    UINT i, failures = 0;

    for (i = 0; i < ARRAY_SIZE(handles); i++)
    {
        before = wine_stats(adapter);
        handles[i] = new_alloc(device, 4096, i % 2, &status);
        if (!status) continue;
        failures++;
        ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY || status == STATUS_NO_MEMORY, "call %u: %#lx\n", i, status);
        ok(!handles[i], "call %u: handle %#x\n", i, handles[i]);
        after = wine_stats(adapter);
        ok(after.Allocations == before.Allocations && after.LocalUsage == before.LocalUsage
           && after.NonLocalUsage == before.NonLocalUsage, "call %u: something changed: %u/%u allocations\n", i,
           before.Allocations, after.Allocations);
        fprintf(out, "%u:%lx ", i, status);
    }
    ok(failures > 0 && failures < ARRAY_SIZE(handles), "%u failures\n", failures);
    for (i = 0; i < ARRAY_SIZE(handles); i++)
        if (handles[i]) ok(!destroy_alloc(device, handles[i]), "destroy %u\n", i);
}

/* create-fail-after-bytes=1M: 16 allocations of 64 KiB, then none, even after destroying. */
static void child_bytes(void)
{
    D3DKMT_HANDLE handles[32], h;
    NTSTATUS status = 0;
    UINT i, count;

    for (count = 0; count < ARRAY_SIZE(handles); count++)
        if (!(handles[count] = new_alloc(device, 64 * 1024, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status))) break;
    ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY, "local: %#lx after %u\n", status, count);
    h = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, &status);
    ok(status == STATUS_NO_MEMORY && !h, "non-local: %#lx\n", status);
    for (i = 0; i < count; i++) ok(!destroy_alloc(device, handles[i]), "destroy %u\n", i);
    h = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status);
    ok(status == STATUS_GRAPHICS_NO_VIDEO_MEMORY && !h, "after destroying: %#lx\n", status);
    ok(wine_stats(adapter).Allocations == 0, "allocations left\n");
    fprintf(out, "%u", count);
}

/* lock-busy: writes the indices of the Lock calls with DonotWait that failed. */
static void child_lock(void)
{
    D3DKMT_LOCK2 lock2;
    D3DKMT_HANDLE h;
    NTSTATUS status;
    void *p, *first;
    UINT i, failures = 0;

    h = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, &status);
    ok(!status, "create: %#lx\n", status);
    ok(!lock_alloc(device, h, 0, &first), "lock\n");
    memset(first, 0x3c, 4096);
    ok(!unlock_alloc(device, h), "unlock\n");
    for (i = 0; i < 100; i++)
    {
        p = NULL;
        status = lock_alloc(device, h, 4 /* DonotWait */, &p);
        if (!status)
        {
            ok(p == first && ((BYTE *)p)[100] == 0x3c, "call %u: %p\n", i, p);
            ok(!unlock_alloc(device, h), "call %u: unlock\n", i);
        }
        else
        {
            failures++;
            ok(status == STATUS_GRAPHICS_ALLOCATION_BUSY, "call %u: %#lx\n", i, status);
            /* Nothing is locked: there is nothing to unlock. */
            ok(unlock_alloc(device, h) == STATUS_INVALID_PARAMETER, "call %u: locked after all\n", i);
            fprintf(out, "%u ", i);
        }
        /* A Lock that may wait, and Lock2 (which has no DonotWait), never fail. */
        ok(!lock_alloc(device, h, 0, &p) && p == first, "call %u: waiting lock\n", i);
        ok(!unlock_alloc(device, h), "call %u: unlock\n", i);
        if (pLock2)
        {
            memset(&lock2, 0, sizeof(lock2));
            lock2.hDevice = device;
            lock2.hAllocation = h;
            ok(!pLock2(&lock2) && lock2.pData == first, "call %u: Lock2\n", i);
            ok(!unlock_alloc(device, h), "call %u: unlock\n", i);
        }
    }
    ok(failures > 0 && failures < 100, "%u failures\n", failures);
    ok(!destroy_alloc(device, h), "destroy\n");
}

/* After removal: the device is reset, its objects go, a new device works. */
static void check_removed(D3DKMT_HANDLE *handles, UINT count)
{
    D3DKMT_HANDLE dev2, h;
    NTSTATUS status;
    UINT state, i;
    void *p;

    if (count) ok(lock_alloc(device, handles[0], 0, &p) == STATUS_DEVICE_REMOVED, "lock on the removed device\n");
    state = execution_state(device, &status);
    ok(!status && state == D3DKMT_DEVICEEXECUTION_RESET, "GetDeviceState: %#lx, state %u\n", status, state);
    for (i = 0; i < count; i++) ok(!destroy_alloc(device, handles[i]), "destroy %u\n", i);
    destroy_device(device);
    ok(!create_device(adapter, &dev2), "a new device\n");
    h = new_alloc(dev2, 4096, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status);
    ok(!status, "create on the new device: %#lx\n", status);
    ok(!lock_alloc(dev2, h, 0, &p) && p, "lock on the new device\n");
    ok(!unlock_alloc(dev2, h), "unlock\n");
    state = execution_state(dev2, &status);
    ok(!status && state == D3DKMT_DEVICEEXECUTION_ACTIVE, "new device: %#lx, state %u\n", status, state);
    ok(!destroy_alloc(dev2, h), "destroy\n");
    device = dev2;
}

/* removed-after-calls=10: the 11th device call finds the device removed. */
static void child_removed_calls(void)
{
    D3DKMT_HANDLE handles[50];
    NTSTATUS status = 0;
    UINT i;

    for (i = 0; i < ARRAY_SIZE(handles); i++)
        if (!(handles[i] = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL, &status))) break;
    ok(status == STATUS_DEVICE_REMOVED, "%#lx at call %u\n", status, i);
    fprintf(out, "%u", i);
    check_removed(handles, i);
}

/* removed-after-ms=500: creation works until then, then the device is removed. */
static void child_removed_ms(void)
{
    DWORD start = GetTickCount(), elapsed = 0;
    NTSTATUS status = 0;
    D3DKMT_HANDLE h;

    while ((elapsed = GetTickCount() - start) < 10000)
    {
        if (!(h = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status))) break;
        ok(!destroy_alloc(device, h), "destroy\n");
        Sleep(10);
    }
    ok(status == STATUS_DEVICE_REMOVED, "%#lx after %lu ms\n", status, elapsed);
    ok(elapsed >= 400 && elapsed < 5000, "removed after %lu ms\n", elapsed);
    fprintf(out, "removed");
    check_removed(NULL, 0);
}

static void fill(D3DKMT_HANDLE h, UINT seed, BOOL check)
{
    UINT32 *p = NULL;
    UINT i, bad = 0;

    ok(!lock_alloc(device, h, 0, (void **)&p), "lock %#x\n", h);
    if (!p) return;
    for (i = 0; i < 4 * MB / 4; i += 1021)
    {
        if (!check) p[i] = seed * 7919 + i;
        else if (p[i] != seed * 7919 + i) bad++;
    }
    ok(!bad, "allocation %u: %u words lost\n", seed, bad);
    ok(!unlock_alloc(device, h), "unlock %#x\n", h);
}

/* budget=8M (budget-after-ms=300 with "later"): QueryVideoMemoryInfo says so
 * and the pager evicts to it, keeping every byte. */
static void child_budget(BOOL later)
{
    D3DKMT_HANDLE handles[4];
    DWORD start = GetTickCount();
    UINT64 usage, budget;
    D3DKMT_WINE_ESCAPE stats = {0};
    NTSTATUS status;
    UINT i;

    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
    if (later) ok(budget > 8 * MB, "budget %#I64x at once\n", budget);
    else ok(budget == 8 * MB, "budget %#I64x\n", budget);
    for (i = 0; i < ARRAY_SIZE(handles); i++)
    {
        handles[i] = new_alloc(device, 4 * MB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status);
        ok(!status, "create %u: %#lx\n", i, status);
        fill(handles[i], i, FALSE);
    }
    while (later && GetTickCount() - start < 10000)
    {
        query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
        if (budget == 8 * MB) break;
        Sleep(50);
    }
    ok(budget == 8 * MB, "budget %#I64x after %lu ms\n", budget, GetTickCount() - start);
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, &stats);
    ok(!status, "wait idle: %#lx\n", status);
    usage = query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
    ok(usage <= 8 * MB, "usage %#I64x over the budget\n", usage);
    ok(stats.BackingBytes >= 8 * MB, "%#I64x bytes evicted\n", stats.BackingBytes);
    for (i = 0; i < ARRAY_SIZE(handles); i++) fill(handles[i], i, TRUE);
    for (i = 0; i < ARRAY_SIZE(handles); i++) ok(!destroy_alloc(device, handles[i]), "destroy %u\n", i);
    fprintf(out, "budget %lu", (unsigned long)budget);
}

/* budget=8M,budget-after-ms=200 with no QueryVideoMemoryInfo: the watcher
 * thread applies it (and logs it, with WINEDEBUG=warn+d3dkmt, from a thread
 * that is not Wine's), the pager evicts down to it. */
static void child_budget_watcher(void)
{
    D3DKMT_HANDLE handles[4];
    D3DKMT_WINE_ESCAPE stats = {0};
    DWORD start = GetTickCount();
    NTSTATUS status;
    UINT i;

    for (i = 0; i < ARRAY_SIZE(handles); i++)
    {
        handles[i] = new_alloc(device, 4 * MB, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status);
        ok(!status, "create %u: %#lx\n", i, status);
        fill(handles[i], i, FALSE);
    }
    do
    {
        Sleep(100);
        wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &stats);
    } while (stats.LocalBudget != 8 * MB && GetTickCount() - start < 10000);
    ok(stats.LocalBudget == 8 * MB, "budget %#I64x\n", stats.LocalBudget);
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, &stats);
    ok(!status && stats.LocalUsage <= 8 * MB, "usage %#I64x over the budget\n", stats.LocalUsage);
    for (i = 0; i < ARRAY_SIZE(handles); i++) fill(handles[i], i, TRUE);
    for (i = 0; i < ARRAY_SIZE(handles); i++) ok(!destroy_alloc(device, handles[i]), "destroy %u\n", i);
    fprintf(out, "watcher");
}

/* No fault at all: allocations and DonotWait locks all work. */
static void child_plain(void)
{
    D3DKMT_HANDLE h;
    NTSTATUS status;
    UINT64 budget, size;
    UINT i;
    void *p;

    for (i = 0; i < 40; i++)
    {
        h = new_alloc(device, 4096, i % 2, &status);
        ok(!status, "create %u: %#lx\n", i, status);
        ok(!lock_alloc(device, h, 4, &p), "lock %u\n", i);
        ok(!unlock_alloc(device, h), "unlock %u\n", i);
        ok(!destroy_alloc(device, h), "destroy %u\n", i);
    }
    query_usage(adapter, D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL, &budget);
    size = wine_stats(adapter).LocalBudget;
    ok(budget == size, "budget %#I64x, stats %#I64x\n", budget, size);
    fprintf(out, "plain");
}

/* create-no-memory=1 (with other items that are bad): creation fails, locks work. */
static void child_nomem(void)
{
    D3DKMT_HANDLE h;
    NTSTATUS status;

    h = new_alloc(device, 4096, D3DKMT_WINE_SEGMENT_GROUP_LOCAL, &status);
    ok(status == STATUS_NO_MEMORY && !h, "create: %#lx\n", status);
    fprintf(out, "nomem");
}

static void run_child(const char *mode, const char *path)
{
    NTSTATUS status;

    if (!(out = fopen(path, "w")))
    {
        ok(0, "cannot write %s\n", path);
        return;
    }
    status = open_display1(&adapter, NULL);
    ok(!status, "open adapter: %#lx\n", status);
    status = create_device(adapter, &device);
    ok(!status, "create device: %#lx\n", status);
    if (!strcmp(mode, "create")) child_create();
    else if (!strcmp(mode, "bytes")) child_bytes();
    else if (!strcmp(mode, "lock")) child_lock();
    else if (!strcmp(mode, "removed-calls")) child_removed_calls();
    else if (!strcmp(mode, "removed-ms")) child_removed_ms();
    else if (!strcmp(mode, "budget")) child_budget(FALSE);
    else if (!strcmp(mode, "budget-later")) child_budget(TRUE);
    else if (!strcmp(mode, "budget-watcher")) child_budget_watcher();
    else if (!strcmp(mode, "plain")) child_plain();
    else if (!strcmp(mode, "nomem")) child_nomem();
    else ok(0, "unknown mode %s\n", mode);
    destroy_device(device);
    close_adapter(adapter);
    fclose(out);
}

/* ---- parent side ---- */

/* Starts this program, or its other-architecture twin beside it
 * (faults.exe <-> faults.i686.exe), as a child; FALSE if there is no twin. */
static BOOL start_program(const char *args, BOOL other_arch, PROCESS_INFORMATION *pi)
{
    char path[MAX_PATH], cmd[MAX_PATH + 400], *dot;
    STARTUPINFOA si;

    if (!other_arch) return start_child(args, 0, pi);
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

/* Runs one child with WINE_D3DKMT_FAULTS=setting (NULL: not set) and returns
 * what it wrote; FALSE when other_arch and there is no twin. */
static BOOL child_arch(const char *setting, const char *mode, BOOL other_arch, char *result, size_t size)
{
    char dir[MAX_PATH], path[MAX_PATH], args[MAX_PATH + 64];
    PROCESS_INFORMATION pi;
    DWORD code, len = 0;
    HANDLE file;
    BOOL started;

    result[0] = 0;
    GetTempPathA(sizeof(dir), dir);
    GetTempFileNameA(dir, "flt", 0, path);
    snprintf(args, sizeof(args), "%s \"%s\"", mode, path);
    SetEnvironmentVariableA("WINE_D3DKMT_FAULTS", setting);
    started = start_program(args, other_arch, &pi);
    SetEnvironmentVariableA("WINE_D3DKMT_FAULTS", NULL);
    if (!started)
    {
        ok(other_arch, "cannot start the child: %lu\n", GetLastError());
        DeleteFileA(path);
        return FALSE;
    }
    code = wait_child(&pi, TIMEOUT);
    ok(!code, "child %s with \"%s\": exit code %#lx\n", mode, setting ? setting : "(unset)", code);
    file = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (file != INVALID_HANDLE_VALUE)
    {
        if (!ReadFile(file, result, size - 1, &len, NULL)) len = 0;
        CloseHandle(file);
    }
    result[len] = 0;
    DeleteFileA(path);
    trace("%s%s with \"%s\": %.200s\n", mode, other_arch ? " (other architecture)" : "",
          setting ? setting : "(unset)", result);
    return TRUE;
}

static void child(const char *setting, const char *mode, char *result, size_t size)
{
    child_arch(setting, mode, FALSE, result, size);
}

static void test_create_probability(void)
{
    char a[4096], b[4096], c[4096];

    child("seed=7,create-no-video-memory=0.2,create-no-memory=0.1", "create", a, sizeof(a));
    child("seed=7,create-no-video-memory=0.2,create-no-memory=0.1", "create", b, sizeof(b));
    child("seed=8,create-no-video-memory=0.2,create-no-memory=0.1", "create", c, sizeof(c));
    ok(a[0] && !strcmp(a, b), "one seed, two runs: \"%s\" and \"%s\"\n", a, b);
    ok(c[0] && strcmp(a, c), "another seed fails the same calls: \"%s\"\n", c);
    ok(strstr(a, ":c01e0100") && strstr(a, ":c0000017"), "both statuses: \"%s\"\n", a);
    /* The other architecture's build fails the same calls. */
    if (child_arch("seed=7,create-no-video-memory=0.2,create-no-memory=0.1", "create", TRUE, c, sizeof(c)))
        ok(!strcmp(a, c), "the other architecture: \"%s\"\n", c);
    else skip("no other-architecture build beside this program\n");
}

static void test_create_bytes(void)
{
    char r[64];

    child("create-fail-after-bytes=1M", "bytes", r, sizeof(r));
    ok(!strcmp(r, "16"), "%s allocations of 64 KiB in 1 MiB\n", r);
}

static void test_lock_busy(void)
{
    char a[1024], b[1024], c[1024];

    child("lock-busy=0.3,seed=3", "lock", a, sizeof(a));
    child("seed=3,lock-busy=0.3", "lock", b, sizeof(b));
    child("lock-busy=0.3,seed=4", "lock", c, sizeof(c));
    ok(a[0] && !strcmp(a, b), "one seed, two runs: \"%s\" and \"%s\"\n", a, b);
    ok(c[0] && strcmp(a, c), "another seed fails the same calls: \"%s\"\n", c);
}

static void test_removed(void)
{
    char r[64];

    child("removed-after-calls=10", "removed-calls", r, sizeof(r));
    ok(!strcmp(r, "10"), "removed at call %s\n", r);
    child("removed-after-ms=500", "removed-ms", r, sizeof(r));
    ok(!strcmp(r, "removed"), "%s\n", r);
}

static void test_budget(void)
{
    char r[64], debug[256] = "";

    child("budget=8M", "budget", r, sizeof(r));
    ok(!strcmp(r, "budget 8388608"), "%s\n", r);
    child("budget=8M,budget-after-ms=300", "budget-later", r, sizeof(r));
    ok(!strcmp(r, "budget 8388608"), "%s\n", r);
    /* Logged from the watcher thread: once killed the process (no TEB). */
    GetEnvironmentVariableA("WINEDEBUG", debug, sizeof(debug));
    SetEnvironmentVariableA("WINEDEBUG", "warn+d3dkmt");
    child("budget=8M,budget-after-ms=200", "budget-watcher", r, sizeof(r));
    SetEnvironmentVariableA("WINEDEBUG", debug[0] ? debug : NULL);
    ok(!strcmp(r, "watcher"), "%s\n", r);
}

static void test_bad_settings(void)
{
    char r[64], setting[400];

    child("bogus,lock-busy=2,budget=1", "plain", r, sizeof(r));
    ok(!strcmp(r, "plain"), "%s\n", r);
    child("lock-busy=2,create-no-memory=1,seed=x", "nomem", r, sizeof(r));
    ok(!strcmp(r, "nomem"), "%s\n", r);
    /* Longer than the module takes: ignored as a whole. */
    memset(setting, 0, sizeof(setting));
    strcpy(setting, "create-no-memory=1");
    while (strlen(setting) < 300) strcat(setting, ",seed=1");
    child(setting, "plain", r, sizeof(r));
    ok(!strcmp(r, "plain"), "%s\n", r);
}

/* HKCU\Software\Wine\AppDefaults\<this program>\d3dkmt "Faults": only this
 * program's processes read it, so other tests in the prefix are untouched. */
static void test_registry(void)
{
    char exe[MAX_PATH], key[MAX_PATH + 64], r[64];
    const char *name;
    HKEY hkey;
    LONG ret;

    GetModuleFileNameA(NULL, exe, sizeof(exe));
    name = strrchr(exe, '\\') ? strrchr(exe, '\\') + 1 : exe;
    snprintf(key, sizeof(key), "Software\\Wine\\AppDefaults\\%s\\d3dkmt", name);
    ret = RegCreateKeyExA(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &hkey, NULL);
    ok(!ret, "RegCreateKeyEx: %ld\n", ret);
    if (ret) return;
    ret = RegSetValueExA(hkey, "Faults", 0, REG_SZ, (const BYTE *)"create-no-memory=1", 19);
    ok(!ret, "RegSetValueEx: %ld\n", ret);
    child(NULL, "nomem", r, sizeof(r));
    ok(!strcmp(r, "nomem"), "from the registry: %s\n", r);
    /* The environment wins, even empty. */
    child("", "plain", r, sizeof(r));
    ok(!strcmp(r, "plain"), "empty environment: %s\n", r);
    /* A value that is not a string is ignored. */
    ret = RegSetValueExA(hkey, "Faults", 0, REG_DWORD, (const BYTE *)&ret, sizeof(DWORD));
    child(NULL, "plain", r, sizeof(r));
    ok(!strcmp(r, "plain"), "a DWORD value: %s\n", r);
    RegDeleteValueA(hkey, "Faults");
    RegCloseKey(hkey);
    RegDeleteKeyA(HKEY_CURRENT_USER, key);
    *strrchr(key, '\\') = 0;
    RegDeleteKeyA(HKEY_CURRENT_USER, key);
}

START_TEST(faults)
{
    NTSTATUS status;

    if (child_mode())
    {
        if (load_d3dkmt()) run_child(child_argv(2), child_argv(3));
        return;
    }
    if (!load_d3dkmt()) return;
    if (!GetModuleHandleA("d3dkmt.dll"))
    {
        win_skip("fault injection is a feature of the Wine module\n");
        return;
    }
    /* The children check "nothing changed" through the test escape. */
    status = open_display1(&adapter, NULL);
    ok(!status, "open adapter: %#lx\n", status);
    if (wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL))
    {
        skip("no test-control escape (WINE_D3DKMT_TEST_CONTROL=1)\n");
        close_adapter(adapter);
        return;
    }
    close_adapter(adapter);
    SetEnvironmentVariableA("WINE_D3DKMT_FAULTS", NULL);

    test_create_probability();
    test_create_bytes();
    test_lock_busy();
    test_removed();
    test_budget();
    test_bad_settings();
    test_registry();
}
