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
 * Share files in the core (include/private/vidmm_share.h): references, and
 * the descriptor of a shared resource, written by its creator and checked
 * by every opener (whose process may not trust the writer).
 *
 * A shared resource (CreateShared, legacy or NtSecuritySharing) gets its
 * share file at creation: all its allocations are known then and none can
 * be added later, so their content lives in the file from the start
 * (VIDMM_LOC_SHARED) and never moves.
 */
#if 0
#pragma makedep unix
#endif
#include <string.h>

#include "vidmm_private.h"

NTSTATUS vidmm_set_share_ops(struct vidmm *mm, const struct vidmm_share_ops *ops)
{
    if (!ops || !ops->create || !ops->release || !ops->publish_global || !ops->open_global)
        return STATUS_INVALID_PARAMETER;
    mm->share_ops = *ops;
    return STATUS_SUCCESS;
}

void share_unref(struct vidmm *mm, struct vidmm_share_file *file)
{
    if (file && atomic_fetch_sub(&file->refs, 1) == 1) mm->share_ops.release(mm->share_ops.ctx, file);
}

void vidmm_share_put(struct vidmm *mm, struct vidmm_share_file *file)
{
    share_unref(mm, file);
}

static uint64_t round_page(uint64_t v)
{
    return (v + VIDMM_PAGE_SIZE - 1) & ~(VIDMM_PAGE_SIZE - 1);
}

NTSTATUS share_resource_create(struct vidmm *mm, struct vidmm_resource *res, struct vidmm_allocation **allocs,
                               uint32_t count)
{
    struct vidmm_share_file *file;
    struct vidmm_share_header *h;
    struct vidmm_share_alloc *table;
    uint64_t data, payload, size;
    uint32_t i, total = 0;
    NTSTATUS status;

    if (!mm->share_ops.create) return STATUS_SUCCESS;
    for (i = 0; i < count; i++)
    {
        /* Caller memory (a standard ExistingHeap allocation) cannot be
         * mapped by others: such a resource is shared within the process
         * only (a documented limit). */
        if (allocs[i]->location == VIDMM_LOC_USER) return STATUS_SUCCESS;
        total += alloc_private_size(allocs[i]);
    }
    data = VIDMM_SHARE_TABLE + (uint64_t)count * sizeof(*table);
    payload = round_page(data + res->runtime_size + res->driver_size + total);
    size = payload;
    for (i = 0; i < count; i++)
    {
        if (allocs[i]->size > UINT64_MAX / 2 - size) return STATUS_GRAPHICS_NO_VIDEO_MEMORY;
        size += allocs[i]->size;
    }
    if ((uintptr_t)size != size) return STATUS_GRAPHICS_NO_VIDEO_MEMORY;   /* 32-bit address space */
    if ((status = mm->share_ops.create(mm->share_ops.ctx, size, &file)))
        return status == STATUS_NO_MEMORY ? STATUS_GRAPHICS_NO_VIDEO_MEMORY : status;

    h = share_header(file);
    table = (struct vidmm_share_alloc *)(file->view + VIDMM_SHARE_TABLE);
    h->magic = VIDMM_SHARE_MAGIC;
    h->version = VIDMM_SHARE_VERSION;
    h->kind = VIDMM_SHARE_KIND_RESOURCE;
    h->file_size = size;
    h->payload_offset = payload;
    h->luid = res->device->adapter->gpu->luid;
    h->create_flags = res->flags;
    h->count = count;
    h->runtime_offset = (uint32_t)data;
    h->runtime_size = res->runtime_size;
    if (res->runtime_size) memcpy(file->view + data, res->runtime_data, res->runtime_size);
    data += res->runtime_size;
    h->resource_offset = (uint32_t)data;
    h->resource_size = res->driver_size;
    if (res->driver_size) memcpy(file->view + data, res->driver_data, res->driver_size);
    data += res->driver_size;
    h->total_driver_size = total;
    for (i = 0; i < count; i++)
    {
        struct vidmm_allocation *alloc = allocs[i];
        struct vidmm_allocation_ext *ext = alloc_ext(alloc);   /* made shared (allocation_new) */

        table[i].offset = payload;
        table[i].size = alloc->size;
        table[i].align_pages = alloc_align_pages(alloc);
        table[i].private_offset = (uint32_t)data;
        table[i].private_size = alloc_private_size(alloc);
        table[i].desc_flags = alloc->desc_flags;
        table[i].info_flags = alloc->info_flags;
        table[i].group = alloc->group;
        table[i].priority = alloc->priority;
        if (ext->private_size) memcpy(file->view + data, ext->private_data, ext->private_size);
        data += ext->private_size;
        /* Not published yet: nothing else sees these fields. */
        alloc->location = VIDMM_LOC_SHARED;
        ext->user_mem = (uintptr_t)(file->view + payload);
        alloc->written = 1;   /* zero already, and others' writes must stay */
        share_ref(file);
        ext->share = file;
        payload += alloc->size;
    }
    atomic_store_explicit(&h->ready, 1, memory_order_release);
    res->share = file;
    return STATUS_SUCCESS;
}

