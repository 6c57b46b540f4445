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
 * Allocations and CPU access (PE side): CreateAllocation(2),
 * DestroyAllocation(2), Lock(2), Unlock(2).
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

/* Page lists longer than this (more than 1 TiB of pages) are never valid;
 * checking first also keeps NumPages * 4 from overflowing. */
#define MAX_LOCK_PAGES (1u << 28)

static UINT flags_value(const void *flags)
{
    UINT value;
    memcpy(&value, flags, sizeof(value));
    return value;
}

/* What a typical call needs fits on the stack: a heap allocation and free
 * each for the infos and the blobs were a fifth of a small create. */
#define CREATE_STACK_INFOS 4
#define CREATE_STACK_BLOBS 512

/* Everything CreateAllocation reads, copied into blocks of our own. */
struct create_copy
{
    struct vidmm_create_allocation_args args;
    struct vidmm_alloc_info *infos;   /* stack_infos or the heap's */
    BYTE *blobs;                      /* stack_blobs or the heap's */
    SIZE_T blob_used;
    struct vidmm_alloc_info stack_infos[CREATE_STACK_INFOS];
    UINT64 stack_blobs[CREATE_STACK_BLOBS / sizeof(UINT64)];  /* 8-aligned, as copy_blob keeps each blob */
};

/* CreateAllocation's body runs under one exception frame (d3dkmt_guarded):
 * a fault on caller memory ends it with STATUS_ACCESS_VIOLATION, so it
 * reads with this and probes with d3dkmt_touch_for_write, neither with a
 * frame of its own. */
static void guarded_read(void *dst, const void *src, SIZE_T size)
{
    if (size) memcpy(dst, src, size);
}

/* Copies one caller blob (size and pointer already checked) into the copy block. */
static void copy_blob(struct create_copy *c, const void *src, UINT size, UINT64 *out)
{
    *out = 0;
    if (!size) return;
    guarded_read(c->blobs + c->blob_used, src, size);
    *out = ptr_to_u64(c->blobs + c->blob_used);
    c->blob_used += (size + 7) & ~(SIZE_T)7;
}

static NTSTATUS check_blob(const void *src, UINT size, SIZE_T *total)
{
    if (!size) return STATUS_SUCCESS;
    if (size > D3DKMT_WINE_MAX_PRIVATE_DATA || !src) return STATUS_INVALID_PARAMETER;
    *total += (size + 7) & ~(SIZE_T)7;
    return STATUS_SUCCESS;
}

/* First pass: reads the caller's per-allocation array (INFO or INFO2) into
 * c->infos, with private_data still the caller's pointer, and sums the blob sizes. */
static NTSTATUS read_alloc_infos(struct create_copy *c, UINT count, BOOL info2, void *caller_array, SIZE_T *total)
{
    SIZE_T elem = info2 ? sizeof(D3DDDI_ALLOCATIONINFO2) : sizeof(D3DDDI_ALLOCATIONINFO);
    NTSTATUS status;
    UINT i;

    for (i = 0; i < count; i++)
    {
        struct vidmm_alloc_info *info = &c->infos[i];
        BYTE *src = (BYTE *)caller_array + i * elem;
        D3DDDI_ALLOCATIONINFO2 in2;
        D3DDDI_ALLOCATIONINFO in;

        if (info2)
        {
            guarded_read(&in2, src, sizeof(in2));
            info->system_mem = ptr_to_u64(in2.pSystemMem);
            info->vidpn_source_id = in2.VidPnSourceId;
            info->flags = in2.Flags.Value;
            info->priority = in2.Priority;
            info->private_data = ptr_to_u64(in2.pPrivateDriverData);
            info->private_size = in2.PrivateDriverDataSize;
        }
        else
        {
            guarded_read(&in, src, sizeof(in));
            info->system_mem = ptr_to_u64(in.pSystemMem);
            info->vidpn_source_id = in.VidPnSourceId;
            info->flags = in.Flags.Value;
            info->private_data = ptr_to_u64(in.pPrivateDriverData);
            info->private_size = in.PrivateDriverDataSize;
        }
        TRACE("allocation %u: system memory %#I64x, data %#I64x size %u, source %u, flags %#x, priority %#x\n", i,
              info->system_mem, info->private_data, info->private_size, info->vidpn_source_id, info->flags, info->priority);
        if ((status = check_blob(u64_to_ptr(info->private_data), info->private_size, total))) return status;
        /* hAllocation (and INFO2's GpuVirtualAddress) are written back later. */
        d3dkmt_touch_for_write(src, elem);
    }
    return STATUS_SUCCESS;
}

