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
 * A small test harness in the style of Wine's winetest, for Windows test
 * programs that run under Wine and on Windows alike.
 *
 *   START_TEST(name) { ... ok(cond, "format", ...); ... }
 *
 * winetest's semantics:
 *   ok(cond, ...)          a check; a false one prints "file.c:line: Test failed: ..."
 *   todo_wine { ... }      under Wine a check in the block that fails is a todo
 *                          ("Test marked todo: ..."), one that succeeds is a
 *                          failure ("Test succeeded inside todo block: ...");
 *                          on Windows they are plain checks
 *   todo_if(c), todo_wine_if(c)   the same, when c (and, for the second, under Wine)
 *   flaky { ... }          a check that fails is counted as flaky, not as a failure
 *   flaky_wine { ... }     the same, under Wine only
 *   broken(cond)           cond on Windows, false under Wine: an answer only
 *                          some Windows versions give
 *   win_skip(...)          a skip on Windows, a failure under Wine
 *   skip(...), trace(...)
 * The program ends with winetest's summary line
 *   "pid:name: N tests executed (T marked as todo, F as flaky, X failures), S skipped."
 * and exits with the number of failures, todo checks that succeeded included
 * (capped at 255), like winetest.
 *
 * Wine is told from Windows by ntdll's wine_get_version export; the
 * environment variable WINETEST_PLATFORM (wine or windows), which winetest
 * also reads, overrides that (the harness's self-test uses it).
 * The todo and flaky state is per thread.  Leaving a todo or flaky block with
 * break, goto or return leaves it open, as in winetest.
 */
#ifndef WINE_TEST_H
#define WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Take the status codes from ntstatus.h, as NTSTATUS, not winnt.h's DWORDs. */
#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static const char *wine_test_name = "test";
/* wine_test_failures: checks that failed outside todo and flaky blocks;
 * wine_test_todo_failures: checks that succeeded inside a todo block. */
static LONG wine_test_successes, wine_test_failures, wine_test_skipped;
static LONG wine_test_todo_successes, wine_test_todo_failures, wine_test_flaky_failures;
static char wine_test_context[256];
static int wine_test_on_wine = -1;

/* Per thread: one bit per open todo (flaky) block, innermost lowest; and
 * whether the one-pass loop of the block just opened has run. */
static __thread unsigned int wine_test_todo_level, wine_test_flaky_level;
static __thread int wine_test_block_pending;

static inline int wine_test_is_wine(void)
{
    if (wine_test_on_wine < 0)
    {
        const char *platform = getenv("WINETEST_PLATFORM");

        if (platform && (!strcmp(platform, "wine") || !strcmp(platform, "windows")))
            wine_test_on_wine = !strcmp(platform, "wine");
        else
            wine_test_on_wine = GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != NULL;
    }
    return wine_test_on_wine;
}

static inline const char *wine_test_file(const char *file)
{
    const char *p = strrchr(file, '/'), *q = strrchr(file, '\\');
    if (q > p) p = q;
    return p ? p + 1 : file;
}

static inline void wine_test_vprint(const char *file, int line, const char *what, const char *msg, va_list args)
{
    printf("%s:%d: %s%s", wine_test_file(file), line, wine_test_context, what);
    vprintf(msg, args);
    fflush(stdout);
}

static inline int wine_test_vok(const char *file, int line, int condition, const char *msg, va_list args)
{
    if (wine_test_todo_level)
    {
        if (condition)
        {
            InterlockedIncrement(&wine_test_todo_failures);
            wine_test_vprint(file, line, "Test succeeded inside todo block: ", msg, args);
            return 0;
        }
        InterlockedIncrement(&wine_test_todo_successes);
        wine_test_vprint(file, line, "Test marked todo: ", msg, args);
        return 1;
    }
    if (condition)
    {
        InterlockedIncrement(&wine_test_successes);
        return 1;
    }
    if (wine_test_flaky_level)
    {
        InterlockedIncrement(&wine_test_flaky_failures);
        wine_test_vprint(file, line, "Test marked flaky: ", msg, args);
        return 0;
    }
    InterlockedIncrement(&wine_test_failures);
    wine_test_vprint(file, line, "Test failed: ", msg, args);
    return 0;
}

static inline int wine_test_ok(const char *file, int line, int condition, const char *msg, ...)
{
    va_list args;
    int ret;

    va_start(args, msg);
    ret = wine_test_vok(file, line, condition, msg, args);
    va_end(args);
    return ret;
}

/* The block macros: for (start; loop; end) runs the body once. */
static inline void wine_test_start_todo(int is_todo)
{
    wine_test_todo_level = (wine_test_todo_level << 1) | (is_todo != 0);
    wine_test_block_pending = 1;
}

static inline void wine_test_end_todo(void)
{
    wine_test_todo_level >>= 1;
}

static inline void wine_test_start_flaky(int is_flaky)
{
    wine_test_flaky_level = (wine_test_flaky_level << 1) | (is_flaky != 0);
    wine_test_block_pending = 1;
}

static inline void wine_test_end_flaky(void)
{
    wine_test_flaky_level >>= 1;
}

static inline int wine_test_loop_block(void)
{
    int run = wine_test_block_pending;

    wine_test_block_pending = 0;
    return run;
}

static inline int wine_test_broken(int condition)
{
    return !wine_test_is_wine() && condition;
}

static inline void wine_test_skip(const char *file, int line, const char *msg, ...)
{
    va_list args;

    InterlockedIncrement(&wine_test_skipped);
    va_start(args, msg);
    wine_test_vprint(file, line, "Tests skipped: ", msg, args);
    va_end(args);
}

static inline void wine_test_win_skip(const char *file, int line, const char *msg, ...)
{
    va_list args;

    va_start(args, msg);
    if (wine_test_is_wine())
    {
        wine_test_vok(file, line, 0, msg, args);
    }
    else
    {
        InterlockedIncrement(&wine_test_skipped);
        wine_test_vprint(file, line, "Tests skipped: ", msg, args);
    }
    va_end(args);
}

static inline void wine_test_trace(const char *file, int line, const char *msg, ...)
{
    va_list args;

    printf("%s:%d: %s", wine_test_file(file), line, wine_test_context);
    va_start(args, msg);
    vprintf(msg, args);
    va_end(args);
    fflush(stdout);
}

/* Prefix for following messages, like winetest_push_context (one level). */
static inline void wine_test_set_context(const char *fmt, ...)
{
    va_list args;

    if (!fmt)
    {
        wine_test_context[0] = 0;
        return;
    }
    va_start(args, fmt);
    vsnprintf(wine_test_context, sizeof(wine_test_context) - 2, fmt, args);
    va_end(args);
    strcat(wine_test_context, ": ");
}

static int wine_test_summary(void)
{
    LONG failures = wine_test_failures + wine_test_todo_failures;

    printf("%04lx:%s: %ld tests executed (%ld marked as todo, %ld as flaky, %ld failure%s), %ld skipped.\n",
           GetCurrentProcessId(), wine_test_name,
           wine_test_successes + wine_test_failures + wine_test_todo_successes + wine_test_todo_failures
           + wine_test_flaky_failures, wine_test_todo_successes, wine_test_flaky_failures,
           failures, failures == 1 ? "" : "s", wine_test_skipped);
    fflush(stdout);
    return failures > 255 ? 255 : (int)failures;
}

#define ok(cond, ...) wine_test_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define skip(...) wine_test_skip(__FILE__, __LINE__, __VA_ARGS__)
#define win_skip(...) wine_test_win_skip(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...) wine_test_trace(__FILE__, __LINE__, __VA_ARGS__)
#define set_context wine_test_set_context
#define broken(cond) wine_test_broken(!!(cond))

#define todo_if(is_todo) \
    for (wine_test_start_todo(is_todo); wine_test_loop_block(); wine_test_end_todo())
#define todo_wine todo_if(wine_test_is_wine())
#define todo_wine_if(is_todo) todo_if(wine_test_is_wine() && (is_todo))
#define flaky_if(is_flaky) \
    for (wine_test_start_flaky(is_flaky); wine_test_loop_block(); wine_test_end_flaky())
#define flaky flaky_if(1)
#define flaky_wine flaky_if(wine_test_is_wine())

#define START_TEST(name) \
    static void func_##name(void); \
    int main(void) \
    { \
        setvbuf(stdout, NULL, _IONBF, 0); \
        wine_test_name = #name; \
        func_##name(); \
        return wine_test_summary(); \
    } \
    static void func_##name(void)

#endif /* WINE_TEST_H */
