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
 * Share files under Wine (include/private/vidmm_share.h): a memfd, made an NT
 * file handle with wine_server_fd_to_handle, and sections over it.
 *
 *   - This process maps the file through an unnamed section it made or was
 *     given; Wine maps file sections MAP_SHARED, so every process sees the
 *     same pages at its own address.
 *   - The NT handles programs see are further sections over the same file,
 *     with the caller's OBJECT_ATTRIBUTES (name, root, security) and access:
 *     wineserver keeps names, handles and their lifetime, also for killed
 *     processes.  A name goes away with the last handle of its section;
 *     the memory lives while any section or view of the file does.
 *   - A legacy global handle is a section named
 *     \KernelObjects\__wine_d3dkmt_global_XXXXXXXX over the file; every
 *     process holding a local reference keeps one handle to it.
 *
 * Access: SHARED_ALLOCATION_WRITE (0x1) becomes SECTION_MAP_WRITE; an opener
 * whose handle lacks it maps the file read-only, so a write through its Lock
 * faults (wineserver refuses a writable view, not just our bookkeeping).
 */
#if 0
#pragma makedep unix
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memfd_create */
#endif
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unixlib.h"
#include "unix_private.h"
#include "unix_share.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* Exported by Wine's ntdll.so; the installed headers do not carry wine/server.h. */
NTSTATUS CDECL wine_server_fd_to_handle(int fd, unsigned int access, unsigned int attributes, HANDLE *handle);
NTSTATUS CDECL wine_server_handle_to_fd(HANDLE handle, unsigned int access, int *unix_fd, unsigned int *options);

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1u
#endif

struct wine_share
{
    struct vidmm_share_file pub;
    HANDLE file;                 /* NT file handle over the memfd, for new sections */
    HANDLE section;              /* the section this process' view came from */
    HANDLE global;               /* named global section held by this process, or 0 */
};

static struct wine_share *impl(struct vidmm_share_file *file)
{
    return (struct wine_share *)file;
}

static void close_handle(HANDLE *h)
{
    if (*h) NtClose(*h);
    *h = 0;
}

static void share_free(struct wine_share *s)
{
    if (s->pub.view) NtUnmapViewOfSection(GetCurrentProcess(), s->pub.view);
    close_handle(&s->global);
    close_handle(&s->section);
    close_handle(&s->file);
    free(s);
}

/* Maps the whole section; read/write if the handle allows it (and `want_write`). */
static NTSTATUS map_section(struct wine_share *s, int want_write)
{
    SECTION_BASIC_INFORMATION info;
    SIZE_T size = 0;
    void *addr = NULL;
    NTSTATUS status;

    if ((status = NtQuerySection(s->section, SectionBasicInformation, &info, sizeof(info), NULL)))
        return status;
    if (info.Size.QuadPart < VIDMM_SHARE_MIN_SIZE || (ULONGLONG)info.Size.QuadPart != (SIZE_T)info.Size.QuadPart)
        return STATUS_INVALID_PARAMETER;
    status = STATUS_ACCESS_DENIED;
    if (want_write)
        status = NtMapViewOfSection(s->section, GetCurrentProcess(), &addr, 0, 0, NULL, &size, ViewShare, 0,
                                    PAGE_READWRITE);
    if (status == STATUS_ACCESS_DENIED || status == STATUS_SECTION_PROTECTION)
    {
        size = 0;
        addr = NULL;
        status = NtMapViewOfSection(s->section, GetCurrentProcess(), &addr, 0, 0, NULL, &size, ViewShare, 0,
                                    PAGE_READONLY);
        s->pub.writable = 0;
    }
    else s->pub.writable = !status;
    if (status) return status;
    s->pub.view = addr;
    s->pub.size = info.Size.QuadPart;
    return STATUS_SUCCESS;
}