/* One CreateAllocation call: what create_body fills in, and what the caller
 * frees and returns after it (also after a fault). */
struct create_call
{
    D3DKMT_CREATEALLOCATION *caller;
    BOOL info2;
    struct create_copy c;
    NTSTATUS status;             /* of the Unix call, once made */
    BOOL called;
};

static NTSTATUS create_body(void *ctx)
{
    struct create_call *call = ctx;
    struct create_copy *c = &call->c;
    D3DKMT_CREATEALLOCATION *caller = call->caller;
    D3DKMT_CREATESTANDARDALLOCATION standard;
    D3DKMT_CREATEALLOCATION desc;
    BOOL info2 = call->info2;
    void *caller_array;
    SIZE_T blob_bytes = 0, i;
    NTSTATUS status;

    guarded_read(&desc, caller, sizeof(desc));
    TRACE("device %#x resource %#x count %u flags %#x\n", desc.hDevice, desc.hResource,
          desc.NumAllocations, flags_value(&desc.Flags));
    if (!desc.hDevice) return STATUS_INVALID_PARAMETER;
    /* The count bounds every size below, so nothing can overflow. */
    if (!desc.NumAllocations || desc.NumAllocations > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL)
        return STATUS_INVALID_PARAMETER;
    caller_array = info2 ? (void *)desc.pAllocationInfo2 : (void *)desc.pAllocationInfo;
    if (!caller_array) return STATUS_INVALID_PARAMETER;
    d3dkmt_touch_for_write(caller, sizeof(*caller));

    if (desc.NumAllocations <= CREATE_STACK_INFOS) c->infos = c->stack_infos;
    else if (!(c->infos = d3dkmt_alloc(desc.NumAllocations * sizeof(*c->infos)))) return STATUS_NO_MEMORY;
    memset(c->infos, 0, desc.NumAllocations * sizeof(*c->infos));
    c->args.flags = flags_value(&desc.Flags);
    if (c->args.flags & VIDMM_CREATE_STANDARD)
    {
        /* One allocation, checked before the caller's array is read past it. */
        if (!desc.pStandardAllocation || desc.NumAllocations != 1) return STATUS_INVALID_PARAMETER;
        guarded_read(&standard, desc.pStandardAllocation, sizeof(standard));
        c->args.standard_type = standard.Type;
        c->args.standard_flags = flags_value(&standard.Flags);
        c->args.standard_heap_size = standard.ExistingHeapData.Size;
        c->args.resource_size = desc.PrivateDriverDataSize;  /* must be 0: the manager checks */
    }
    else if ((status = check_blob(desc.pPrivateDriverData, desc.PrivateDriverDataSize, &blob_bytes))) return status;
    if ((status = check_blob(desc.pPrivateRuntimeData, desc.PrivateRuntimeDataSize, &blob_bytes))) return status;
    if ((status = read_alloc_infos(c, desc.NumAllocations, info2, caller_array, &blob_bytes))) return status;

    if (blob_bytes <= sizeof(c->stack_blobs)) c->blobs = (BYTE *)c->stack_blobs;
    else if (!(c->blobs = d3dkmt_alloc(blob_bytes))) return STATUS_NO_MEMORY;
    c->args.device = desc.hDevice;
    c->args.resource = desc.hResource;
    c->args.count = desc.NumAllocations;
    c->args.info2 = info2;
    c->args.allocs = ptr_to_u64(c->infos);
    copy_blob(c, desc.pPrivateRuntimeData, desc.PrivateRuntimeDataSize, &c->args.runtime_data);
    c->args.runtime_size = desc.PrivateRuntimeDataSize;
    if (!(c->args.flags & VIDMM_CREATE_STANDARD))
    {
        copy_blob(c, desc.pPrivateDriverData, desc.PrivateDriverDataSize, &c->args.resource_data);
        c->args.resource_size = desc.PrivateDriverDataSize;
    }
    for (i = 0; i < desc.NumAllocations; i++)
        copy_blob(c, u64_to_ptr(c->infos[i].private_data), c->infos[i].private_size, &c->infos[i].private_data);

    call->status = d3dkmt_unix_call(unix_create_allocation, &c->args);
    call->called = TRUE;
    if (call->status) return call->status;

    /* Every output was probed for write above; a fault now (another thread
     * changed the protection) still returns the call's status. */
    for (i = 0; i < desc.NumAllocations; i++)
    {
        if (info2)
        {
            D3DDDI_ALLOCATIONINFO2 *out = (D3DDDI_ALLOCATIONINFO2 *)caller_array + i;
            out->hAllocation = c->infos[i].handle;
            out->GpuVirtualAddress = c->infos[i].gpu_va;
        }
        else ((D3DDDI_ALLOCATIONINFO *)caller_array + i)->hAllocation = c->infos[i].handle;
    }
    caller->hResource = c->args.resource;
    caller->hGlobalShare = c->args.global_share;
    return STATUS_SUCCESS;
}

