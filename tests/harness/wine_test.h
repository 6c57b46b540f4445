/*
 * A small test harness in the style of Wine's winetest, for Windows test
 * programs that run under Wine and on Windows alike.
 *
 *   START_TEST(name) { ... ok(cond, "format", ...); ... }
 *
 * A failed check prints "file.c:line: Test failed: message"; the program
 * ends with winetest's summary line
 *   "pid:name: N tests executed (0 marked as todo, 0 as flaky, F failures), S skipped."
 * and exits with the number of failures (capped at 255).
 */
#ifndef WINE_TEST_H
#define WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
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
static LONG wine_test_successes, wine_test_failures, wine_test_skipped;
static char wine_test_context[256];

static inline const char *wine_test_file(const char *file)
{
    const char *p = strrchr(file, '/'), *q = strrchr(file, '\\');
    if (q > p) p = q;
    return p ? p + 1 : file;
}

static inline int wine_test_vok(const char *file, int line, int condition, const char *msg, va_list args)
{
    if (condition)
    {
        InterlockedIncrement(&wine_test_successes);
        return 1;
    }
    InterlockedIncrement(&wine_test_failures);
    printf("%s:%d: %sTest failed: ", wine_test_file(file), line, wine_test_context);
    vprintf(msg, args);
    fflush(stdout);
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

static inline void wine_test_skip(const char *file, int line, const char *msg, ...)
{
    va_list args;

    InterlockedIncrement(&wine_test_skipped);
    printf("%s:%d: %sTests skipped: ", wine_test_file(file), line, wine_test_context);
    va_start(args, msg);
    vprintf(msg, args);
    va_end(args);
    fflush(stdout);
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
    printf("%04lx:%s: %ld tests executed (0 marked as todo, 0 as flaky, %ld failure%s), %ld skipped.\n",
           GetCurrentProcessId(), wine_test_name, wine_test_successes + wine_test_failures,
           wine_test_failures, wine_test_failures == 1 ? "" : "s", wine_test_skipped);
    fflush(stdout);
    return wine_test_failures > 255 ? 255 : (int)wine_test_failures;
}

#define ok(cond, ...) wine_test_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define skip(...) wine_test_skip(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...) wine_test_trace(__FILE__, __LINE__, __VA_ARGS__)
#define set_context wine_test_set_context

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