NTSTATUS wine_share_create(uint64_t size, struct vidmm_share_file **out)
{
    LARGE_INTEGER max;
    struct wine_share *s;
    NTSTATUS status;
    int fd;

    if (!size || size % VIDMM_PAGE_SIZE || size != (SIZE_T)size) return STATUS_INVALID_PARAMETER;
    if (!(s = calloc(1, sizeof(*s)))) return STATUS_NO_MEMORY;
    if ((fd = memfd_create("d3dkmt-share", MFD_CLOEXEC)) < 0 || ftruncate(fd, size))
    {
        WARN("memfd of %#llx bytes: errno %d\n", (unsigned long long)size, errno);
        if (fd >= 0) close(fd);
        free(s);
        return STATUS_NO_MEMORY;
    }
    /* wineserver keeps its own copy of the descriptor. */
    status = wine_server_fd_to_handle(fd, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, 0, &s->file);
    close(fd);
    max.QuadPart = size;
    if (!status)
        status = NtCreateSection(&s->section, SECTION_ALL_ACCESS, NULL, &max, PAGE_READWRITE, SEC_COMMIT, s->file);
    if (!status) status = map_section(s, 1);
    if (!status && !s->pub.writable) status = STATUS_ACCESS_DENIED;
    if (status)
    {
        WARN("share file of %#llx bytes: status %#x\n", (unsigned long long)size, (unsigned int)status);
        share_free(s);
        return status == STATUS_ACCESS_DENIED ? STATUS_NO_MEMORY : status;
    }
    atomic_init(&s->pub.refs, 1);
    TRACE("%#llx bytes at %p\n", (unsigned long long)size, s->pub.view);
    *out = &s->pub;
    return STATUS_SUCCESS;
}

void wine_share_release(struct vidmm_share_file *file)
{
    if (!file) return;
    TRACE("%p (view %p)\n", file, file->view);
    share_free(impl(file));
}

/* D3DKMT access rights (resources: SHARED_ALLOCATION_WRITE 0x1; sync objects:
 * WAIT 0x1, SIGNAL 0x2) as section rights.  Generic rights are the caller's
 * to ask for: GENERIC_ALL or GENERIC_WRITE give write access. */
ACCESS_MASK wine_share_section_access(DWORD access, int writable)
{
    ACCESS_MASK rights = SECTION_QUERY | SECTION_MAP_READ;

    rights |= access & (STANDARD_RIGHTS_ALL | ACCESS_SYSTEM_SECURITY);
    if (access & (0x1 | GENERIC_WRITE | GENERIC_ALL)) rights |= SECTION_MAP_WRITE;
    if (access & GENERIC_ALL) rights |= STANDARD_RIGHTS_REQUIRED;
    if (!writable) rights &= ~SECTION_MAP_WRITE;
    return rights;
}

NTSTATUS wine_share_make_section(struct vidmm_share_file *file, const OBJECT_ATTRIBUTES *attr, DWORD access,
                                 HANDLE *out)
{
    struct wine_share *s = impl(file);
    NTSTATUS status;

    status = NtCreateSection(out, wine_share_section_access(access, file->writable), attr, NULL,
                             file->writable ? PAGE_READWRITE : PAGE_READONLY, SEC_COMMIT, s->file);
    TRACE("%p -> %p, status %#x\n", file, *out, (unsigned int)status);
    return status;
}

/* Takes over `section` (closed on failure). */
static NTSTATUS open_from_section(HANDLE section, uint32_t kind, struct vidmm_share_file **out)
{
    struct wine_share *s;
    NTSTATUS status;
    int fd = -1;

    if (!(s = calloc(1, sizeof(*s))))
    {
        NtClose(section);
        return STATUS_NO_MEMORY;
    }
    s->section = section;
    if ((status = map_section(s, 1))) goto fail;
    status = STATUS_INVALID_PARAMETER;
    if (share_check_header(&s->pub, kind)) goto fail;
    /* A file handle of our own, to make further sections (re-sharing): no
     * more access than the view has. */
    if ((status = wine_server_handle_to_fd(section, 0, &fd, NULL))) goto fail;
    status = wine_server_fd_to_handle(fd, GENERIC_READ | (s->pub.writable ? GENERIC_WRITE : 0) | SYNCHRONIZE, 0,
                                      &s->file);
    close(fd);
    if (status) goto fail;
    atomic_init(&s->pub.refs, 1);
    *out = &s->pub;
    return STATUS_SUCCESS;
fail:
    TRACE("section %p: status %#x\n", section, (unsigned int)status);
    share_free(s);
    return status;
}

