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
 * The harness's own test: each construct of wine_test.h once, with a known
 * outcome.  tests/harness/check-harness.sh runs it under Wine as it is and
 * with WINETEST_PLATFORM=windows, and compares every message, the summary
 * line and the exit code with what winetest gives; so this program's own
 * failures below are intended.
 */
#include "wine_test.h"

static DWORD WINAPI thread_check(void *arg)
{
    /* The todo state is per thread: the main thread's todo_wine is not ours. */
    ok(1, "success in a thread\n");
    return 0;
}

START_TEST(harness_selftest)
{
    HANDLE thread;

    ok(1, "plain success\n");
    ok(0, "plain failure\n");

    todo_wine ok(0, "todo_wine failure\n");
    todo_wine ok(1, "todo_wine success\n");
    todo_if(1) ok(0, "todo_if(1) failure\n");
    todo_if(0) ok(0, "todo_if(0) failure\n");
    todo_wine_if(1) ok(0, "todo_wine_if(1) failure\n");
    todo_wine_if(0) ok(0, "todo_wine_if(0) failure\n");
    todo_wine
    {
        todo_if(0) ok(0, "todo_if(0) failure inside todo_wine\n");
    }
    ok(0, "failure after the todo blocks\n");

    ok(broken(1), "broken(1)\n");
    ok(!broken(0), "broken(0)\n");

    flaky ok(0, "flaky failure\n");
    flaky ok(1, "flaky success\n");
    flaky_wine ok(0, "flaky_wine failure\n");

    todo_wine
    {
        thread = CreateThread(NULL, 0, thread_check, NULL, 0, NULL);
        WaitForSingleObject(thread, INFINITE);
        CloseHandle(thread);
    }

    skip("a skip\n");
    win_skip("a win_skip\n");
}
