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
 * The sync core's ways into Wine (struct vidmm_sync_ops): the caller's
 * events, and the page behind a monitored fence.
 *
 * Events: a reference is a duplicate of the caller's handle, so the caller
 * may close its own.  Setting one is a wineserver call, which only a thread
 * Wine made can do; the pager's threads are plain pthreads, so what they
 * set or close goes to the event pump, a thread the PE side starts (in a
 * call that never returns) before the first event is handed in.
 *
 * Fence pages: one section mapped twice, read/write for the manager and
 * read-only for the application (FenceValueCPUVirtualAddress), so the
 * application can read the value and cannot write it.
 */
#if 0
#pragma makedep unix
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unixlib.h"
#include "unix_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

__thread int d3dkmt_wine_thread;

enum deferred_op { DEFER_CLOSE, DEFER_SET, DEFER_UNMAP, DEFER_CALL };

struct deferred
{
    struct deferred *next;
    enum deferred_op op;
    HANDLE handle;
    void *views[2];     /* DEFER_UNMAP: the fence page's two views */
    void (*fn)(void *arg);  /* DEFER_CALL: fn(views[0]) */
};

static pthread_mutex_t pump_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pump_cond = PTHREAD_COND_INITIALIZER;
static struct deferred *pump_head, **pump_tail = &pump_head;

static void do_op(const struct deferred *d)
{
    switch (d->op)
    {
    case DEFER_SET: NtSetEvent(d->handle, NULL); break;
    case DEFER_CLOSE: NtClose(d->handle); break;
    case DEFER_UNMAP:
        NtUnmapViewOfSection(GetCurrentProcess(), d->views[0]);
        NtUnmapViewOfSection(GetCurrentProcess(), d->views[1]);
        break;
    case DEFER_CALL: d->fn(d->views[0]); break;
    }
}

/* From a thread Wine made, at once; otherwise through the pump, in order.
 * Server calls need a Wine thread: the pager is a plain pthread (on i386 a
 * server call there faults in NtCurrentTeb and kills the process). */
static void run_or_defer(const struct deferred *op)
{
    struct deferred *d;

    if (d3dkmt_wine_thread)
    {
        do_op(op);
        return;
    }
    if (!(d = malloc(sizeof(*d))))
    {
        ERR("out of memory, event %p / view %p lost\n", op->handle, op->views[1]);
        return;
    }
    *d = *op;
    d->next = NULL;
    pthread_mutex_lock(&pump_lock);
    *pump_tail = d;
    pump_tail = &d->next;
    pthread_cond_signal(&pump_cond);
    pthread_mutex_unlock(&pump_lock);
}

void d3dkmt_run_on_wine_thread(void (*fn)(void *arg), void *arg)
{
    struct deferred op = { NULL, DEFER_CALL, NULL, { arg, NULL }, fn };

    run_or_defer(&op);
}

NTSTATUS event_pump(struct vidmm *mm, struct d3dkmt_handle_params *params)
{
    TRACE("event pump running\n");
    for (;;)
    {
        struct deferred *d;

        pthread_mutex_lock(&pump_lock);
        while (!pump_head) pthread_cond_wait(&pump_cond, &pump_lock);
        d = pump_head;
        if (!(pump_head = d->next)) pump_tail = &pump_head;
        pthread_mutex_unlock(&pump_lock);
        do_op(d);
        free(d);
    }
    return STATUS_SUCCESS;
}

static NTSTATUS wine_ref_event(void *ctx, uint64_t event, uint64_t *ref)
{
    EVENT_BASIC_INFORMATION info;
    NTSTATUS status;
    HANDLE dup;

    if (NtDuplicateObject(GetCurrentProcess(), (HANDLE)(ULONG_PTR)event, GetCurrentProcess(), &dup, 0, 0,
                          DUPLICATE_SAME_ACCESS))
        return STATUS_INVALID_HANDLE;
    /* Anything but an event (a process, a file...) is refused; an event we
     * may not query is still an event. */
    status = NtQueryEvent(dup, EventBasicInformation, &info, sizeof(info), NULL);
    if (status && status != STATUS_ACCESS_DENIED)
    {
        NtClose(dup);
        return STATUS_INVALID_HANDLE;
    }
    *ref = (ULONG_PTR)dup;
    return STATUS_SUCCESS;
}

static void wine_set_event(void *ctx, uint64_t ref)
{
    struct deferred op = { NULL, DEFER_SET, (HANDLE)(ULONG_PTR)ref };

    run_or_defer(&op);
}

static void wine_unref_event(void *ctx, uint64_t ref)
{
    struct deferred op = { NULL, DEFER_CLOSE, (HANDLE)(ULONG_PTR)ref };

    run_or_defer(&op);
}

/* 32-bit callers read the value with InterlockedCompareExchange64, which
 * writes: there the view is read/write, as on Windows (spec §4.2). */
#ifdef __i386__
#define APP_VIEW_PROTECT PAGE_READWRITE
#else
#define APP_VIEW_PROTECT PAGE_READONLY
#endif

static void *wine_map_fence_page(void *ctx, uint64_t *app)
{
    LARGE_INTEGER size = {{ 0x1000, 0 }};
    void *manager_view = NULL, *app_view = NULL;
    SIZE_T len = 0;
    HANDLE section;

    if (NtCreateSection(&section, SECTION_MAP_READ | SECTION_MAP_WRITE | SECTION_QUERY, NULL, &size,
                        PAGE_READWRITE, SEC_COMMIT, NULL))
        return NULL;
    if (!NtMapViewOfSection(section, GetCurrentProcess(), &manager_view, 0, 0, NULL, &len, ViewShare, 0,
                            PAGE_READWRITE))
    {
        len = 0;
        if (NtMapViewOfSection(section, GetCurrentProcess(), &app_view, 0, 0, NULL, &len, ViewShare, 0,
                               APP_VIEW_PROTECT))
        {
            NtUnmapViewOfSection(GetCurrentProcess(), manager_view);
            manager_view = NULL;
        }
    }
    else manager_view = NULL;
    NtClose(section);   /* the views keep it */
    if (!manager_view) WARN("no fence page\n");
    *app = (ULONG_PTR)app_view;
    return manager_view;
}

static void wine_unmap_fence_page(void *ctx, void *page, uint64_t app)
{
    struct deferred op = { NULL, DEFER_UNMAP, NULL, { (void *)(ULONG_PTR)app, page } };

    run_or_defer(&op);
}

const struct vidmm_sync_ops wine_sync_ops =
{
    NULL, wine_ref_event, wine_set_event, wine_unref_event, wine_map_fence_page, wine_unmap_fence_page,
};