NTSTATUS wine_share_open_handle(HANDLE handle, uint32_t kind, struct vidmm_share_file **out)
{
    HANDLE section;
    NTSTATUS status;

    /* Our own handle with the caller's rights: the caller may close its own
     * at any time. */
    if ((status = NtDuplicateObject(GetCurrentProcess(), handle, GetCurrentProcess(), &section, 0, 0,
                                    DUPLICATE_SAME_ACCESS)))
        return status == STATUS_INVALID_HANDLE ? STATUS_INVALID_HANDLE : STATUS_INVALID_PARAMETER;
    status = open_from_section(section, kind, out);
    /* Not a section (an event...), or not one of ours. */
    if (status == STATUS_OBJECT_TYPE_MISMATCH || status == STATUS_INVALID_HANDLE) status = STATUS_INVALID_PARAMETER;
    return status;
}

static ACCESS_MASK sync_section_access(DWORD access);

NTSTATUS wine_share_open_name(const OBJECT_ATTRIBUTES *attr, DWORD access, uint32_t kind, HANDLE *out)
{
    struct vidmm_share_file *file;
    OBJECT_ATTRIBUTES copy = *attr;
    HANDLE probe;
    NTSTATUS status;

    copy.Attributes |= OBJ_CASE_INSENSITIVE;
    /* The name first: an unknown one is not found whatever the access [WIN]. */
    if ((status = NtOpenSection(&probe, SECTION_QUERY | SECTION_MAP_READ, &copy))) return status;
    /* Only ours: a section of anything else is not found. */
    if ((status = open_from_section(probe, kind, &file)))
        return status == STATUS_NO_MEMORY ? status : STATUS_OBJECT_NAME_NOT_FOUND;
    wine_share_release(file);
    if (!access) return STATUS_ACCESS_DENIED;
    return NtOpenSection(out, kind == VIDMM_SHARE_KIND_SYNC ? sync_section_access(access)
                                                            : wine_share_section_access(access, 1), &copy);
}

/* ---- global handles ---- */

/* The prefix-wide counter of global values: a page named in \KernelObjects,
 * made by the first process and gone with the last. */
static HANDLE counter_section;
static _Atomic uint32_t *counter;
static pthread_mutex_t counter_mutex = PTHREAD_MUTEX_INITIALIZER;

/* Tests running side by side in one prefix each have a private system view;
 * their global names get its name too, so none sees another's. */
static char scope[40];

void wine_share_set_scope(const char *name, size_t size)
{
    size_t i;

    for (i = 0; i < size && i < sizeof(scope) - 2 && name[i]; i++) scope[i + 1] = name[i];
    scope[0] = i ? '_' : 0;
    scope[i + 1] = 0;
}

static void init_name(UNICODE_STRING *str, WCHAR *buf, size_t len, const char *ascii)
{
    size_t i;

    for (i = 0; ascii[i] && i + 1 < len; i++) buf[i] = (unsigned char)ascii[i];
    buf[i] = 0;
    str->Buffer = buf;
    str->Length = i * sizeof(WCHAR);
    str->MaximumLength = (i + 1) * sizeof(WCHAR);
}

static NTSTATUS get_counter(void)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    LARGE_INTEGER size;
    WCHAR buf[96];
    char ascii[96];
    SIZE_T view_size = 0;
    void *addr = NULL;
    NTSTATUS status = STATUS_SUCCESS;

    pthread_mutex_lock(&counter_mutex);
    if (counter) goto done;
    snprintf(ascii, sizeof(ascii), "\\KernelObjects\\__wine_d3dkmt_global_counter%s", scope);
    init_name(&name, buf, ARRAY_SIZE(buf), ascii);
    InitializeObjectAttributes(&attr, &name, OBJ_OPENIF, 0, NULL);
    size.QuadPart = VIDMM_PAGE_SIZE;
    status = NtCreateSection(&counter_section, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &attr, &size,
                             PAGE_READWRITE, SEC_COMMIT, 0);
    if (status == STATUS_OBJECT_NAME_EXISTS) status = STATUS_SUCCESS;
    if (status) goto done;
    if ((status = NtMapViewOfSection(counter_section, GetCurrentProcess(), &addr, 0, 0, NULL, &view_size, ViewShare,
                                     0, PAGE_READWRITE)))
    {
        close_handle(&counter_section);
        goto done;
    }
    counter = addr;
done:
    pthread_mutex_unlock(&counter_mutex);
    return status;
}

/* Global values: 0xc0000000 | payload << 6 | 2, payload 1 .. 2^24 - 1. */
static uint32_t global_value(uint32_t n)
{
    return 0xc0000000u | ((n % 0xffffffu + 1) << 6) | 2u;
}