static int range_ok(uint64_t offset, uint64_t size, uint64_t limit)
{
    return offset <= limit && size <= limit - offset;
}

static int share_check_snapshot(const struct vidmm_share_file *file, const struct vidmm_share_header *h);
static int share_check_table(const struct vidmm_share_file *file, const struct vidmm_share_header *h,
                             const struct vidmm_share_alloc *table, uint64_t end);

NTSTATUS share_resource_snapshot(const struct vidmm_share_file *file, struct vidmm_share_header *h,
                                 struct vidmm_share_alloc **out)
{
    struct vidmm_share_alloc *table;
    uint64_t end;

    *out = NULL;
    if (share_check_header(file, VIDMM_SHARE_KIND_RESOURCE)) return STATUS_INVALID_PARAMETER;
    /* Another process may rewrite the file at any time: check and use a copy. */
    memcpy(h, file->view, sizeof(*h));
    if (share_check_snapshot(file, h)) return STATUS_INVALID_PARAMETER;
    if (!h->count || h->count > D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL) return STATUS_INVALID_PARAMETER;
    end = VIDMM_SHARE_TABLE + (uint64_t)h->count * sizeof(*table);
    if (end > file->size) return STATUS_INVALID_PARAMETER;
    if (!(table = vidmm_malloc(h->count * sizeof(*table)))) return STATUS_NO_MEMORY;
    memcpy(table, file->view + VIDMM_SHARE_TABLE, h->count * sizeof(*table));
    if (share_check_table(file, h, table, end))
    {
        vidmm_free(table);
        return STATUS_INVALID_PARAMETER;
    }
    *out = table;
    return STATUS_SUCCESS;
}

static int share_check_snapshot(const struct vidmm_share_file *file, const struct vidmm_share_header *h)
{
    return h->magic != VIDMM_SHARE_MAGIC || h->version != VIDMM_SHARE_VERSION || h->kind != VIDMM_SHARE_KIND_RESOURCE
           || h->file_size != file->size;
}

static int share_check_table(const struct vidmm_share_file *file, const struct vidmm_share_header *h,
                             const struct vidmm_share_alloc *table, uint64_t end)
{
    uint64_t total = 0;
    uint32_t i;

    if (end > h->payload_offset || h->payload_offset > file->size || h->payload_offset % VIDMM_PAGE_SIZE) return -1;
    if (h->runtime_size > D3DKMT_WINE_MAX_PRIVATE_DATA || h->resource_size > D3DKMT_WINE_MAX_PRIVATE_DATA) return -1;
    if (!range_ok(h->runtime_offset, h->runtime_size, h->payload_offset)
        || !range_ok(h->resource_offset, h->resource_size, h->payload_offset))
        return -1;
    for (i = 0; i < h->count; i++)
    {
        if (table[i].private_size > D3DKMT_WINE_MAX_PRIVATE_DATA
            || !range_ok(table[i].private_offset, table[i].private_size, h->payload_offset))
            return -1;
        if (!table[i].size || table[i].size % VIDMM_PAGE_SIZE || table[i].offset % VIDMM_PAGE_SIZE
            || table[i].offset < h->payload_offset || !range_ok(table[i].offset, table[i].size, file->size))
            return -1;
        /* The alignment is kept as a shift: a power of two, as CreateAllocation's are. */
        if (table[i].group > VIDMM_SEGMENT_GROUP_NON_LOCAL || !table[i].align_pages
            || (table[i].align_pages & (table[i].align_pages - 1)))
            return -1;
        total += table[i].private_size;
    }
    if (total != h->total_driver_size) return -1;
    return 0;
}
