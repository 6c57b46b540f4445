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
 * Conformance (Wine only): the test-control escape (d3dkmt_driver.h) answers
 * only in a process started with WINE_D3DKMT_TEST_CONTROL=1.
 *
 * make check runs this program with the variable set, so here the escape
 * works; the program then starts itself again with the variable removed
 * from the environment block, or set to something other than "1", and the
 * child checks that the escape is refused like any unknown private escape
 * (STATUS_INVALID_PARAMETER) and did nothing.  The module reads the
 * process's Windows environment (the Unix one is the parent's under Wine).
 */
#include <stdlib.h>
#include "d3dkmt_test.h"

static const WCHAR variable[] = L"WINE_D3DKMT_TEST_CONTROL";

/* In the child: every command is refused and changes nothing. */
static void child(void)
{
    D3DKMT_HANDLE adapter, device;
    D3DKMT_WINE_ESCAPE out;
    NTSTATUS status;

    if (!load_d3dkmt()) return;
    ok(!open_display1(&adapter, NULL), "no adapter\n");
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &out);
    ok(status == STATUS_INVALID_PARAMETER, "stats escape: %#lx\n", status);
    /* wine_escape() zeroes the payload; statistics would count our adapter. */
    ok(!out.Adapters, "statistics written back: %u adapters\n", out.Adapters);
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_REMOVE_ADAPTER, 0, NULL);
    ok(status == STATUS_INVALID_PARAMETER, "remove escape: %#lx\n", status);
    /* The adapter was not removed. */
    status = create_device(adapter, &device);
    ok(status == STATUS_SUCCESS, "CreateDevice after the escape: %#lx\n", status);
    if (!status) destroy_device(device);
    close_adapter(adapter);
}

/* This process's environment without the variable, plus `value` (a whole
 * NAME=value string) when given. */
static WCHAR *environment_with(const WCHAR *value)
{
    WCHAR *env = GetEnvironmentStringsW(), *p, *block, *out;
    size_t len = wcslen(variable), size = 0;

    for (p = env; *p; p += wcslen(p) + 1) size += wcslen(p) + 1;
    block = out = malloc((size + (value ? wcslen(value) + 1 : 0) + 1) * sizeof(WCHAR));
    for (p = env; *p; p += wcslen(p) + 1)
    {
        if (!_wcsnicmp(p, variable, len) && p[len] == '=') continue;
        wcscpy(out, p);
        out += wcslen(p) + 1;
    }
    if (value)
    {
        wcscpy(out, value);
        out += wcslen(value) + 1;
    }
    *out = 0;
    FreeEnvironmentStringsW(env);
    return block;
}

static void run_child(const WCHAR *value)
{
    WCHAR path[MAX_PATH], cmdline[MAX_PATH + 16], *env = environment_with(value);
    PROCESS_INFORMATION info;
    STARTUPINFOW startup;
    DWORD code = 1;

    GetModuleFileNameW(NULL, path, ARRAY_SIZE(path));
    swprintf(cmdline, ARRAY_SIZE(cmdline), L"\"%s\" child", path);
    memset(&startup, 0, sizeof(startup));
    startup.cb = sizeof(startup);
    if (!CreateProcessW(path, cmdline, NULL, NULL, FALSE, CREATE_UNICODE_ENVIRONMENT, env, NULL, &startup, &info))
    {
        ok(0, "CreateProcess: error %lu\n", GetLastError());
        free(env);
        return;
    }
    WaitForSingleObject(info.hProcess, INFINITE);
    GetExitCodeProcess(info.hProcess, &code);
    ok(code == 0, "child with %ls: %lu failures\n", value ? value : L"no variable", code);
    CloseHandle(info.hProcess);
    CloseHandle(info.hThread);
    free(env);
}

START_TEST(testcontrol)
{
    D3DKMT_HANDLE adapter;
    WCHAR value[8];
    NTSTATUS status;

    if (__argc > 1 && !strcmp(__argv[1], "child"))
    {
        child();
        return;
    }
    if (!load_d3dkmt()) return;
    if (d3dkmt_module == GetModuleHandleA("gdi32.dll"))
    {
        skip("not this module: no test escape\n");
        return;
    }
    /* The other programs skip their escape tests without it: it must be set. */
    ok(GetEnvironmentVariableW(variable, value, ARRAY_SIZE(value)) == 1 && value[0] == '1',
       "make check must run the tests with WINE_D3DKMT_TEST_CONTROL=1\n");
    ok(!open_display1(&adapter, NULL), "no adapter\n");
    status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, NULL);
    ok(status == STATUS_SUCCESS, "stats escape with the variable: %#lx\n", status);
    close_adapter(adapter);

    run_child(NULL);
    run_child(L"WINE_D3DKMT_TEST_CONTROL=0");
    run_child(L"WINE_D3DKMT_TEST_CONTROL=yes");
    run_child(L"WINE_D3DKMT_TEST_CONTROL=");
}
