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
 * The concurrent model-based tester (tests/unit/model.c) under Wine: the same
 * workload through the D3DKMT exports, with the test escape for statistics
 * and the budget.  D3DKMT_MODEL_SECONDS, D3DKMT_MODEL_SEED and
 * D3DKMT_MODEL_THREADS work as natively (default 10 s here as well).
 */
#include "d3dkmt_test.h"
#include "../unit/model_backend.h"

/* The budget the model works in: its "local segment" (0 restores it). */
#define MODEL_LOCAL (16u << 20)

static PFND3DKMT_QUERYRESOURCEINFO pQueryResourceInfo;
static PFND3DKMT_OPENRESOURCE pOpenResource;

static model_status w_open_adapter(void *ctx, uint32_t *adapter)
{
    D3DKMT_HANDLE handle = 0;
    NTSTATUS status = open_display1(&handle, NULL);

    *adapter = handle;
    return status;
}

static model_status w_close_adapter(void *ctx, uint32_t adapter)
{
    D3DKMT_CLOSEADAPTER desc = { adapter };
    return pCloseAdapter(&desc);
}

static model_status w_create_device(void *ctx, uint32_t adapter, uint32_t *device)
{
    D3DKMT_HANDLE handle = 0;
    NTSTATUS status = create_device(adapter, &handle);

    *device = handle;
    return status;
}

static model_status w_destroy_device(void *ctx, uint32_t device)
{
    D3DKMT_DESTROYDEVICE desc = { device };
    return pDestroyDevice(&desc);
}

static model_status w_create_paging_queue(void *ctx, uint32_t device, uint32_t *queue)
{
    D3DKMT_CREATEPAGINGQUEUE desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.Priority = D3DDDI_PAGINGQUEUE_PRIORITY_NORMAL;
    status = pCreatePagingQueue(&desc);
    *queue = desc.hPagingQueue;
    return status;
}

static model_status w_create_allocation(void *ctx, uint32_t device, uint64_t size, uint32_t group, uint32_t flags,
                                        int shared, uint32_t *handle, uint32_t *resource, uint32_t *global)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(size, group, flags);
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    NTSTATUS status;

    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    create.Flags.CreateResource = create.Flags.CreateShared = !!shared;
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    if ((status = pCreateAllocation2(&create))) return status;
    *handle = info.hAllocation;
    *resource = create.hResource;
    *global = create.hGlobalShare;
    return STATUS_SUCCESS;
}

static model_status w_destroy_allocation(void *ctx, uint32_t device, uint32_t handle)
{
    return destroy_alloc(device, handle);
}

static model_status w_destroy_resource(void *ctx, uint32_t device, uint32_t resource)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.hResource = resource;
    return pDestroyAllocation(&desc);
}

static model_status w_open_resource(void *ctx, uint32_t device, uint32_t global, uint32_t *resource, uint32_t *handle)
{
    D3DKMT_QUERYRESOURCEINFO query;
    D3DDDI_OPENALLOCATIONINFO info;
    D3DKMT_OPENRESOURCE open;
    BYTE data[256];
    NTSTATUS status;

    memset(&query, 0, sizeof(query));
    query.hDevice = device;
    query.hGlobalShare = global;
    if ((status = pQueryResourceInfo(&query))) return status;
    if (query.NumAllocations != 1 || query.TotalPrivateDriverDataSize > sizeof(data))
        return STATUS_INVALID_PARAMETER;   /* not one of the model's resources */
    memset(&open, 0, sizeof(open));
    memset(&info, 0, sizeof(info));
    open.hDevice = device;
    open.hGlobalShare = global;
    open.NumAllocations = 1;
    open.pOpenAllocationInfo = &info;
    open.pTotalPrivateDriverDataBuffer = data;
    open.TotalPrivateDriverDataBufferSize = sizeof(data);
    if ((status = pOpenResource(&open))) return status;
    *resource = open.hResource;
    *handle = info.hAllocation;
    return STATUS_SUCCESS;
}

static model_status w_lock(void *ctx, uint32_t device, uint32_t handle, void **ptr)
{
    return lock_alloc(device, handle, 0, ptr);
}

static model_status w_unlock(void *ctx, uint32_t device, uint32_t handle)
{
    return unlock_alloc(device, handle);
}

static model_status w_make_resident(void *ctx, uint32_t queue, uint32_t handle)
{
    D3DKMT_HANDLE list = handle;
    D3DDDI_MAKERESIDENT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hPagingQueue = queue;
    desc.AllocationList = &list;
    desc.NumAllocations = 1;
    return pMakeResident(&desc);
}

static model_status w_evict(void *ctx, uint32_t device, uint32_t handle)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_EVICT desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.AllocationList = &list;
    desc.NumAllocations = 1;
    return pEvict(&desc);
}

