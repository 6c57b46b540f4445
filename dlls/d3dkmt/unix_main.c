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
 * Unix side of d3dkmt.dll: the entry points __wine_unix_call dispatches to.
 *
 * One video memory manager per process, created on the first call
 * (process attach) and living until the process goes.
 */
#if 0
#pragma makedep unix
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "wine/debug.h"

#include "unixlib.h"
#include "unix_private.h"
#include "unix_share.h"
#include "wine_unixlib_compat.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

static struct vidmm *manager;
static pthread_once_t manager_once = PTHREAD_ONCE_INIT;
static NTSTATUS manager_status = STATUS_NO_MEMORY;
static uint32_t manager_flags;   /* VIDMM_CREATE_*, from the first attach */
static char manager_faults[VIDMM_FAULTS_MAX_TEXT];   /* fault injection's setting, from the first attach */

/* Fault injection's messages on the d3dkmt channel: a bad setting is an
 * error; an injected failure a warning (WINEDEBUG=warn+d3dkmt shows them). */
static void faults_log(void *ctx, int error, const char *message)
{
    if (!d3dkmt_wine_thread)
    {
        /* The watcher and the pager are threads of our own: Wine's debug
         * output needs a Wine thread, so write the same line to stderr. */
        if (error ? ERR_ON(d3dkmt) : WARN_ON(d3dkmt))
            fprintf(stderr, "%s:d3dkmt:faults_log %s\n", error ? "err" : "warn", message);
        return;
    }
    if (error) ERR("%s\n", message);
    else WARN("%s\n", message);
}

static const struct vidmm_faults_ops wine_faults_ops = { NULL, faults_log, NULL };

static void create_manager(void)
{
    struct vidmm_memory_ops ops = wine_memory_ops;

    ops.max_reservations = wine_max_reservations();
    TRACE("at most %u reservations, flags %#x\n", ops.max_reservations, manager_flags);
    manager_status = vidmm_create(&ops, manager_flags, &manager);
    if (!manager_status && !(manager_status = vidmm_set_share_ops(manager, &wine_share_ops)))
        manager_status = vidmm_sync_set_ops(manager, &wine_sync_ops);
    if (!manager_status && manager_faults[0])
        manager_status = vidmm_set_faults(manager, manager_faults, &wine_faults_ops);
    if (manager_status && manager)
    {
        vidmm_destroy(manager);
        manager = NULL;
    }
    /* The system view is mapped when the first adapter opens; without it
     * the process accounts for itself alone. */
    if (!manager_status && vidmm_system_set_ops(manager, &wine_system_ops)) WARN("no system view\n");
}

static NTSTATUS process_attach(struct vidmm *unused, struct d3dkmt_process_attach_params *params)
{
    manager_flags = params->flags & VIDMM_CREATE_TEST_CONTROL;
    wine_system_set_name(params->system_view, sizeof(params->system_view));
    wine_share_set_scope(params->system_view, sizeof(params->system_view));
    memcpy(manager_faults, params->faults, sizeof(manager_faults));
    manager_faults[sizeof(manager_faults) - 1] = 0;
    pthread_once(&manager_once, create_manager);
    TRACE("video memory manager %p, status %#x\n", manager, (unsigned int)manager_status);
    /* The first attach's table; a failure only means no fast path. */
    if (!manager_status && params->fastlock_table && !vidmm_fastlock_table(manager)
        && vidmm_set_fastlock_table(manager, (struct vidmm_fastlock_table *)(uintptr_t)params->fastlock_table))
        WARN("no Lock fast path\n");
    return manager_status;
}

/* The calls whose core function takes other arguments than (manager, args). */

static NTSTATUS query_adapter(struct vidmm *mm, struct d3dkmt_query_adapter_params *params)
{
    return vidmm_query_adapter(mm, params->handle, &params->info);
}

static NTSTATUS query_device(struct vidmm *mm, struct d3dkmt_query_device_params *params)
{
    return vidmm_query_device(mm, params->handle, &params->info);
}

static NTSTATUS reclaim(struct vidmm *mm, struct vidmm_list_args *args)
{
    return vidmm_reclaim(mm, args, 0);
}

static NTSTATUS reclaim2(struct vidmm *mm, struct vidmm_list_args *args)
{
    return vidmm_reclaim(mm, args, 1);
}

static NTSTATUS destroy_paging_queue(struct vidmm *mm, struct vidmm_paging_queue_args *args)
{
    return vidmm_destroy_paging_queue(mm, args->handle);
}

static NTSTATUS sync_destroy(struct vidmm *mm, struct d3dkmt_handle_params *params)
{
    return vidmm_sync_destroy(mm, params->handle);
}

static NTSTATUS keyed_mutex_destroy(struct vidmm *mm, struct d3dkmt_handle_params *params)
{
    return vidmm_keyed_mutex_destroy(mm, params->handle);
}

static NTSTATUS device_state(struct vidmm *mm, struct d3dkmt_device_state_params *params)
{
    if (params->mark_error) return vidmm_mark_device_error(mm, params->device, params->reason);
    return vidmm_get_execution_state(mm, params->device, &params->state);
}

/* One entry per call: a NULL argument block is a PE-side bug, never trusted,
 * and every call but process_attach needs the manager it starts. */
#define X(name, type, handler) \
    static NTSTATUS name##_entry(void *args) \
    { \
        NTSTATUS status; \
        if (!args) return STATUS_INVALID_PARAMETER; \
        if (!manager && unix_##name != unix_process_attach) return STATUS_DEVICE_REMOVED; \
        d3dkmt_wine_thread = 1; \
        status = handler(manager, (type *)args); \
        TRACE(#name " -> %#x\n", (unsigned int)status); \
        return status; \
    }
D3DKMT_UNIX_CALLS(X)
#undef X

const unixlib_entry_t __wine_unix_call_funcs[] =
{
#define X(name, type, handler) [unix_##name] = name##_entry,
    D3DKMT_UNIX_CALLS(X)
#undef X
};

_Static_assert(sizeof(__wine_unix_call_funcs) / sizeof(__wine_unix_call_funcs[0]) == unix_call_count,
               "one entry per call code");