static NTSTATUS create_allocation(D3DKMT_CREATEALLOCATION *caller, BOOL info2)
{
    struct create_call call = {0};
    NTSTATUS status;

    if (!caller) return STATUS_INVALID_PARAMETER;
    call.caller = caller;
    call.info2 = info2;
    status = d3dkmt_guarded(create_body, &call);
    if (call.called) status = call.status;
    if (call.c.infos != call.c.stack_infos) d3dkmt_free(call.c.infos);
    if (call.c.blobs != (BYTE *)call.c.stack_blobs) d3dkmt_free(call.c.blobs);
    TRACE("-> %#lx\n", status);
    return status;
}

/******************************************************************************
 *           D3DKMTCreateAllocation    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateAllocation(D3DKMT_CREATEALLOCATION *desc)
{
    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    return create_allocation(desc, FALSE);
}

/******************************************************************************
 *           D3DKMTCreateAllocation2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCreateAllocation2(D3DKMT_CREATEALLOCATION *desc)
{
    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    return create_allocation(desc, TRUE);
}

static NTSTATUS destroy_allocation(D3DKMT_HANDLE device, D3DKMT_HANDLE resource, const D3DKMT_HANDLE *list,
                                   UINT count, UINT flags)
{
    struct vidmm_destroy_allocation_args args = {0};
    D3DKMT_HANDLE *handles = NULL, stack[16];   /* most lists are short: no heap block for them */
    NTSTATUS status;

    TRACE("device %#x resource %#x list %p count %u flags %#x\n", device, resource, list, count, flags);
    if (!device) return STATUS_INVALID_PARAMETER;
    /* With a resource the list is ignored, even a stale pointer. */
    if (!resource && (status = d3dkmt_copy_array_into(list, count, sizeof(*handles), D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL,
                                                      stack, sizeof(stack), (void **)&handles)))
        return status;
    args.device = device;
    args.resource = resource;
    args.handles = ptr_to_u64(handles);
    args.count = resource ? 0 : count;
    args.flags = flags;
    status = d3dkmt_unix_call(unix_destroy_allocation, &args);
    if (handles != stack) d3dkmt_free(handles);
    return status;
}

/******************************************************************************
 *           D3DKMTDestroyAllocation    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroyAllocation(const D3DKMT_DESTROYALLOCATION *desc)
{
    D3DKMT_DESTROYALLOCATION copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return destroy_allocation(copy.hDevice, copy.hResource, copy.phAllocationList, copy.AllocationCount, 0);
}

/******************************************************************************
 *           D3DKMTDestroyAllocation2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTDestroyAllocation2(const D3DKMT_DESTROYALLOCATION2 *desc)
{
    D3DKMT_DESTROYALLOCATION2 copy;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();
    COPY_IN(copy, desc);
    return destroy_allocation(copy.hDevice, copy.hResource, copy.phAllocationList, copy.AllocationCount,
                              copy.Flags.Value);
}

/* Lock, Lock2, Unlock and Unlock2 run their whole body, from reading the
 * caller's struct to writing the results back, under one exception frame
 * (d3dkmt_guarded) and allocate nothing in the common case.  Every pointer is
 * read or probed for writing before the Unix call, so a fault leaves nothing
 * changed; a fault after a successful call (another thread changing the
 * protection meanwhile) still returns the call's status, as the copy-out of
 * the other exports does. */