static void global_name(uint32_t value, UNICODE_STRING *str, WCHAR *buf, size_t len)
{
    char ascii[96];

    snprintf(ascii, sizeof(ascii), "\\KernelObjects\\__wine_d3dkmt_global%s_%08x", scope, value);
    init_name(str, buf, len, ascii);
}

NTSTATUS wine_share_publish_global(void *ctx, struct vidmm_share_file *file,
                                   int (*busy)(void *busy_ctx, uint32_t value), void *busy_ctx)
{
    struct wine_share *s = impl(file);
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    WCHAR buf[96];
    NTSTATUS status;
    uint32_t value, tries;

    if (s->global) return STATUS_INVALID_PARAMETER;
    if ((status = get_counter())) return status;
    for (tries = 0; tries < 4096; tries++)
    {
        value = global_value(atomic_fetch_add(counter, 1));
        if (busy && busy(busy_ctx, value)) continue;
        global_name(value, &name, buf, ARRAY_SIZE(buf));
        InitializeObjectAttributes(&attr, &name, 0, 0, NULL);
        status = NtCreateSection(&s->global, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &attr, NULL,
                                 PAGE_READWRITE, SEC_COMMIT, s->file);
        if (status == STATUS_OBJECT_NAME_COLLISION || status == STATUS_OBJECT_NAME_EXISTS)
        {
            if (status == STATUS_OBJECT_NAME_EXISTS) close_handle(&s->global);
            continue;
        }
        if (status) return status;
        file->global = value;
        TRACE("%p -> global %#x\n", file, value);
        return STATUS_SUCCESS;
    }
    return STATUS_NO_MEMORY;
}

NTSTATUS wine_share_open_global(void *ctx, uint32_t value, uint32_t kind, struct vidmm_share_file **out)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    struct wine_share *s;
    HANDLE named, section;
    WCHAR buf[96];
    NTSTATUS status;

    if ((value & 0xc000003fu) != 0xc0000002u || !(value & 0x3fffffc0u)) return STATUS_INVALID_PARAMETER;
    global_name(value, &name, buf, ARRAY_SIZE(buf));
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, 0, NULL);
    if ((status = NtOpenSection(&named, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, &attr)))
        return STATUS_INVALID_PARAMETER;
    if ((status = NtDuplicateObject(GetCurrentProcess(), named, GetCurrentProcess(), &section, 0, 0,
                                    DUPLICATE_SAME_ACCESS)))
    {
        NtClose(named);
        return STATUS_INVALID_PARAMETER;
    }
    if ((status = open_from_section(section, kind, out)))
    {
        NtClose(named);
        return status == STATUS_NO_MEMORY ? status : STATUS_INVALID_PARAMETER;
    }
    s = impl(*out);
    if (share_header(*out)->global_value != value)
    {
        NtClose(named);
        share_free(s);
        return STATUS_INVALID_PARAMETER;
    }
    s->global = named;
    (*out)->global = value;
    return STATUS_SUCCESS;
}

static NTSTATUS ops_create(void *ctx, uint64_t size, struct vidmm_share_file **out)
{
    return wine_share_create(size, out);
}

static void release_on_wine_thread(void *file)
{
    wine_share_release(file);
}

static void ops_release(void *ctx, struct vidmm_share_file *file)
{
    /* The last reference may go on the system view's watcher thread (a
     * finished wait): unmapping and closing need a thread Wine made. */
    d3dkmt_run_on_wine_thread(release_on_wine_thread, file);
}

const struct vidmm_share_ops wine_share_ops =
{
    .create = ops_create, .release = ops_release,
    .publish_global = wine_share_publish_global, .open_global = wine_share_open_global,
};

/* ---- the NT-handle sharing calls ---- */

static NTSTATUS nt_status(NTSTATUS status)
{
    /* A bad or foreign handle is the spec's STATUS_INVALID_PARAMETER. */
    return status == STATUS_NO_MEMORY ? status : STATUS_INVALID_PARAMETER;
}