static model_status w_offer(void *ctx, uint32_t device, uint32_t handle, uint32_t flags)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_OFFERALLOCATIONS desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.HandleList = &list;
    desc.NumAllocations = 1;
    desc.Priority = D3DKMT_OFFER_PRIORITY_LOW;
    desc.Flags.Value = flags & 3;
    return pOfferAllocations(&desc);
}

static model_status w_reclaim(void *ctx, uint32_t device, uint32_t handle, uint32_t *result)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_RECLAIMALLOCATIONS desc;
    BOOL discarded = FALSE;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.HandleList = &list;
    desc.pDiscarded = &discarded;
    desc.NumAllocations = 1;
    status = pReclaimAllocations(&desc);
    *result = (uint32_t)discarded;   /* 0 kept, 1 discarded, 2 decommitted */
    return status;
}

static model_status w_set_priority(void *ctx, uint32_t device, uint32_t handle, uint32_t priority)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_SETALLOCATIONPRIORITY desc;
    UINT value = priority;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.phAllocationList = &list;
    desc.AllocationCount = 1;
    desc.pPriorities = &value;
    return pSetAllocationPriority(&desc);
}

static model_status w_get_priority(void *ctx, uint32_t device, uint32_t handle, uint32_t *priority)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_GETALLOCATIONPRIORITY desc;
    UINT value = 0;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.phAllocationList = &list;
    desc.AllocationCount = 1;
    desc.pPriorities = &value;
    status = pGetAllocationPriority(&desc);
    *priority = value;
    return status;
}

static model_status w_query_residency(void *ctx, uint32_t device, uint32_t handle, uint32_t *residency)
{
    D3DKMT_HANDLE list = handle;
    D3DKMT_ALLOCATIONRESIDENCYSTATUS value = 0;
    D3DKMT_QUERYALLOCATIONRESIDENCY desc;
    NTSTATUS status;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = device;
    desc.phAllocationList = &list;
    desc.AllocationCount = 1;
    desc.pResidencyStatus = &value;
    status = pQueryAllocationResidency(&desc);
    *residency = value;
    return status;
}

static model_status w_set_budget(void *ctx, uint32_t adapter, uint64_t bytes)
{
    return wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, bytes ? bytes : MODEL_LOCAL, NULL);
}

static model_status w_wait_idle(void *ctx, uint32_t adapter)
{
    return wine_escape(adapter, D3DKMT_WINE_ESCAPE_WAIT_IDLE, 0, NULL);
}

static model_status w_stats(void *ctx, uint32_t adapter, struct model_stats *stats)
{
    D3DKMT_WINE_ESCAPE esc;
    NTSTATUS status;

    if ((status = wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &esc))) return status;
    model_stats_from_escape(&esc, stats);
    stats->residency_claim = UINT64_MAX;   /* not visible through the exports */
    return STATUS_SUCCESS;
}

static unsigned long env_number(const char *name, unsigned long fallback)
{
    const char *value = getenv(name);
    return value && *value ? strtoul(value, NULL, 0) : fallback;
}

START_TEST(model)
{
    struct model_backend b =
    {
        NULL, "Wine", MODEL_LOCAL, w_open_adapter, w_close_adapter, w_create_device, w_destroy_device,
        w_create_paging_queue, w_create_allocation, w_destroy_allocation, w_destroy_resource, w_open_resource,
        w_lock, w_unlock, w_make_resident, w_evict, w_offer, w_reclaim, w_set_priority, w_get_priority,
        w_query_residency, w_set_budget, w_wait_idle, w_stats,
    };
    D3DKMT_HANDLE adapter;
    int failures;

    if (!load_d3dkmt()) return;
    pQueryResourceInfo = (void *)GetProcAddress(d3dkmt_module, "D3DKMTQueryResourceInfo");
    pOpenResource = (void *)GetProcAddress(d3dkmt_module, "D3DKMTOpenResource");
    if (!pQueryResourceInfo || !pOpenResource || !pMakeResident || !pEscape)
    {
        skip("sharing, residency or the escape is missing\n");
        return;
    }
    if (open_display1(&adapter, NULL))
    {
        skip("no adapter\n");
        return;
    }
    /* Only our module answers the test escape. */
    if (w_set_budget(NULL, adapter, 0))
    {
        skip("the test escape is not there\n");
        close_adapter(adapter);
        return;
    }
    failures = model_run(&b, env_number("D3DKMT_MODEL_SEED", GetTickCount() ^ (GetCurrentProcessId() << 16)),
                         env_number("D3DKMT_MODEL_SECONDS", 10), env_number("D3DKMT_MODEL_THREADS", 4));
    ok(!failures, "%d model failures (see above)\n", failures);
    ok(wine_escape(adapter, D3DKMT_WINE_ESCAPE_SET_LOCAL_BUDGET, 0, NULL) == STATUS_SUCCESS, "budget escape failed\n");
    close_adapter(adapter);
}