/* The pages of a Lock's pPages, at most this many without a heap copy. */
#define LOCK_STACK_PAGES 64

struct lock_call
{
    void *desc;                  /* D3DKMT_LOCK or D3DKMT_LOCK2 */
    struct vidmm_lock_args args;
    UINT stack_pages[LOCK_STACK_PAGES];
    UINT *heap_pages;            /* freed by the caller, also after a fault */
    NTSTATUS status;             /* of the Unix call, once made */
    BOOL called;
};

/* Rewrites the first and last byte of a small caller struct (it spans at
 * most two pages) with themselves: faults unless all of it is writable. */
static void probe_small(void *ptr, SIZE_T size)
{
    volatile BYTE *p = ptr;

    p[0] = p[0];
    p[size - 1] = p[size - 1];
}

/* A Lock the fast path took (vidmm_fastlock.h): the results as the Unix
 * call would give them. */
static void fast_locked(struct lock_call *c, UINT64 address)
{
    c->status = STATUS_SUCCESS;
    c->called = TRUE;
    c->args.data = address;
    c->args.gpu_va = 0;
}

static NTSTATUS lock_body(void *ctx)
{
    struct lock_call *c = ctx;
    D3DKMT_LOCK copy = *(const D3DKMT_LOCK *)c->desc;
    UINT *pages = c->stack_pages;
    UINT64 address;

    if (!copy.hDevice || !copy.hAllocation) return STATUS_INVALID_PARAMETER;
    if (copy.NumPages > MAX_LOCK_PAGES) return STATUS_INVALID_PARAMETER;
    if (!copy.NumPages && !copy.pPages && vidmm_fastlock_flags_ok(copy.Flags.Value))
    {
        probe_small(c->desc, sizeof(copy));   /* before the lock is taken, as below */
        if (vidmm_fastlock_lock(d3dkmt_fastlock, copy.hDevice, copy.hAllocation, &address))
        {
            fast_locked(c, address);
            copy.pData = u64_to_ptr(address);
            copy.GpuVirtualAddress = 0;
            *(D3DKMT_LOCK *)c->desc = copy;
            return STATUS_SUCCESS;
        }
    }
    if (copy.NumPages && copy.pPages)
    {
        if (copy.NumPages > LOCK_STACK_PAGES && !(pages = c->heap_pages = d3dkmt_alloc(copy.NumPages * sizeof(*pages))))
            return STATUS_NO_MEMORY;
        memcpy(pages, copy.pPages, copy.NumPages * sizeof(*pages));
        c->args.pages = ptr_to_u64(pages);
    }
    else if (copy.pPages) c->args.pages = ptr_to_u64(copy.pPages);  /* only checked against LockEntire */
    probe_small(c->desc, sizeof(copy));

    c->args.device = copy.hDevice;
    c->args.allocation = copy.hAllocation;
    c->args.flags = copy.Flags.Value;
    c->args.num_pages = copy.NumPages;
    c->status = d3dkmt_unix_call(unix_lock, &c->args);
    c->called = TRUE;
    if (c->status) return c->status;
    copy.hAllocation = c->args.allocation;
    copy.pData = u64_to_ptr(c->args.data);
    copy.GpuVirtualAddress = c->args.gpu_va;
    *(D3DKMT_LOCK *)c->desc = copy;
    return STATUS_SUCCESS;
}

static NTSTATUS lock2_body(void *ctx)
{
    struct lock_call *c = ctx;
    D3DKMT_LOCK2 *desc = c->desc;
    D3DKMT_LOCK2 copy = *desc;
    UINT64 address;

    if (!copy.hDevice || !copy.hAllocation) return STATUS_INVALID_PARAMETER;
    probe_small(&desc->pData, sizeof(desc->pData));
    if (!copy.Flags.Value && vidmm_fastlock_lock(d3dkmt_fastlock, copy.hDevice, copy.hAllocation, &address))
    {
        fast_locked(c, address);
        desc->pData = u64_to_ptr(address);
        return STATUS_SUCCESS;
    }
    c->args.device = copy.hDevice;
    c->args.allocation = copy.hAllocation;
    c->args.flags = copy.Flags.Value;
    c->args.lock2 = 1;
    c->status = d3dkmt_unix_call(unix_lock, &c->args);
    c->called = TRUE;
    if (c->status) return c->status;
    desc->pData = u64_to_ptr(c->args.data);
    return STATUS_SUCCESS;
}

