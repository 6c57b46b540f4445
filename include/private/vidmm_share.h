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
 * Share files: the memory of an object that other processes of the prefix
 * can map (a shared resource and its allocations' content, a shared sync
 * object or keyed mutex).
 *
 * Under Wine a share file is a memfd made into an NT file handle; sections
 * over it are the NT handles programs see, and every process maps it
 * MAP_SHARED (dlls/d3dkmt/unix_share.c).  In the native unit tests it is a
 * memfd mapped directly (tests/unit/native_share.c).
 *
 * Layout of a share file (every field fixed-width, no pointers, explicit
 * padding: a 32-bit and a 64-bit process map the same file):
 *
 *   0x0000  struct vidmm_share_header            (VIDMM_SHARE_HEADER_SIZE)
 *   0x0400  keyed mutex slot                     (VIDMM_SHARE_MUTEX_SLOT_SIZE)
 *   0x0c00  sync object slot                     (VIDMM_SHARE_SYNC_SLOT_SIZE)
 *   0x1000  resource files: struct vidmm_share_alloc[count], then the
 *           runtime data, the resource's driver data and every allocation's
 *           driver data (offsets in the header and the entries)
 *   payload_offset (page aligned): each allocation's content, page aligned
 *
 * A file is ready for others once the creator has filled it and set
 * `ready` to 1 (a release store): an opener that reads anything else, a
 * wrong magic or version, or offsets outside the file refuses it.
 */
#ifndef VIDMM_SHARE_H
#define VIDMM_SHARE_H

#include <stdatomic.h>
#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

#define VIDMM_SHARE_MAGIC        0x52414853544d4b44ull   /* "DKMTSHAR" */
#define VIDMM_SHARE_VERSION      1u

#define VIDMM_SHARE_KIND_RESOURCE    1u
#define VIDMM_SHARE_KIND_SYNC        2u   /* a sync object shared alone (helper Y) */
#define VIDMM_SHARE_KIND_KEYED_MUTEX 3u   /* a keyed mutex shared alone (helper Y) */

#define VIDMM_SHARE_HEADER_SIZE      0x400u
#define VIDMM_SHARE_MUTEX_SLOT       0x400u
#define VIDMM_SHARE_MUTEX_SLOT_SIZE  0x800u
#define VIDMM_SHARE_SYNC_SLOT        0xc00u
#define VIDMM_SHARE_SYNC_SLOT_SIZE   0x400u
#define VIDMM_SHARE_TABLE            0x1000u   /* resource: the allocation table */
#define VIDMM_SHARE_MIN_SIZE         0x1000u   /* a file is at least its first page */

/* header.slots bits: which slots hold a live object's state. */
#define VIDMM_SHARE_SLOT_MUTEX 0x1u
#define VIDMM_SHARE_SLOT_SYNC  0x2u

struct vidmm_share_header
{
    uint64_t magic;              /* VIDMM_SHARE_MAGIC */
    uint32_t version;            /* VIDMM_SHARE_VERSION */
    uint32_t kind;               /* VIDMM_SHARE_KIND_* */
    uint64_t file_size;          /* bytes of the whole file */
    uint64_t payload_offset;     /* resource: first content byte, page aligned */
    _Atomic uint32_t ready;      /* 1 once filled (release store) */
    uint32_t global_value;       /* legacy global handle, 0 if none (NT sharing only) */
    uint64_t luid;               /* adapter the creator made it on */
    uint32_t create_flags;       /* resource: VIDMM_CREATE_* */
    uint32_t count;              /* resource: allocations */
    uint32_t runtime_offset, runtime_size;     /* resource: runtime private data */
    uint32_t resource_offset, resource_size;   /* resource: the resource's driver data */
    uint32_t total_driver_size;  /* resource: every allocation's driver data */
    _Atomic uint32_t slots;      /* VIDMM_SHARE_SLOT_*: state moved into a slot (helper Y) */
    uint32_t reserved[42];
};
_Static_assert(sizeof(struct vidmm_share_header) <= VIDMM_SHARE_HEADER_SIZE, "header fits its slot");
_Static_assert(sizeof(struct vidmm_share_header) % 8 == 0, "no tail padding");

