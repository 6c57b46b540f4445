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
 * Two-process tests: the program starts a copy of itself with arguments,
 * and the copy runs the child's part.  The child prints winetest lines like
 * the parent; its exit code is its failure count, which the parent checks.
 *
 *   START_TEST(x) { if (child_mode()) { run_child(child_argv(2)); return; } ... }
 *
 * Handles travel on the command line (a value the child is given by
 * DuplicateHandle into it, or a global handle), and the two sides meet at
 * named events made from the parent's process id (child_event).
 */
#ifndef CHILD_PROCESS_H
#define CHILD_PROCESS_H

#include <stdlib.h>

/* The child's arguments: argv[1] is "child", argv[2...] are its own. */
static inline BOOL child_mode(void)
{
    return __argc >= 2 && !strcmp(__argv[1], "child");
}

static inline const char *child_argv(int i)
{
    return i < __argc ? __argv[i] : "";
}

static inline ULONG_PTR child_arg_ptr(int i)
{
    return (ULONG_PTR)_strtoui64(child_argv(i), NULL, 0);
}

/* Starts this program as "prog child <args>", suspended if asked. */
static inline BOOL start_child(const char *args, DWORD flags, PROCESS_INFORMATION *pi)
{
    char path[MAX_PATH], cmd[MAX_PATH + 1024];
    STARTUPINFOA si;

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    GetModuleFileNameA(NULL, path, sizeof(path));
    snprintf(cmd, sizeof(cmd), "\"%s\" child %s", path, args);
    return CreateProcessA(path, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, pi);
}

/* The child's exit code; a child that does not end in time is killed and
 * reported as 0xdead. */
static inline DWORD wait_child(PROCESS_INFORMATION *pi, DWORD timeout_ms)
{
    DWORD code = 0xdead;

    if (WaitForSingleObject(pi->hProcess, timeout_ms) != WAIT_OBJECT_0)
    {
        TerminateProcess(pi->hProcess, 0xdead);
        WaitForSingleObject(pi->hProcess, 5000);
    }
    else GetExitCodeProcess(pi->hProcess, &code);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    return code;
}

/* Kills the child at once (TerminateProcess) and waits for it to be gone. */
static inline void kill_child(PROCESS_INFORMATION *pi)
{
    TerminateProcess(pi->hProcess, 0xdead);
    WaitForSingleObject(pi->hProcess, 5000);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
}

/* A handle of ours, as a value valid in the child. */
static inline HANDLE handle_for_child(PROCESS_INFORMATION *pi, HANDLE h)
{
    HANDLE out = NULL;

    if (!DuplicateHandle(GetCurrentProcess(), h, pi->hProcess, &out, 0, FALSE, DUPLICATE_SAME_ACCESS)) return NULL;
    return out;
}

/* A named auto-reset event both sides open: the parent's id makes the name
 * unique to one run (the child is given it as an argument). */
static inline HANDLE child_event(DWORD parent_pid, const char *what)
{
    char name[128];

    snprintf(name, sizeof(name), "d3dkmt-test-%lu-%s", (unsigned long)parent_pid, what);
    return CreateEventA(NULL, FALSE, FALSE, name);
}

/* Waits for an event, failing the test after timeout_ms. */
static inline BOOL wait_event(HANDLE event, DWORD timeout_ms)
{
    return WaitForSingleObject(event, timeout_ms) == WAIT_OBJECT_0;
}

/* The 32-bit build of this program next to this 64-bit one (prog.i686.exe),
 * or FALSE. */
static inline BOOL other_arch_path(char *path, size_t size)
{
    char *dot;

    path[0] = 0;
    if (sizeof(void *) == 4) return FALSE;
    GetModuleFileNameA(NULL, path, size);
    if (!(dot = strrchr(path, '.')) || size - (dot - path) < 10) return FALSE;
    strcpy(dot, ".i686.exe");
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

/* start_child, of another program (exe; NULL: this one). */
static inline BOOL start_exe(const char *exe, const char *args, DWORD flags, PROCESS_INFORMATION *pi)
{
    char cmd[MAX_PATH + 256];
    STARTUPINFOA si;

    if (!exe) return start_child(args, flags, pi);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    snprintf(cmd, sizeof(cmd), "\"%s\" child %s", exe, args);
    return CreateProcessA(exe, cmd, NULL, NULL, FALSE, flags, NULL, NULL, &si, pi);
}

/* A value for the child (a handle valid in it...), in a page named after
 * the parent; keep the returned mapping open until the child has read it. */
static inline HANDLE post_child_value(DWORD parent_pid, ULONG_PTR value)
{
    char name[64];
    HANDLE map;
    ULONG_PTR *p;

    snprintf(name, sizeof(name), "d3dkmt-test-%lu-value", (unsigned long)parent_pid);
    map = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, name);
    if ((p = MapViewOfFile(map, FILE_MAP_WRITE, 0, 0, 0)))
    {
        *p = value;
        UnmapViewOfFile(p);
    }
    return map;
}

static inline ULONG_PTR get_child_value(DWORD parent_pid)
{
    char name[64];
    HANDLE map;
    ULONG_PTR *p, value = 0;

    snprintf(name, sizeof(name), "d3dkmt-test-%lu-value", (unsigned long)parent_pid);
    if (!(map = OpenFileMappingA(FILE_MAP_READ, FALSE, name))) return 0;
    if ((p = MapViewOfFile(map, FILE_MAP_READ, 0, 0, 0)))
    {
        value = *p;
        UnmapViewOfFile(p);
    }
    CloseHandle(map);
    return value;
}

#endif /* CHILD_PROCESS_H */
