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
 * The system view's provider under Wine (struct vidmm_system_ops).
 *
 * The view is a pagefile-backed section named
 * \KernelObjects\__wine_d3dkmt_system_v2, created by the first process that
 * opens an adapter (OBJ_OPENIF) and mapped by every other: one per
 * wineserver, so one per prefix, out of reach of other prefixes and users.
 * wineserver keeps it while any process has it open or mapped, so it goes
 * with the last process.
 *
 * Liveness tokens: OFD locks (F_OFD_SETLK) on bytes of the section's file,
 * which wineserver hands out with wine_server_handle_to_fd.  That fd shares
 * the server's open file description; the process reopens the file through
 * /proc/self/fd to get one of its own (O_CLOEXEC), so its locks are its own
 * and the kernel drops them when the process dies, however it dies.
 *
 * Wine signals a terminated process (TerminateProcess) before the kernel
 * has closed its files, so process_alive also asks wineserver: a process
 * whose exit status is set has ended.  That is a server call, which only
 * threads Wine made may do: on other threads (the watcher, the pager) it
 * answers "not known".
 */
#if 0
#pragma makedep unix
#endif
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unix_private.h"

/* ntdll.so's, declared in Wine's wine/server.h, which Wine does not install. */
extern NTSTATUS CDECL wine_server_handle_to_fd(HANDLE handle, unsigned int access, int *unix_fd,
                                               unsigned int *options);

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

static WCHAR view_name[96] = {'\\','K','e','r','n','e','l','O','b','j','e','c','t','s','\\',
    '_','_','w','i','n','e','_','d','3','d','k','m','t','_','s','y','s','t','e','m','_','v','2',0};
static HANDLE view_section;
static int view_fd = -1;      /* our own open file description of the section's file */

void wine_system_set_name(const char *name, size_t size)
{
    size_t len = 0, i;

    while (view_name[len]) len++;
    if (!name[0]) return;
    view_name[len++] = '_';
    /* The PE side checked the characters; a private view for tests. */
    for (i = 0; i < size && name[i] && len < ARRAY_SIZE(view_name) - 1; i++) view_name[len++] = (unsigned char)name[i];
    view_name[len] = 0;
}

static void *wine_system_map(void *ctx, uint32_t size)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attr = { sizeof(attr), 0, &name, OBJ_OPENIF, NULL, NULL };
    LARGE_INTEGER max = {{ size, 0 }};
    SIZE_T len = size;
    void *base = NULL;
    char path[64];
    NTSTATUS status;
    int fd;

    name.Buffer = view_name;
    for (name.Length = 0; view_name[name.Length / sizeof(WCHAR)]; name.Length += sizeof(WCHAR)) ;
    name.MaximumLength = name.Length + sizeof(WCHAR);
    if ((status = NtCreateSection(&view_section, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &attr, &max,
                                  PAGE_READWRITE, SEC_COMMIT, NULL)) < 0)
    {
        WARN("no system view section: %#x\n", (unsigned int)status);
        return NULL;
    }
    TRACE("system view section %p (%s)\n", view_section, status == STATUS_OBJECT_NAME_EXISTS ? "opened" : "created");
    if ((status = wine_server_handle_to_fd(view_section, 0, &fd, NULL)))
    {
        WARN("no fd for the system view: %#x\n", (unsigned int)status);
        goto fail;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    view_fd = open(path, O_RDWR | O_CLOEXEC);
    close(fd);
    if (view_fd < 0)
    {
        WARN("cannot reopen the system view's file: %d\n", errno);
        goto fail;
    }
    if ((status = NtMapViewOfSection(view_section, GetCurrentProcess(), &base, 0, 0, NULL, &len, ViewShare, 0,
                                     PAGE_READWRITE)) || len < size)
    {
        WARN("cannot map the system view: %#x\n", (unsigned int)status);
        if (!status) NtUnmapViewOfSection(GetCurrentProcess(), base);
        goto fail;
    }
    return base;

fail:
    if (view_fd >= 0) close(view_fd);
    view_fd = -1;
    NtClose(view_section);
    view_section = NULL;
    return NULL;
}

static void wine_system_unmap(void *ctx, void *base, uint32_t size)
{
    NtUnmapViewOfSection(GetCurrentProcess(), base);
    if (view_fd >= 0) close(view_fd);
    view_fd = -1;
    NtClose(view_section);
    view_section = NULL;
}

static int slot_lock(int cmd, short type, uint32_t slot, struct flock *fl)
{
    fl->l_type = type;
    fl->l_whence = SEEK_SET;
    fl->l_start = VIDMM_SYSTEM_LOCK_BASE + slot;
    fl->l_len = 1;
    fl->l_pid = 0;
    return fcntl(view_fd, cmd, fl);
}

static int wine_system_claim_slot(void *ctx, uint32_t slot)
{
    struct flock fl;
    return slot_lock(F_OFD_SETLK, F_WRLCK, slot, &fl) ? -1 : 0;
}

static void wine_system_release_slot(void *ctx, uint32_t slot)
{
    struct flock fl;
    slot_lock(F_OFD_SETLK, F_UNLCK, slot, &fl);
}

static int wine_system_slot_held(void *ctx, uint32_t slot)
{
    struct flock fl;

    /* On error, say held: a slot is never taken from a process on a guess. */
    if (slot_lock(F_OFD_GETLK, F_WRLCK, slot, &fl)) return 1;
    return fl.l_type != F_UNLCK;
}

static uint32_t wine_system_process_id(void *ctx)
{
    PROCESS_BASIC_INFORMATION info;

    if (NtQueryInformationProcess(GetCurrentProcess(), ProcessBasicInformation, &info, sizeof(info), NULL))
        return 0;
    return (uint32_t)info.UniqueProcessId;
}

static int wine_system_process_alive(void *ctx, uint32_t pid)
{
    OBJECT_ATTRIBUTES attr = { sizeof(attr) };
    PROCESS_BASIC_INFORMATION info;
    CLIENT_ID cid = { (HANDLE)(ULONG_PTR)pid, 0 };
    NTSTATUS status;
    HANDLE process;

    if (!d3dkmt_wine_thread) return 1;   /* no server calls on our own threads */
    if ((status = NtOpenProcess(&process, PROCESS_QUERY_LIMITED_INFORMATION, &attr, &cid)))
        return status == STATUS_INVALID_CID || status == STATUS_INVALID_PARAMETER ? 0 : 1;
    status = NtQueryInformationProcess(process, ProcessBasicInformation, &info, sizeof(info), NULL);
    NtClose(process);
    return status || info.ExitStatus == STATUS_PENDING;
}

const struct vidmm_system_ops wine_system_ops =
{
    NULL, wine_system_map, wine_system_unmap, wine_system_claim_slot, wine_system_release_slot,
    wine_system_slot_held, wine_system_process_id, wine_system_process_alive, 0,
};