/* One allocation of a shared resource. */
struct vidmm_share_alloc
{
    uint64_t offset;             /* its content, from the file's start, page aligned */
    uint64_t size;               /* bytes, page multiple */
    uint64_t align_pages;
    uint32_t private_offset;     /* its driver data, from the file's start */
    uint32_t private_size;
    uint32_t desc_flags;         /* D3DKMT_WINE_ALLOC_FLAG_* */
    uint32_t info_flags;         /* VIDMM_ALLOC_* */
    uint32_t group;              /* VIDMM_SEGMENT_GROUP_* */
    uint32_t priority;
};
_Static_assert(sizeof(struct vidmm_share_alloc) == 48, "fixed layout");

/* A share file mapped in this process.  The provider allocates it (with its
 * own fields after these); the core counts references and calls the
 * provider's release at the last. */
struct vidmm_share_file
{
    uint8_t *view;               /* the whole file, mapped here */
    uint64_t size;
    uint32_t writable;           /* view is read/write, else read-only */
    uint32_t global;             /* prefix-wide global value this process holds, 0 if none */
    atomic_int refs;
};

static inline struct vidmm_share_header *share_header(const struct vidmm_share_file *file)
{
    return (struct vidmm_share_header *)file->view;
}

/* What the core needs from the system to share memory across processes.
 * Every function is thread-safe; NTSTATUS results. */
struct vidmm_share_ops
{
    void *ctx;
    /* A new share file of `size` bytes (zero-filled, size a page multiple),
     * mapped read/write, refs 1. */
    NTSTATUS (*create)(void *ctx, uint64_t size, struct vidmm_share_file **out);
    /* Drops this process' view and everything the provider holds for it. */
    void (*release)(void *ctx, struct vidmm_share_file *file);
    /* Gives the file a prefix-wide global handle value (form (v & 0x3f) == 2),
     * unique among the live ones of the prefix and not `busy(v)` in this
     * process; the name lives while any process holds the file by it.
     * Sets file->global. */
    NTSTATUS (*publish_global)(void *ctx, struct vidmm_share_file *file,
                               int (*busy)(void *busy_ctx, uint32_t value), void *busy_ctx);
    /* Opens (maps) the file of a live global value: STATUS_INVALID_PARAMETER
     * when there is none.  The provider checked the magic, version, kind and
     * size; the caller checks the rest of the content. */
    NTSTATUS (*open_global)(void *ctx, uint32_t value, uint32_t kind, struct vidmm_share_file **out);
};

struct vidmm;
/* Gives the manager its share provider (before any adapter is opened);
 * without one, shared resources stay within the process. */
NTSTATUS vidmm_set_share_ops(struct vidmm *mm, const struct vidmm_share_ops *ops);
/* Drops a reference the core handed out (vidmm_share_resource) or one the
 * caller got from the provider; the provider's release runs at the last. */
void vidmm_share_put(struct vidmm *mm, struct vidmm_share_file *file);

/* Checks a mapped file's header: 0, or -1 when it is not a ready share file
 * of that kind (any kind for 0) whose size is the mapping's. */
static inline int share_check_header(const struct vidmm_share_file *file, uint32_t kind)
{
    const struct vidmm_share_header *h = share_header(file);

    if (file->size < VIDMM_SHARE_MIN_SIZE || h->magic != VIDMM_SHARE_MAGIC || h->version != VIDMM_SHARE_VERSION
        || (kind ? h->kind != kind : h->kind < VIDMM_SHARE_KIND_RESOURCE || h->kind > VIDMM_SHARE_KIND_KEYED_MUTEX)
        || h->file_size != file->size
        || atomic_load_explicit(&h->ready, memory_order_acquire) != 1)
        return -1;
    return 0;
}

#endif
