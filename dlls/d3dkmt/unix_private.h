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
 * Shared by the Unix-side files of d3dkmt.so.
 */
#ifndef D3DKMT_UNIX_PRIVATE_H
#define D3DKMT_UNIX_PRIVATE_H

#include "private/vidmm.h"
#include "private/vidmm_sync.h"
#include "private/vidmm_system.h"

struct d3dkmt_handle_params;

extern const struct vidmm_memory_ops wine_memory_ops;
uint32_t wine_max_reservations(void);

/* unix_sync.c */
extern const struct vidmm_sync_ops wine_sync_ops;
/* Set while a thread runs one of our Unix calls: it is one Wine made. */
extern __thread int d3dkmt_wine_thread;
NTSTATUS event_pump(struct vidmm *mm, struct d3dkmt_handle_params *params);

/* unix_system.c */
extern const struct vidmm_system_ops wine_system_ops;
/* Before the manager starts: "" for the prefix-wide view, else a private one. */
void wine_system_set_name(const char *name, size_t size);

/* unix_share.c: the NT-handle sharing calls */
struct d3dkmt_share_objects_params;
struct d3dkmt_query_resource_nt_params;
struct d3dkmt_open_resource_nt_params;
struct d3dkmt_open_name_params;
NTSTATUS share_objects(struct vidmm *mm, struct d3dkmt_share_objects_params *params);
NTSTATUS query_resource_nt(struct vidmm *mm, struct d3dkmt_query_resource_nt_params *params);
NTSTATUS open_resource_nt(struct vidmm *mm, struct d3dkmt_open_resource_nt_params *params);
NTSTATUS open_nt_from_name(struct vidmm *mm, struct d3dkmt_open_name_params *params);
struct d3dkmt_share_sync_params;
struct d3dkmt_open_sync_nt_params;
struct d3dkmt_open_keyed_mutex_nt_params;
NTSTATUS share_sync(struct vidmm *mm, struct d3dkmt_share_sync_params *params);
NTSTATUS open_sync_nt(struct vidmm *mm, struct d3dkmt_open_sync_nt_params *params);
NTSTATUS open_sync_nt_from_name(struct vidmm *mm, struct d3dkmt_open_name_params *params);
NTSTATUS open_keyed_mutex_nt(struct vidmm *mm, struct d3dkmt_open_keyed_mutex_nt_params *params);
/* Runs fn(arg) on a thread Wine made: at once on one, else on the event pump. */
void d3dkmt_run_on_wine_thread(void (*fn)(void *arg), void *arg);

#endif
