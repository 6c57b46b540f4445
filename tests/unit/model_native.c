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
 * The model-based tester (model.c) on the core's vidmm_* calls, with
 * mmap-backed memory.  Built plain, with ASan+UBSan and with TSan by make
 * check.  Knobs: D3DKMT_MODEL_SECONDS (default 10), D3DKMT_MODEL_SEED
 * (default: from the clock; printed, so a failing run can be replayed),
 * D3DKMT_MODEL_THREADS (default 4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vidmm_private.h"
#include "native_memory.h"
#include "core_calls.h"
#include "model_backend.h"

#define LOCAL_SIZE (1024 * 1024ull)
#define LUID 0x0000000100000999ull

struct native
{
    struct native_memory *nm;
    struct vidmm *mm;
};

static model_status n_open_adapter(void *ctx, uint32_t *adapter)
{
    struct vidmm_open_adapter_args args = {0};
    struct native *n = ctx;
    NTSTATUS status;

    args.luid = LUID;
    args.local_size = LOCAL_SIZE;
    args.nonlocal_size = 16 * LOCAL_SIZE;
    args.source_count = 1;
    if (!(status = vidmm_open_adapter(n->mm, &args))) *adapter = args.handle;
    return status;
}

static model_status n_close_adapter(void *ctx, uint32_t adapter)
{
    struct vidmm_close_adapter_args args = {0};

    args.handle = adapter;
    return vidmm_close_adapter(((struct native *)ctx)->mm, &args);
}

static model_status n_create_device(void *ctx, uint32_t adapter, uint32_t *device)
{
    struct vidmm_create_device_args args = {0};
    NTSTATUS status;

    args.adapter = adapter;
    if (!(status = vidmm_create_device(((struct native *)ctx)->mm, &args))) *device = args.handle;
    return status;
}

static model_status n_destroy_device(void *ctx, uint32_t device)
{
    struct vidmm_destroy_device_args args = {0};

    args.handle = device;
    return vidmm_destroy_device(((struct native *)ctx)->mm, &args);
}

static model_status n_create_paging_queue(void *ctx, uint32_t device, uint32_t *queue)
{
    struct vidmm_paging_queue_args args = {0};
    NTSTATUS status;

    args.device = device;
    if (!(status = vidmm_create_paging_queue(((struct native *)ctx)->mm, &args))) *queue = args.handle;
    return status;
}

static model_status n_create_allocation(void *ctx, uint32_t device, uint64_t size, uint32_t group, uint32_t flags,
                                        int shared, uint32_t *handle, uint32_t *resource, uint32_t *global)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = core_desc(size, group, flags);
    struct vidmm_create_allocation_args args;
    NTSTATUS status;

    if ((status = core_create_desc(((struct native *)ctx)->mm, device, &desc,
                                   shared ? VIDMM_CREATE_RESOURCE | VIDMM_CREATE_SHARED : 0, handle, &args)))
        return status;
    *resource = args.resource;
    *global = args.global_share;
    return STATUS_SUCCESS;
}

static model_status n_destroy_allocation(void *ctx, uint32_t device, uint32_t handle)
{
    return core_destroy(((struct native *)ctx)->mm, device, handle);
}

static model_status n_destroy_resource(void *ctx, uint32_t device, uint32_t resource)
{
    struct vidmm_destroy_allocation_args args = {0};

    args.device = device;
    args.resource = resource;
    return vidmm_destroy_allocation(((struct native *)ctx)->mm, &args);
}

static model_status n_open_resource(void *ctx, uint32_t device, uint32_t global, uint32_t *resource, uint32_t *handle)
{
    struct vidmm_query_resource_args query = {0};
    struct vidmm_open_resource_args args = {0};
    struct native *n = ctx;
    struct vidmm_open_info info = {0};
    uint8_t data[256];
    NTSTATUS status;

    query.device = device;
    query.global_share = global;
    if ((status = vidmm_query_resource(n->mm, &query))) return status;
    if (query.count != 1 || query.total_driver_size > sizeof(data) || query.runtime_size || query.resource_driver_size)
        return STATUS_INVALID_PARAMETER;   /* not one of the model's resources */
    args.device = device;
    args.global_share = global;
    args.count = 1;
    args.infos = (uintptr_t)&info;
    args.total_data = (uintptr_t)data;
    args.total_size = sizeof(data);
    if ((status = vidmm_open_resource(n->mm, &args))) return status;
    *resource = args.resource;
    *handle = info.handle;
    return STATUS_SUCCESS;
}

static model_status n_lock(void *ctx, uint32_t device, uint32_t handle, void **ptr)
{
    uint8_t *data;
    NTSTATUS status = core_lock(((struct native *)ctx)->mm, device, handle, 0, &data);

    *ptr = data;
    return status;
}

static model_status n_unlock(void *ctx, uint32_t device, uint32_t handle)
{
    return core_unlock(((struct native *)ctx)->mm, device, handle);
}