NTSTATUS share_objects(struct vidmm *mm, struct d3dkmt_share_objects_params *params)
{
    const OBJECT_ATTRIBUTES *attr = (const OBJECT_ATTRIBUTES *)(ULONG_PTR)params->attr;
    struct vidmm_share_file *file;
    HANDLE handle;
    NTSTATUS status;

    if (params->kind == D3DKMT_SHARE_CHECK_SYNC)
    {
        params->kind = params->count == 1 && !vidmm_share_check_sync(mm, params->handles[0], 0)
                       ? D3DKMT_SHARE_IS_SYNC : 0;
        return STATUS_INVALID_PARAMETER;
    }
    params->kind = 0;
    if (params->count == 1)
    {
        if ((status = vidmm_share_resource(mm, params->handles[0], &file)))
        {
            /* The sync-object form goes to its own code (d3dkmt_share_sync_object). */
            if (!vidmm_share_check_sync(mm, params->handles[0], 0)) params->kind = D3DKMT_SHARE_IS_SYNC;
            return STATUS_INVALID_PARAMETER;
        }
    }
    else if (params->count == 3)
    {
        /* Exactly {resource, keyed mutex, sync object}, all NtSecuritySharing ([WIN]). */
        if (vidmm_share_check_sync(mm, params->handles[1], 1) || vidmm_share_check_sync(mm, params->handles[2], 0))
            return STATUS_INVALID_PARAMETER;
        if ((status = vidmm_share_resource(mm, params->handles[0], &file))) return status;
        /* Their state moves into the resource's file (or lives there already). */
        if (vidmm_keyed_mutex_to_slot(mm, params->handles[1], file) || vidmm_sync_to_slot(mm, params->handles[2], file))
        {
            vidmm_share_put(mm, file);
            return STATUS_INVALID_PARAMETER;
        }
    }
    else return STATUS_INVALID_PARAMETER;
    status = wine_share_make_section(file, attr, params->access, &handle);
    vidmm_share_put(mm, file);
    if (!status) params->handle = (ULONG_PTR)handle;
    return status;
}

NTSTATUS query_resource_nt(struct vidmm *mm, struct d3dkmt_query_resource_nt_params *params)
{
    struct vidmm_share_file *file;
    NTSTATUS status;

    if ((status = wine_share_open_handle((HANDLE)(ULONG_PTR)params->nt_handle, VIDMM_SHARE_KIND_RESOURCE, &file)))
        return nt_status(status);
    status = vidmm_query_resource_file(mm, file, &params->args);
    vidmm_share_put(mm, file);
    return status;
}

/* The keyed mutex and sync object a bundle carries, after its resource. */
static NTSTATUS open_bundle(struct vidmm *mm, struct vidmm_share_file *file,
                            struct d3dkmt_open_resource_nt_params *params)
{
    uint32_t slots = __atomic_load_n(&share_header(file)->slots, __ATOMIC_ACQUIRE);
    struct vidmm_sync_open_slot_args sync = {0};
    struct vidmm_destroy_allocation_args destroy = {0};
    NTSTATUS status = STATUS_SUCCESS;

    if (slots & VIDMM_SHARE_SLOT_MUTEX)
        status = vidmm_keyed_mutex_open_slot(mm, file, params->km_private, params->km_private_size,
                                             &params->keyed_mutex);
    if (!status && (slots & VIDMM_SHARE_SLOT_SYNC))
    {
        sync.device = params->args.device;
        if (!(status = vidmm_sync_open_slot(mm, file, &sync))) params->sync_object = sync.handle;
    }
    if (!status) return STATUS_SUCCESS;
    /* All or nothing. */
    if (params->keyed_mutex) vidmm_keyed_mutex_destroy(mm, params->keyed_mutex);
    params->keyed_mutex = 0;
    destroy.device = params->args.device;
    destroy.resource = params->args.resource;
    vidmm_destroy_allocation(mm, &destroy);
    return status;
}

NTSTATUS open_resource_nt(struct vidmm *mm, struct d3dkmt_open_resource_nt_params *params)
{
    struct vidmm_share_file *file;
    NTSTATUS status;

    params->keyed_mutex = params->sync_object = 0;
    if ((status = wine_share_open_handle((HANDLE)(ULONG_PTR)params->nt_handle, VIDMM_SHARE_KIND_RESOURCE, &file)))
        return nt_status(status);
    status = vidmm_open_resource_file(mm, file, &params->args);
    if (!status) status = open_bundle(mm, file, params);
    vidmm_share_put(mm, file);
    return status;
}

