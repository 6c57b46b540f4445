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
 * The small interface the concurrent model-based tester (model.c) drives:
 * one implementation on the core's vidmm_* calls (model_native.c); a second
 * one on the D3DKMT exports would run the same workload under Wine.
 * Handles are the 32-bit values the calls return; every call returns the
 * call's NTSTATUS.
 */
#ifndef MODEL_BACKEND_H
#define MODEL_BACKEND_H

#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_driver.h"

typedef int32_t model_status;

struct model_stats
{
    uint32_t adapters, devices, resources, allocations;
    uint64_t local_usage, nonlocal_usage, backing_bytes;
    uint32_t paging_queued, apertures_used;
    uint64_t residency_claim;    /* UINT64_MAX when the backend cannot see it */
};

/* Counts and usage from the test escape's statistics, as both backends read them. */
static inline void model_stats_from_escape(const D3DKMT_WINE_ESCAPE *esc, struct model_stats *stats)
{
    stats->adapters = esc->Adapters;
    stats->devices = esc->Devices;
    stats->resources = esc->Resources;
    stats->allocations = esc->Allocations;
    stats->local_usage = esc->LocalUsage;
    stats->nonlocal_usage = esc->NonLocalUsage;
    stats->backing_bytes = esc->BackingBytes;
    stats->paging_queued = esc->PagingQueued;
    stats->apertures_used = esc->AperturesUsed;
}

struct model_backend
{
    void *ctx;
    const char *name;
    uint64_t local_size;         /* of the adapter open_adapter opens */
    model_status (*open_adapter)(void *ctx, uint32_t *adapter);
    model_status (*close_adapter)(void *ctx, uint32_t adapter);
    model_status (*create_device)(void *ctx, uint32_t adapter, uint32_t *device);
    model_status (*destroy_device)(void *ctx, uint32_t device);
    model_status (*create_paging_queue)(void *ctx, uint32_t device, uint32_t *queue);
    /* group 0 local, 1 non-local; flags D3DKMT_WINE_ALLOC_FLAG_*; shared: a
     * CreateResource|CreateShared resource with this one allocation. */
    model_status (*create_allocation)(void *ctx, uint32_t device, uint64_t size, uint32_t group, uint32_t flags,
                                      int shared, uint32_t *handle, uint32_t *resource, uint32_t *global);
    model_status (*destroy_allocation)(void *ctx, uint32_t device, uint32_t handle);
    model_status (*destroy_resource)(void *ctx, uint32_t device, uint32_t resource);
    /* Opens a one-allocation shared resource: new local resource and allocation handles. */
    model_status (*open_resource)(void *ctx, uint32_t device, uint32_t global, uint32_t *resource, uint32_t *handle);
    model_status (*lock)(void *ctx, uint32_t device, uint32_t handle, void **ptr);
    model_status (*unlock)(void *ctx, uint32_t device, uint32_t handle);
    model_status (*make_resident)(void *ctx, uint32_t queue, uint32_t handle);
    model_status (*evict)(void *ctx, uint32_t device, uint32_t handle);
    model_status (*offer)(void *ctx, uint32_t device, uint32_t handle, uint32_t flags);
    model_status (*reclaim)(void *ctx, uint32_t device, uint32_t handle, uint32_t *result);
    model_status (*set_priority)(void *ctx, uint32_t device, uint32_t handle, uint32_t priority);
    model_status (*get_priority)(void *ctx, uint32_t device, uint32_t handle, uint32_t *priority);
    model_status (*query_residency)(void *ctx, uint32_t device, uint32_t handle, uint32_t *residency);
    model_status (*set_budget)(void *ctx, uint32_t adapter, uint64_t bytes);
    model_status (*wait_idle)(void *ctx, uint32_t adapter);
    model_status (*stats)(void *ctx, uint32_t adapter, struct model_stats *stats);
};

/* Runs the workload: `threads` workers for about `seconds`, from `seed`.
 * Prints what it does and every failure; returns the number of failures. */
int model_run(const struct model_backend *backend, uint64_t seed, unsigned int seconds, unsigned int threads);

#endif