static NTSTATUS guarded_lock(NTSTATUS (*body)(void *ctx), void *desc)
{
    struct lock_call c;
    NTSTATUS status;

    RETURN_IF_UNAVAILABLE();
    if (!desc) return STATUS_INVALID_PARAMETER;
    memset(&c.args, 0, sizeof(c.args));
    c.desc = desc;
    c.heap_pages = NULL;
    c.called = FALSE;
    status = d3dkmt_guarded(body, &c);
    if (c.called) status = c.status;   /* a fault writing the results back */
    if (c.heap_pages) d3dkmt_free(c.heap_pages);
    return status;
}

/******************************************************************************
 *           D3DKMTLock    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTLock(D3DKMT_LOCK *desc)
{
    TRACE("(%p)\n", desc);
    return guarded_lock(lock_body, desc);
}

/******************************************************************************
 *           D3DKMTLock2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTLock2(D3DKMT_LOCK2 *desc)
{
    TRACE("(%p)\n", desc);
    return guarded_lock(lock2_body, desc);
}

struct unlock_call
{
    const void *desc;            /* D3DKMT_UNLOCK or D3DKMT_UNLOCK2 */
    BOOL unlock2;
    D3DKMT_HANDLE one;
    D3DKMT_HANDLE *heap;         /* freed by the caller, also after a fault */
};

static NTSTATUS unlock_body(void *ctx)
{
    struct unlock_call *c = ctx;
    struct vidmm_unlock_args args = {0};
    const D3DKMT_HANDLE *list;
    UINT count;

    if (c->unlock2)
    {
        const D3DKMT_UNLOCK2 *desc = c->desc;
        args.device = desc->hDevice;
        list = &desc->hAllocation;
        count = 1;
    }
    else
    {
        D3DKMT_UNLOCK copy = *(const D3DKMT_UNLOCK *)c->desc;
        args.device = copy.hDevice;
        list = copy.phAllocations;
        count = copy.NumAllocations;
    }
    if (!args.device || !count || !list || count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL) return STATUS_INVALID_PARAMETER;
    args.count = count;
    if (count == 1)
    {
        c->one = *list;   /* the common case: no heap copy */
        if (vidmm_fastlock_unlock(d3dkmt_fastlock, args.device, c->one)) return STATUS_SUCCESS;
        args.handles = ptr_to_u64(&c->one);
    }
    else
    {
        if (!(c->heap = d3dkmt_alloc(count * sizeof(*list)))) return STATUS_NO_MEMORY;
        memcpy(c->heap, list, count * sizeof(*list));
        args.handles = ptr_to_u64(c->heap);
    }
    /* Nothing is written back, so a fault can only come before this. */
    return d3dkmt_unix_call(unix_unlock, &args);
}

static NTSTATUS guarded_unlock(const void *desc, BOOL unlock2)
{
    struct unlock_call c;
    NTSTATUS status;

    RETURN_IF_UNAVAILABLE();
    if (!desc) return STATUS_INVALID_PARAMETER;
    c.desc = desc;
    c.unlock2 = unlock2;
    c.heap = NULL;
    status = d3dkmt_guarded(unlock_body, &c);
    if (c.heap) d3dkmt_free(c.heap);
    return status;
}

/******************************************************************************
 *           D3DKMTUnlock    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTUnlock(const D3DKMT_UNLOCK *desc)
{
    TRACE("(%p)\n", desc);
    return guarded_unlock(desc, FALSE);
}

/******************************************************************************
 *           D3DKMTUnlock2    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTUnlock2(const D3DKMT_UNLOCK2 *desc)
{
    TRACE("(%p)\n", desc);
    return guarded_unlock(desc, TRUE);
}