/* OpenNtHandleFromName and OpenSyncObjectNtHandleFromName: the same but for the kind. */
static NTSTATUS open_name_of_kind(struct d3dkmt_open_name_params *params, uint32_t kind)
{
    HANDLE handle;
    NTSTATUS status;

    if (!params->attr) return STATUS_INVALID_PARAMETER;
    if ((status = wine_share_open_name((const OBJECT_ATTRIBUTES *)(ULONG_PTR)params->attr, params->access, kind,
                                       &handle)))
        return status;
    params->handle = (ULONG_PTR)handle;
    return STATUS_SUCCESS;
}

NTSTATUS open_nt_from_name(struct vidmm *mm, struct d3dkmt_open_name_params *params)
{
    return open_name_of_kind(params, VIDMM_SHARE_KIND_RESOURCE);
}

/* ---- sync objects ---- */

/* D3DDDI_SYNC_OBJECT_WAIT / SIGNAL as section rights: Windows enforces
 * neither in the paths known (spec §1.5), so every holder may map the
 * state read/write; standard rights pass. */
static ACCESS_MASK sync_section_access(DWORD access)
{
    ACCESS_MASK rights = SECTION_QUERY | SECTION_MAP_READ | SECTION_MAP_WRITE;

    rights |= access & (STANDARD_RIGHTS_ALL | ACCESS_SYSTEM_SECURITY);
    if (access & GENERIC_ALL) rights |= STANDARD_RIGHTS_REQUIRED;
    return rights;
}

NTSTATUS share_sync(struct vidmm *mm, struct d3dkmt_share_sync_params *params)
{
    const OBJECT_ATTRIBUTES *attr = (const OBJECT_ATTRIBUTES *)(ULONG_PTR)params->attr;
    struct vidmm_share_file *file;
    HANDLE handle;
    NTSTATUS status;

    if ((status = vidmm_sync_share(mm, params->handle, &file))) return status;
    status = NtCreateSection(&handle, sync_section_access(params->access), attr, NULL, PAGE_READWRITE, SEC_COMMIT,
                             impl(file)->file);
    TRACE("sync %#x -> %p, status %#x\n", params->handle, handle, (unsigned int)status);
    vidmm_share_put(mm, file);
    if (!status) params->nt_handle = (ULONG_PTR)handle;
    return status;
}

/* One of our share files behind an NT handle, of any kind. */
static NTSTATUS open_any(uint64_t nt_handle, struct vidmm_share_file **file)
{
    NTSTATUS status;

    if (!nt_handle) return STATUS_INVALID_HANDLE;
    status = wine_share_open_handle((HANDLE)(ULONG_PTR)nt_handle, 0, file);
    return status == STATUS_INVALID_HANDLE || status == STATUS_NO_MEMORY ? status : status ? STATUS_INVALID_PARAMETER : 0;
}

NTSTATUS open_sync_nt(struct vidmm *mm, struct d3dkmt_open_sync_nt_params *params)
{
    struct vidmm_share_file *file;
    NTSTATUS status;

    if ((status = open_any(params->nt_handle, &file))) return status;
    /* Choice: a resource's handle is another object type, as for keyed mutexes [WIN]. */
    if (share_header(file)->kind != VIDMM_SHARE_KIND_SYNC) status = STATUS_OBJECT_TYPE_MISMATCH;
    else status = vidmm_sync_open_slot(mm, file, &params->args);
    vidmm_share_put(mm, file);
    return status;
}

NTSTATUS open_keyed_mutex_nt(struct vidmm *mm, struct d3dkmt_open_keyed_mutex_nt_params *params)
{
    struct vidmm_share_file *file;
    NTSTATUS status;

    if ((status = open_any(params->nt_handle, &file))) return status;
    /* A keyed mutex has no NT handle of its own (it is shared only in a
     * bundle, spec §6.4): the bundle's handle is another type [WIN]. */
    if (share_header(file)->kind != VIDMM_SHARE_KIND_KEYED_MUTEX) status = STATUS_OBJECT_TYPE_MISMATCH;
    else status = vidmm_keyed_mutex_open_slot(mm, file, params->private_data, params->private_size, &params->handle);
    vidmm_share_put(mm, file);
    return status;
}

NTSTATUS open_sync_nt_from_name(struct vidmm *mm, struct d3dkmt_open_name_params *params)
{
    return open_name_of_kind(params, VIDMM_SHARE_KIND_SYNC);
}