static NTSTATUS list_call(void *ctx, NTSTATUS (*fn)(struct vidmm *, struct vidmm_list_args *), uint32_t device,
                          uint32_t handle, uint32_t flags, uint32_t *value)
{
    /* Offer's priority rides in the flags' second byte. */
    return core_list_call(((struct native *)ctx)->mm, fn, device, handle, flags & 0xff, 1 + (flags >> 8), value);
}

static model_status n_make_resident(void *ctx, uint32_t queue, uint32_t handle)
{
    uint32_t value = 0;
    return list_call(ctx, vidmm_make_resident, queue, handle, 0, &value);
}

static model_status n_evict(void *ctx, uint32_t device, uint32_t handle)
{
    uint32_t value = 0;
    return list_call(ctx, vidmm_evict, device, handle, 0, &value);
}

static model_status n_offer(void *ctx, uint32_t device, uint32_t handle, uint32_t flags)
{
    uint32_t value = 0;
    return list_call(ctx, vidmm_offer, device, handle, flags & 3, &value);
}

static model_status n_reclaim(void *ctx, uint32_t device, uint32_t handle, uint32_t *result)
{
    return core_reclaim(((struct native *)ctx)->mm, device, handle, result);
}

static model_status n_set_priority(void *ctx, uint32_t device, uint32_t handle, uint32_t priority)
{
    return list_call(ctx, vidmm_set_priority, device, handle, 0, &priority);
}

static model_status n_get_priority(void *ctx, uint32_t device, uint32_t handle, uint32_t *priority)
{
    return list_call(ctx, vidmm_get_priority, device, handle, 0, priority);
}

static model_status n_query_residency(void *ctx, uint32_t device, uint32_t handle, uint32_t *residency)
{
    return list_call(ctx, vidmm_query_residency, device, handle, 0, residency);
}

static NTSTATUS n_escape(void *ctx, uint32_t adapter, uint32_t command, uint64_t value, D3DKMT_WINE_ESCAPE *out)
{
    return core_escape(((struct native *)ctx)->mm, adapter, command, value, out);
}

static model_status n_set_budget(void *ctx, uint32_t adapter, uint64_t bytes)
{
    return n_escape(ctx, adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, bytes, NULL);
}

static model_status n_wait_idle(void *ctx, uint32_t adapter)
{
    return n_escape(ctx, adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
}

static model_status n_stats(void *ctx, uint32_t adapter, struct model_stats *stats)
{
    struct native *n = ctx;
    struct vidmm_adapter *object;
    D3DKMT_WINE_ESCAPE esc;
    NTSTATUS status;

    if ((status = n_escape(ctx, adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc))) return status;
    model_stats_from_escape(&esc, stats);
    /* The budget claim is internal: the native backend can look. */
    if (!(object = vidmm_get(n->mm, adapter, VIDMM_OBJECT_ADAPTER))) return STATUS_INVALID_PARAMETER;
    vidmm_mutex_lock(&object->gpu->lock);
    stats->residency_claim = object->gpu->residency_claim + object->gpu->local_pinned;
    vidmm_mutex_unlock(&object->gpu->lock);
    vidmm_put(n->mm, object);
    return STATUS_SUCCESS;
}

static unsigned long env_number(const char *name, unsigned long fallback)
{
    const char *value = getenv(name);
    return value && *value ? strtoul(value, NULL, 0) : fallback;
}

int main(void)
{
    struct native_memory_counters c;
    struct vidmm_memory_ops ops;
    struct native n;
    struct model_backend b =
    {
        &n, "native", LOCAL_SIZE, n_open_adapter, n_close_adapter, n_create_device, n_destroy_device,
        n_create_paging_queue, n_create_allocation, n_destroy_allocation, n_destroy_resource, n_open_resource,
        n_lock, n_unlock, n_make_resident, n_evict, n_offer, n_reclaim, n_set_priority, n_get_priority,
        n_query_residency, n_set_budget, n_wait_idle, n_stats,
    };
    uint64_t seed = env_number("D3DKMT_MODEL_SEED", (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16));
    int failures;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!(n.nm = native_memory_create())) return 1;
    native_memory_ops(n.nm, &ops);
    if (vidmm_create(&ops, VIDMM_CREATE_TEST_CONTROL, &n.mm)) return 1;
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    b.name = "native, sanitized";
#endif
    failures = model_run(&b, seed, env_number("D3DKMT_MODEL_SECONDS", 10), env_number("D3DKMT_MODEL_THREADS", 4));
    vidmm_destroy(n.mm);
    native_memory_get_counters(n.nm, &c);
    if (c.reservations || c.committed_bytes || c.errors)
    {
        fprintf(stderr, "model: FAIL: memory left: %ld reservations, %llu committed bytes, %lu misuses\n",
                c.reservations, (unsigned long long)c.committed_bytes, c.errors);
        failures++;
    }
    native_memory_destroy(n.nm);
    return failures ? 1 : 0;
}
