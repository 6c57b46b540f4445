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
 * Internal object model of the video memory manager.
 *
 * Layers, from the bottom up: a file may call only files listed before it.
 * scripts/check-layers.sh reads this list and `make check` fails on a call
 * upwards (or on a file missing here).  A lower layer reaches a higher one
 * only through a hook (a function pointer): vidmm.release_gpu.
 *
 * LAYERS-BEGIN
 *   vidmm_alloc.c   heap allocation (fault injection in the test build)
 *   vidmm_mutex.c   the lock checker of the test build
 *   slab.c          fixed-size items named by 32-bit indices (vidmm_slab.h)
 *   alloc_store.c   where allocation objects live; the lists that link
 *                   them by slab index
 *   faults.c        fault injection for application developers: the
 *                   setting, the PRNG, the decisions (vidmm_faults.h)
 *   system.c        the system view: the process table shared by the
 *                   processes of a prefix, liveness, doorbells, published
 *                   usage, the budget policy (vidmm_system.h)
 *   handle_table.c  handle values and their objects
 *   range_alloc.c   the page-range allocator of the local segment
 *   heap.c          the system-memory heap: arenas for backing stores and
 *                   non-local allocations
 *   share.c         share files (cross-process memory): references, the
 *                   descriptor of a shared resource
 *   object.c        references, lookups, teardown of the last reference
 *   fastlock.c      the Lock fast path's table: arming and disarming an
 *                   allocation's slot (vidmm_fastlock.h)
 *   lru.c           the eviction candidates: one LRU list per priority class
 *   sync_slot.c     the state of a sync object shared between processes:
 *                   fence values, a keyed mutex's slot lock, doorbells
 *   sync.c          synchronization objects, CPU signal and wait (low, so that
 *                   the pager can signal a paging queue's fence)
 *   keyed_mutex.c   keyed mutexes
 *   statistics.c    the counters QueryStatistics and the monitor report,
 *                   published in the system view; the locked-count walk
 *   segment.c       where an allocation lives, usage accounting, moving one
 *   evict.c         LRU, victim choice, placement that evicts to make room
 *   pager.c         the asynchronous executor, trimming to budget
 *   allocation.c    CreateAllocation, DestroyAllocation, object teardown
 *   residency.c     paging queues, MakeResident, Evict, priorities
 *   offer.c         Offer, Reclaim
 *   lock.c          Lock, Unlock
 *   sharing.c       QueryResourceInfo, OpenResource
 *   sync_shared.c   sharing sync objects and keyed mutexes between processes:
 *                   moving state into share files, opening it, the listener
 *   device.c        devices
 *   adapter.c       adapters, their GPUs, video memory queries
 *   escape.c        the driver-private test-control escape
 *   manager.c       the manager object
 * LAYERS-END
 *
 * Locks, outermost first (a thread takes a lock only while it holds none of
 * the same or a later row; the test build checks this, see vidmm_mutex.h):
 *
 *   lock               guards                                     taken inside
 *   mm->objects_lock   device/resource/allocation lists, dead      -
 *                      flags of devices and resources, teardown,
 *                      aliases/orphaned of shared allocations
 *   mm->gpus_lock      mm->gpus and gpu->opens                     objects_lock
 *   gpu->lock          segments, range allocator, LRU, usage,      objects_lock, gpus_lock
 *                      residency, paging jobs and fences, a
 *                      placed allocation's location, the heap,
 *                      the statistics counters
 *   alloc->lock        one allocation's lock count,                objects_lock, gpu->lock
 *                      (statistics.c's walk: objects_lock and gpus_lock)
 *                      aperture, written, offer
 *                      state, paging op, parked (also under gpu->lock);
 *                      several at once only in address order
 *                      (vidmm_unlock); also fast_slot and the
 *                      manager's changes of its slot's word (an
 *                      armed word is the PE side's fast path's too,
 *                      changed only by compare-and-swap: no lock)
 *   sync->lock         sync objects, keyed mutexes, their waiters  objects_lock, gpu->lock
 *                      (sync.c; waiters sleep on its conditions),
 *                      the list of shared cores
 *   km slot lock       a shared keyed mutex's state in its share   sync->lock
 *                      file (sync_slot.c km_lock): a word in
 *                      shared memory naming the holder's process,
 *                      taken over when that process is dead;
 *                      held for a few instructions, nothing inside
 *   table.lock         handle table writers: insert, remove,       any of the above
 *                      count, for_each (lookups do not take it)
 *   system->lock       system.c: attaching to the view, this      any of the above
 *                      process' adapter entries, listeners        (nothing inside it)
 *   slab->lock         a slab's free list and chunks (slab.c):     any of the above
 *                      allocation objects come and go             (nothing inside it)
 *   table stripe       one stripe of hash chains (spins, then      any of the above,
 *                      sleeps; handle_table.c): a lookup plus a    table.lock (all
 *                      reference grab, or a writer linking or      stripes in index
 *                      unlinking an entry; nothing taken inside    order to resize)
 *
 * The share provider (mm->share_ops, share.c) takes none of these locks.
 * publish_global runs under objects_lock (inserting a new legacy-shared
 * resource's handles); release runs under whatever the last vidmm_put of an
 * object holding a share file holds (objects_lock during teardown); create
 * and open_global run with no lock held.  Under Wine these are wineserver
 * calls (NtCreateSection, NtMapViewOfSection, NtUnmapViewOfSection, NtClose),
 * which take no lock of ours, so the order cannot invert.
 *
 * Lock and Unlock of one allocation take only its handle's stripe and
 * alloc->lock (gpu->lock only when they must wait or evict), and
 * write no device or GPU field: threads on different allocations share no
 * written cache line.
 * gpus_lock is held while a GPU is created and while vidmm_get_stats takes
 * each gpu->lock in turn; a GPU is destroyed after it is dropped.  The pager
 * thread sleeps on gpu->lock's conditions, and copies or moves a job's
 * content holding no lock at all: gpu->moving and the allocation's paging op
 * (both set under gpu->lock) keep the two ranges its own meanwhile, and a
 * destroy waits on gpu->paging_done for the commit (pager.c).  Functions that need a lock held
 * say so with vidmm_assert_held(), checked in the test build.
 */
#ifndef VIDMM_PRIVATE_H
#define VIDMM_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "private/vidmm.h"
#include "private/handle_table.h"
#include "private/range_alloc.h"
#include "private/vidmm_heap.h"
#include "private/vidmm_alloc.h"
#include "private/vidmm_mutex.h"
#include "private/vidmm_slab.h"
#include "private/vidmm_system.h"
#include "private/vidmm_share.h"
#include "private/vidmm_faults.h"
#include "private/vidmm_fastlock.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

struct vidmm_list { struct vidmm_list *prev, *next; };

static inline void list_init(struct vidmm_list *l) { l->prev = l->next = l; }
static inline int list_empty(const struct vidmm_list *l) { return l->next == l; }
static inline void list_add_tail(struct vidmm_list *head, struct vidmm_list *e)
{
    e->next = head; e->prev = head->prev; head->prev->next = e; head->prev = e;
}
static inline void list_remove(struct vidmm_list *e)
{
    e->prev->next = e->next; e->next->prev = e->prev; e->prev = e->next = e;
}
#define LIST_ENTRY(ptr, type, field) ((type *)((char *)(ptr) - offsetof(type, field)))

/* Lists of allocations, linked by slab index (alloc_store.c): 8 bytes a
 * link instead of 16.  0 ends a list. */
#define VIDMM_ILINK_OFF 0xffffffffu
struct vidmm_ilink { uint32_t prev, next; };   /* prev VIDMM_ILINK_OFF: in no list */
struct vidmm_ilist { uint32_t first, last; };  /* both 0: empty */

static inline void ilist_init(struct vidmm_ilist *list) { list->first = list->last = 0; }
static inline int ilist_empty(const struct vidmm_ilist *list) { return !list->first; }
static inline void ilink_init(struct vidmm_ilink *link) { link->prev = link->next = VIDMM_ILINK_OFF; }
static inline int ilink_linked(const struct vidmm_ilink *link) { return link->prev != VIDMM_ILINK_OFF; }

/* Where allocation objects live (alloc_store.c): a slab of plain ones and
 * one of extended ones; VIDMM_ALLOC_INDEX_EXT in an index says which. */
#define VIDMM_ALLOC_INDEX_EXT 0x80000000u
struct vidmm_alloc_store
{
    struct vidmm_slab plain, ext;
};

/* Every handle-table object starts with this.  refs counts the table's
 * reference plus one per caller between lookup and release. */
struct vidmm_object
{
    atomic_int refs;
    enum vidmm_object_type type;
    uint32_t handle;
};

enum vidmm_location
{
    VIDMM_LOC_LOCAL,      /* in the local segment pool */
    VIDMM_LOC_SYSTEM,     /* in its own system-memory backing store (evicted or non-local) */
    VIDMM_LOC_USER,       /* in the caller's pSystemMem */
    VIDMM_LOC_NONE,       /* destroyed: holds no memory; nothing may move or touch it */
    VIDMM_LOC_SHARED,     /* in a shared resource's share file (user_mem: this process' view); never moves */
};

/* Eviction candidates of the local segment: resident, unpinned, not locked
 * (as far as victim choice saw), without residency references or queued
 * paging.  One list per class, least recent first; classes in eviction order:
 * offered at offer priority 1, 2, 3, then by the top 5 bits of the priority. */
#define VIDMM_LRU_OFFERED 3
#define VIDMM_LRU_CLASSES (VIDMM_LRU_OFFERED + 32)
struct vidmm_lru
{
    struct vidmm_ilist list[VIDMM_LRU_CLASSES];
    uint64_t nonempty;        /* bit n: list[n] has entries */
};

struct vidmm_segment
{
    uint64_t size;            /* bytes */
    uint64_t usage;           /* bytes of allocations resident here */
    struct range_allocator ra;/* local segment only */
    uint8_t *base;            /* local segment pool: committed once; its free pages read zero */
    struct vidmm_lru lru;     /* local segment: the eviction candidates */
};

/* What statistics.c reports of one GPU in this process; gpu->lock. */
struct vidmm_gpu_counters
{
    uint64_t committed[2];        /* bytes of live allocations, by VIDMM_SEGMENT_GROUP_* */
    uint32_t allocations[2];      /* live allocations, by group */
    uint32_t resident_local;      /* allocations in the local segment */
    uint64_t evictions, evicted_bytes;
    uint64_t restores, restored_bytes;
};

/* One physical adapter (one LUID); every adapter handle for it shares it. */
struct vidmm_gpu
{
    struct vidmm_list entry;  /* in vidmm.gpus, guarded by vidmm.gpus_lock */
    int opens;                /* adapter objects referring to it, gpus_lock */
    uint64_t luid;
    uint32_t source_count;
    struct vidmm_fastlock_table *fast;  /* mm->fast (fixed: set before any adapter exists) */
    struct vidmm_alloc_store *allocs;   /* &mm->allocs (fixed): resolves the list links */
    struct vidmm_mutex lock;  /* guards everything below */
    struct vidmm_segment local, nonlocal;
    struct vidmm_heap heap;   /* backing stores and non-local allocations */
    uint64_t move_min;        /* smallest allocation whose pages move instead of being copied */
    uint64_t backing_bytes;   /* system memory held by backing stores */
    uint64_t commit_limit;    /* most backing_bytes may be: the over-commit ceiling */
    uint64_t local_budget;    /* what may be resident: min(budget_cap, the system budget) */
    uint64_t budget_cap;      /* <= local.size; lowered by the test escape */
    struct vidmm_system_adapter *sys; /* this process' usage of it in the system view, or NULL */
    uint64_t local_pinned;    /* bytes of pinned allocations in the local segment */
    uint64_t residency_claim; /* bytes of unpinned local-group allocations with residency references */
    atomic_uint apertures;    /* deswizzling apertures; read by Lock without gpu->lock */
    atomic_uint apertures_used; /* taken and given back without gpu->lock, by Lock and Unlock */
    atomic_int removed;       /* adapter gone (simulated): STATUS_DEVICE_REMOVED; read without the lock */

    /* The pager: a thread that carries out evictions and restores queued by
     * MakeResident, Evict and budget changes.  Guarded by lock as well. */
    pthread_t pager;
    int pager_running, pager_stop, pager_paused;
    uint64_t pager_yields;        /* times the pager gave the CPU back between jobs (pager.c) */
    /* The allocation whose content the pager copies right now without this
     * lock; destroy waits for paging_done until it is another (pager.c). */
    struct vidmm_allocation *moving;
    unsigned int moving_waiters;
    pthread_cond_t pager_wake;   /* work queued, resumed or stopping */
    pthread_cond_t paging_done;  /* a job finished */
    struct vidmm_ilist jobs;     /* allocations with a queued paging operation, FIFO */
    uint64_t fence_submitted, fence_completed;
    struct vidmm_list paging_queues; /* to publish completed fences */
    uint64_t victim_visits;      /* LRU entries victim choice looked at (read by tests) */
    uint8_t fault_budget_done;   /* fault injection's budget= applied (adapter.c), gpu->lock */
    struct vidmm_gpu_counters counters; /* gpu->lock; published with usage */
};

enum vidmm_paging_op
{
    VIDMM_PAGING_NONE,
    VIDMM_PAGING_EVICT,       /* to its backing store */
    VIDMM_PAGING_RESTORE,     /* back into the local segment */
};

struct vidmm_paging_queue
{
    struct vidmm_object obj;
    struct vidmm_device *device;
    struct vidmm_list entry;      /* in device->paging_queues, objects_lock */
    struct vidmm_list gpu_entry;  /* in gpu->paging_queues, gpu->lock */
    struct vidmm *mm;             /* to signal the fence from the pager */
    uint32_t sync_object;         /* handle of its monitored fence (sync.c's, internal) */
};

/* Object lifetime: an allocation or resource holds a reference on its device,
 * a device on its adapter, an adapter keeps its gpu; so nothing an object
 * points to goes away before the object itself. */
struct vidmm_adapter
{
    struct vidmm_object obj;
    struct vidmm_gpu *gpu;
    int closed;                  /* handle closed, objects_lock */
    uint32_t source_id;
    uint32_t host_handle;
    struct vidmm_list devices;   /* objects_lock */
};

struct vidmm_device
{
    struct vidmm_object obj;
    struct vidmm_adapter *adapter;
    struct vidmm_list entry;     /* in adapter->devices, objects_lock */
    uint32_t flags;
    uint32_t host_handle;
    struct vidmm_list resources; /* objects_lock */
    struct vidmm_ilist allocations; /* stand-alone ones, objects_lock */
    struct vidmm_list paging_queues; /* objects_lock */
    int dead;                    /* being destroyed, objects_lock */
    atomic_int exec_state;       /* D3DKMT_DEVICEEXECUTION_STATE, 1 = active */
    struct vidmm_faults *faults; /* the manager's fault injection, NULL when off (fixed) */
    uint32_t faults_epoch;       /* faults_device_born() at creation (fixed) */
    uint8_t fast_index;          /* in the fast-lock table's device list, 0: none (fixed until teardown) */
};

struct vidmm_resource
{
    struct vidmm_object obj;
    struct vidmm_device *device;
    struct vidmm_list entry;       /* in device->resources */
    struct vidmm_ilist allocations;/* objects_lock */
    uint32_t flags;                /* creation flags */
    void *runtime_data, *driver_data;
    uint32_t runtime_size, driver_size;
    int dead;
    uint32_t global_share;         /* global share handle, 0 if not legacy-shared */
    struct vidmm_share_file *share;/* cross-process: the share file its content lives in (a reference) */
};

/* Laid out to pack: a million live allocations hold a million of these.
 * The one-byte fields are each their own memory location (never bitfields),
 * so fields under different locks never share a write. */
/* Laid out by size, so that a million of them cost as little as they can;
 * which lock guards a field says its comment, or the table above.  The
 * byte fields come in runs split by wider ones, each run written under the
 * same locks: GCC may test several bytes of a run with one wider load, and
 * such a load must not read a byte another thread writes meanwhile (or an
 * atomic one), or TSan rightly sees a race. */
struct vidmm_allocation
{
    struct vidmm_object obj;
    uint32_t priority;                 /* gpu->lock */
    /* Its resource (in_resource), else its device (alloc_resource,
     * alloc_device): a reference, fixed.  A resource holds its device. */
    void *owner;
    struct vidmm_ilink entry;          /* objects_lock: in resource->allocations, else device->allocations */
    uint64_t size;                     /* bytes, page multiple (fixed) */
    uint32_t self;                     /* its index in mm->allocs, what links name it by (fixed) */
    uint8_t lru_class;                 /* gpu->lock: the LRU list it is in */
    uint8_t listed;                    /* objects_lock: seen earlier in the DestroyAllocation list */
    uint8_t orphaned;                  /* objects_lock: creator's handle gone, memory kept for aliases */
    /* Fixed before it is published; bits, as nothing writes them later. */
    uint8_t extended : 1;              /* a struct vidmm_allocation_ext (fixed by alloc_store_new) */
    uint8_t group : 2;                 /* VIDMM_SEGMENT_GROUP_* */
    uint8_t align_shift : 5;           /* log2 of its alignment in pages (alloc_align_pages) */

    /* gpu->lock */
    uint32_t residency_count;          /* MakeResident references; > 0 keeps it resident */
    struct vidmm_small_mutex lock;     /* alloc->lock */
    struct vidmm_ilink lru;            /* in gpu->local.lru.list[lru_class] when a candidate (lru.c) */
    /* Where its memory is: at rest an allocation is in the pool or in a
     * backing store, never both (a move's other side is the move's, struct
     * vidmm_move), so the two share the space; location says which. */
    union
    {
        struct range_block *block;         /* LOCAL: its block of the pool (NULL before it is placed) */
        struct vidmm_heap_ref backing_ref; /* SYSTEM: its backing store (alloc_backing) */
    };
    struct vidmm_ilink job;            /* in gpu->jobs while paging is queued */
    uint32_t paging_fence;             /* while queued: the low half of its fence (alloc_paging_fence) */

    uint16_t lock_count;               /* alloc->lock; changed only with gpu->lock held too when it moves;
                                          at most D3DKMT_WINE_MAX_LOCK_REFERENCES */
    atomic_uchar parked;               /* found locked by victim choice: off the lists until the last
                                          unlock (set under both locks, read by Unlock) */
    atomic_uchar used;                 /* set by every successful Lock without gpu->lock; victim
                                          choice reads and clears it */

    /* gpu->lock (location, paging and dead also changed under alloc->lock) */
    uint8_t location;                  /* enum vidmm_location */
    uint8_t paging;                    /* enum vidmm_paging_op: queued or running (also read under alloc->lock) */
    uint8_t dead;
    uint8_t offered;                   /* content may be discarded; no locks */
    uint8_t offer_decommit;            /* AllowDecommit: the storage may go too */
    uint8_t discarded;                 /* content was dropped while offered (2: and decommitted) */
    uint8_t counted;                   /* placed: in gpu->counters (statistics.c) */
    uint8_t offer_priority;            /* 1-3 while offered */

    /* alloc->lock */
    uint8_t aperture;                  /* holds a deswizzling aperture while locked */
    uint8_t written;                   /* locked at least once: else all zeros, nothing to copy */
    uint8_t locked_once;               /* ever locked: then only a clear makes it zero */
    uint8_t wants_restore;             /* a restore was skipped while locked; redo at the last unlock */
    /* Owns its handle's fast-path slot (fastlock.c, vidmm_fastlock_slot_of).
     * While the slot is armed its word holds the lock count and the CPU
     * pointer is the slot's; alloc_lock disarms it. */
    uint8_t fast_slot;
    /* fixed at creation */
    uint8_t desc_flags;                /* D3DKMT_WINE_ALLOC_FLAG_* */
    uint8_t info_flags;                /* VIDMM_ALLOC_* */
    uint8_t in_resource;               /* owner is a struct vidmm_resource */
};
#if !defined(VIDMM_TEST) && __SIZEOF_POINTER__ == 8
/* In a slab, so no malloc header (make bench's metadata row). */
_Static_assert(sizeof(struct vidmm_allocation) <= 112, "struct vidmm_allocation grew past 112 bytes");
#endif
_Static_assert(D3DKMT_WINE_MAX_LOCK_REFERENCES <= UINT16_MAX, "lock_count is 16 bits");

/* NULL when stand-alone. */
static inline struct vidmm_resource *alloc_resource(const struct vidmm_allocation *alloc)
{
    return alloc->in_resource ? alloc->owner : NULL;
}

/* Fixed; an alias's is the opener's device. */
static inline struct vidmm_device *alloc_device(const struct vidmm_allocation *alloc)
{
    struct vidmm_resource *res = alloc_resource(alloc);

    return res ? res->device : alloc->owner;
}

/* The list links, for ilist_*(). */
#define ALLOC_ENTRY offsetof(struct vidmm_allocation, entry)
#define ALLOC_LRU   offsetof(struct vidmm_allocation, lru)
#define ALLOC_JOB   offsetof(struct vidmm_allocation, job)

/* What only a few allocations need: the shared ones, the aliases, those in
 * caller memory.  allocation_new and alias_new make one of these instead
 * when it is needed, and set `extended`; nothing else may add one later. */
struct vidmm_allocation_ext
{
    struct vidmm_allocation base;
    void *private_data;                /* the driver's private data, kept only for a shared
                                        * resource's allocations: opening one is what returns it */
    uint32_t private_size;             /* fixed at creation */
    uint32_t aliases;                  /* objects_lock: the aliases of this target (sharing, below) */
    uint64_t user_mem;                 /* pSystemMem; VIDMM_LOC_SHARED: this process' view */
    /* Sharing.  An opened allocation is an alias: its own handle and device,
     * the creator's allocation (target) for memory, locks and residency.
     * The target keeps its memory while aliases exist (objects_lock). */
    struct vidmm_allocation *target;   /* NULL unless an alias; holds a reference */
    struct vidmm_share_file *share;    /* VIDMM_LOC_SHARED: the file its content is in (a reference) */
};

static inline struct vidmm_allocation_ext *alloc_ext(const struct vidmm_allocation *alloc)
{
    return alloc->extended ? (struct vidmm_allocation_ext *)alloc : NULL;
}

/* The creator's allocation of an alias, NULL for any other. */
static inline struct vidmm_allocation *alloc_alias_of(const struct vidmm_allocation *alloc)
{
    return alloc->extended ? alloc_ext(alloc)->target : NULL;
}

static inline uint32_t alloc_private_size(const struct vidmm_allocation *alloc)
{
    return alloc->extended ? alloc_ext(alloc)->private_size : 0;
}

static inline const void *alloc_private_data(const struct vidmm_allocation *alloc)
{
    return alloc->extended ? alloc_ext(alloc)->private_data : NULL;
}

/* Not kept in the allocation: its device, which it references, holds its
 * adapter, whose GPU is fixed (an alias's device is on its target's GPU). */
static inline struct vidmm_gpu *alloc_gpu(const struct vidmm_allocation *alloc)
{
    return alloc_device(alloc)->adapter->gpu;
}

static inline uint8_t *alloc_backing(const struct vidmm_allocation *alloc)
{
    return alloc->location == VIDMM_LOC_SYSTEM ? heap_ref_address(&alloc->backing_ref) : NULL;
}

static inline uint32_t alloc_align_pages(const struct vidmm_allocation *alloc)
{
    return 1u << alloc->align_shift;
}

/* The fence of its queued paging operation: within 2^32 of the last one
 * submitted, as fewer jobs than that can be queued.  gpu->lock. */
static inline uint64_t alloc_paging_fence(const struct vidmm_gpu *gpu, const struct vidmm_allocation *alloc)
{
    return gpu->fence_submitted - (uint32_t)((uint32_t)gpu->fence_submitted - alloc->paging_fence);
}

void alloc_store_init(struct vidmm_alloc_store *store);
void alloc_store_cleanup(struct vidmm_alloc_store *store);
/* A zeroed allocation with its index set and in no list; NULL: no memory. */
struct vidmm_allocation *alloc_store_new(struct vidmm_alloc_store *store, int extended);
void alloc_store_free(struct vidmm_alloc_store *store, struct vidmm_allocation *alloc);
uint32_t alloc_store_live(struct vidmm_alloc_store *store);
uint64_t alloc_store_bytes(struct vidmm_alloc_store *store);
/* `link` is ALLOC_ENTRY, ALLOC_LRU or ALLOC_JOB; the caller holds the list's lock. */
void ilist_add_tail(const struct vidmm_alloc_store *store, struct vidmm_ilist *list,
                    struct vidmm_allocation *alloc, size_t link);
void ilist_remove(const struct vidmm_alloc_store *store, struct vidmm_ilist *list,
                  struct vidmm_allocation *alloc, size_t link);
struct vidmm_allocation *ilist_first(const struct vidmm_alloc_store *store, const struct vidmm_ilist *list);
struct vidmm_allocation *ilist_next(const struct vidmm_alloc_store *store, struct vidmm_allocation *alloc,
                                    size_t link);

/* The list alloc->entry is in (objects_lock). */
static inline struct vidmm_ilist *alloc_owner_list(struct vidmm_allocation *alloc)
{
    struct vidmm_resource *res = alloc_resource(alloc);

    return res ? &res->allocations : &alloc_device(alloc)->allocations;
}

/* Called by a successful Lock, with no GPU lock: records the use for victim
 * choice (evict.c) by writing only the allocation's own memory. */
static inline void alloc_mark_used(struct vidmm_allocation *alloc)
{
    if (!atomic_load_explicit(&alloc->used, memory_order_relaxed))
        atomic_store_explicit(&alloc->used, 1, memory_order_relaxed);
}

struct vidmm
{
    struct vidmm_memory_ops ops;      /* the provider's, wrapped to count reservations */
    struct vidmm_memory_ops provider;
    atomic_uint reservations;         /* live reservations, at most provider.max_reservations */
    struct handle_table table;
    struct vidmm_alloc_store allocs;  /* the allocation objects (alloc_store.c) */
    struct vidmm_mutex objects_lock;
    struct vidmm_mutex gpus_lock;   /* the gpus list and gpu->opens */
    struct vidmm_list gpus;
    uint32_t flags;              /* VIDMM_CREATE_*, fixed at creation */
    /* Teardown hook of the adapter layer: drops an adapter's use of its GPU. */
    void (*release_gpu)(struct vidmm *mm, struct vidmm_gpu *gpu);
    struct vidmm_sync *sync;     /* sync.c's state, made at its first use */
    struct vidmm_system *system; /* system.c's state, NULL without a provider */
    /* Hook of the adapter layer, run by system.c's watcher thread at each
     * look (no lock held): budgets follow the other processes' usage. */
    void (*system_tick)(struct vidmm *mm);
    uint32_t stats_requests_seen; /* statistics.c: the watcher thread's own */
    /* Test hook: run by list calls between two batches, with no lock held. */
    void (*between_batches)(void *ctx);
    void *between_batches_ctx;
    /* Cross-process sharing (share.c); share_ops.create NULL: shared
     * resources stay within the process. */
    struct vidmm_share_ops share_ops;
    /* Fault injection (faults.c), NULL when off; set before the first adapter opens. */
    struct vidmm_faults *faults;
    /* The Lock fast path's slots (fastlock.c), the PE side's memory; NULL: none. */
    struct vidmm_fastlock_table *fast;
};

/* Allocations a list call handles per hold of the GPU lock. */
#define VIDMM_BATCH 256

/* The allocation that owns the memory: itself, or an alias's target. */
static inline struct vidmm_allocation *alloc_target(struct vidmm_allocation *alloc)
{
    struct vidmm_allocation *target = alloc_alias_of(alloc);

    return target ? target : alloc;
}

/* faults.c: every function takes a NULL state (fault injection off) and then
 * injects nothing.  No lock is taken; any may be held. */
struct vidmm_faults;
void faults_free(struct vidmm_faults *f);
/* An injected failure or event, on the log (WARN under Wine). */
void faults_log(struct vidmm_faults *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new device: starts the clock of the *-after-ms settings at the first;
 * returns the epoch the device is born in. */
uint32_t faults_device_born(struct vidmm_faults *f);
/* Counts a device call; makes the removal happen when it is due; whether a
 * device born in born_epoch is removed (reset) now. */
int faults_device_removed(struct vidmm_faults *f, uint32_t born_epoch);
/* A CreateAllocation call that passed validation, of `bytes` in all (local:
 * it has a local-group allocation): the status to fail it with, or success
 * (then, with create-fail-after-bytes, its bytes are counted: give them back
 * with faults_create_failed if the creation fails for another reason). */
NTSTATUS faults_create(struct vidmm_faults *f, uint64_t bytes, int local);
void faults_create_failed(struct vidmm_faults *f, uint64_t bytes);
/* A Lock with DonotWait that passed validation. */
NTSTATUS faults_lock(struct vidmm_faults *f, uint32_t allocation);
/* The local budget fault injection imposes now, or UINT64_MAX. */
uint64_t faults_budget(struct vidmm_faults *f);

/* system.c */
/* Maps the system view and claims this process' slot, once. */
NTSTATUS system_attach(struct vidmm *mm);
/* Manager teardown: stops the watcher thread; then frees the slot and
 * unmaps the view. */
void system_stop_watcher(struct vidmm *mm);
void system_detach(struct vidmm *mm);
/* This process' entry for an adapter in its slot (NULL: no view, no slot,
 * or VIDMM_SYSTEM_ADAPTERS in use), given back when its GPU goes. */
struct vidmm_system_adapter *system_adapter_get(struct vidmm *mm, uint64_t luid, uint64_t segment_size);
void system_adapter_put(struct vidmm *mm, struct vidmm_system_adapter *entry);
/* Sums the entries for `luid` that the live process with Wine id `pid`
 * publishes (pid 0: every live process, this one included) into *sum;
 * returns how many processes were summed.  Statistics (statistics.c). */
uint32_t system_read_entries(struct vidmm *mm, uint32_t pid, uint64_t luid, struct vidmm_system_adapter *sum);
/* Asks every process to refresh what only its watcher publishes (the
 * locked counts), and the count of such requests so far. */
void system_request_stats(struct vidmm *mm);
uint32_t system_stats_requests(struct vidmm *mm);
struct vidmm_system_budget
{
    uint64_t budget;      /* the subject's local budget by the policy */
    uint64_t usage;       /* the subject's local usage */
    uint64_t total;       /* every live process' local usage of the LUID */
    uint64_t over_mask;   /* other processes above their own budget */
    uint32_t processes;   /* live processes using the LUID */
};
/* The local budget of this process (subject_pid 0) or of another one, for a
 * segment of `size` bytes.  full: the full liveness test (system calls);
 * else the cheap one, for the allocation paths. */
void system_budget(struct vidmm *mm, uint64_t luid, uint64_t size, uint64_t own_usage, int full,
                   uint32_t subject_pid, struct vidmm_system_budget *out);
/* Sets gpu->local_budget to min(budget_cap, the system budget) and publishes
 * it; returns the other processes over their budget.  gpu->lock held; no
 * system call unless full. */
uint64_t system_refresh_budget(struct vidmm *mm, struct vidmm_gpu *gpu, int full);

/* statistics.c: the counters and the paging fence into the system view
 * (gpu->lock held). */
void stats_publish(struct vidmm_gpu *gpu);
/* Usage of a segment changes only through these (gpu->lock held): they
 * publish it in the system view, with atomic stores into this process' own
 * slot and no system call. */
static inline void usage_publish(struct vidmm_gpu *gpu)
{
    if (!gpu->sys) return;
    __atomic_store_n(&gpu->sys->usage[VIDMM_SEGMENT_GROUP_LOCAL], gpu->local.usage, __ATOMIC_RELEASE);
    __atomic_store_n(&gpu->sys->usage[VIDMM_SEGMENT_GROUP_NON_LOCAL], gpu->nonlocal.usage, __ATOMIC_RELEASE);
    stats_publish(gpu);
}
/* statistics.c: the counting points of segment.c (gpu->lock held). */
void stats_count_create(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
void stats_count_destroy(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
void stats_count_move(struct vidmm_gpu *gpu, const struct vidmm_allocation *alloc, int restore);
/* The watcher's hook: refreshes the published locked counts when another
 * process asked for statistics since the last tick. */
void stats_system_tick(struct vidmm *mm);
/* A segment's usage, gpu->local_budget and gpu->budget_cap are written under
 * gpu->lock, as whole 64-bit stores, and read without it by
 * QueryVideoMemoryInfo (adapter.c), which so never waits for the pager. */
static inline uint64_t gpu_read(const uint64_t *value)
{
    return __atomic_load_n(value, __ATOMIC_RELAXED);
}
static inline void gpu_write(uint64_t *value, uint64_t v)
{
    __atomic_store_n(value, v, __ATOMIC_RELAXED);
}
/* The local budget the system view's share gives: never above budget_cap. */
static inline uint64_t gpu_budget_for(struct vidmm_gpu *gpu, uint64_t system_budget)
{
    uint64_t cap = gpu_read(&gpu->budget_cap);

    return system_budget < cap ? system_budget : cap;
}
static inline void usage_add(struct vidmm_gpu *gpu, struct vidmm_segment *segment, uint64_t bytes)
{
    gpu_write(&segment->usage, segment->usage + bytes);
    usage_publish(gpu);
}
static inline void usage_sub(struct vidmm_gpu *gpu, struct vidmm_segment *segment, uint64_t bytes)
{
    gpu_write(&segment->usage, segment->usage - bytes);
    usage_publish(gpu);
}
/* share.c */
static inline void share_ref(struct vidmm_share_file *file) { atomic_fetch_add(&file->refs, 1); }
void share_unref(struct vidmm *mm, struct vidmm_share_file *file);
/* Lays out and fills the share file of a new shared resource whose
 * allocations are built (not published): their content goes into it
 * (VIDMM_LOC_SHARED).  Without share ops: nothing, success. */
NTSTATUS share_resource_create(struct vidmm *mm, struct vidmm_resource *res, struct vidmm_allocation **allocs,
                               uint32_t count);
/* A checked copy of a mapped resource file's header and allocation table
 * (any content: another process wrote it, and may rewrite it at any time);
 * *table is vidmm_malloc'ed.  STATUS_INVALID_PARAMETER when it is not a
 * consistent resource file. */
NTSTATUS share_resource_snapshot(const struct vidmm_share_file *file, struct vidmm_share_header *h,
                                 struct vidmm_share_alloc **table);

/* object.c */
void *vidmm_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type);
void vidmm_put(struct vidmm *mm, void *object);
/* STATUS_DEVICE_REMOVED when the device or its adapter is in error or gone. */
NTSTATUS device_check(const struct vidmm_device *device);
/* Fault injection's device removal: counts the call and resets the device
 * (VIDMM_EXECUTION_RESET) when it is one the removal took.  device_check
 * calls it; so does GetDeviceState, which checks no device. */
void device_fault_check(struct vidmm_device *device);
/* Looks up `count` allocations of `device` (or every allocation of `resource`)
 * and takes a reference on each; all or nothing.  *out is vidmm_malloc'ed. */
NTSTATUS resolve_allocations(struct vidmm *mm, struct vidmm_device *device, uint32_t resource,
                             const uint32_t *handles, uint32_t count, struct vidmm_allocation ***out,
                             uint32_t *out_count);
void release_allocations(struct vidmm *mm, struct vidmm_allocation **allocs, uint32_t count);
/* Whether any of them was destroyed after it was resolved; gpu->lock held.
 * A call that finds one fails as if the destroy had come first. */
int any_dead(struct vidmm_allocation **allocs, uint32_t count);
/* The allocation a device's handle names, resolved to the memory's owner
 * (an opened allocation's creator), with a reference; NULL if not the device's. */
struct vidmm_allocation *get_device_allocation(struct vidmm *mm, struct vidmm_device *device, uint32_t handle);
/* The same from a device's handle, for Lock and Unlock, and device_check'ed
 * if `check`: STATUS_INVALID_PARAMETER or STATUS_DEVICE_REMOVED.  Takes a reference on
 * the allocation only and writes nothing of the device, whose object is
 * shared by every thread using it. */
NTSTATUS lookup_device_allocation(struct vidmm *mm, uint32_t device, uint32_t handle, int check,
                                  struct vidmm_allocation **out);
/* The device a call names directly, or through its paging queue, with a
 * reference; fails as device_check does. */
NTSTATUS get_device(struct vidmm *mm, uint32_t handle, int paging_queue, struct vidmm_device **out);
/* (*out)[i]: the index of allocs[i]'s first appearance in the array
 * (i itself if it is the first); *out is vidmm_malloc'ed. */
NTSTATUS first_occurrences(struct vidmm_allocation **allocs, uint32_t count, uint32_t **out);

/* fastlock.c.  Disabling the table is for good (a device in error or
 * removed: rare, and simpler than tracking them per slot). */
void fastlock_disable(struct vidmm *mm);
/* alloc->lock held.  Disarm: no fast lock or unlock from now on, and
 * alloc->lock_count and cpu_ptr are true again.  Arm: fast locks may run at
 * any moment until the next disarm, so only for an allocation that stays at
 * `address` and whose locks need nothing from the manager (fastlock_arm_if_idle). */
void fastlock_disarm(struct vidmm_allocation *alloc);
void fastlock_arm(struct vidmm *mm, struct vidmm_allocation *alloc, uint8_t *address);
/* Arms it at `address` (alloc_address) if its next locks and unlocks need
 * nothing of the manager; alloc->lock held. */
void fastlock_arm_if_idle(struct vidmm *mm, struct vidmm_allocation *alloc, uint8_t *address);
/* Its handle is gone: disarm and give the slot back. */
void fastlock_release(struct vidmm_allocation *alloc);
/* The lock count, armed or not, without disarming (statistics). */
uint32_t fastlock_count(const struct vidmm_allocation *alloc);
/* A device's index in the table's device list: taken at creation, given
 * back at teardown once its allocations are gone (objects_lock held). */
void fastlock_device_born(struct vidmm *mm, struct vidmm_device *device);
void fastlock_device_gone(struct vidmm *mm, struct vidmm_device *device);

/* Takes an allocation's lock for the manager's own use: a fast lock cannot
 * change its lock count or pin it at its address behind the caller's back. */
static inline void alloc_lock(struct vidmm_allocation *alloc)
{
    vidmm_mutex_lock(&alloc->lock);
    fastlock_disarm(alloc);
}

/* lru.c; gpu->lock held. */
void lru_init(struct vidmm_lru *lru);
int lru_empty(const struct vidmm_lru *lru);
/* Puts the allocation on its class's list (at the tail) or takes it off,
 * after anything that decides whether it is a candidate changed. */
void lru_update(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Takes it off the lists for good (it leaves the local segment). */
void lru_remove(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Moves a candidate to the tail of its list (just used). */
void lru_rotate(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* The least recent candidate of the first non-empty class, or NULL. */
struct vidmm_allocation *lru_first(struct vidmm_gpu *gpu);
/* A parked allocation's last unlock: a candidate again. */
void lru_unpark(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);

/* segment.c; every function with a gpu takes gpu->lock held. */
/* Address of the allocation's current home. */
uint8_t *alloc_address(const struct vidmm_allocation *alloc);
int alloc_pinned(const struct vidmm_allocation *alloc);
int alloc_memory_zero(const struct vidmm_allocation *alloc);
/* Room in the local segment, within the budget, committed; nothing evicted. */
NTSTATUS place_local(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                     struct range_block **out);
/* Makes the allocation resident in the block place_local found. */
void enter_local(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block);
/* First home of a non-local (or caller-memory) allocation. */
NTSTATUS place_nonlocal(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Home of a cross-process shared allocation (VIDMM_LOC_SHARED), and leaving it. */
NTSTATUS place_shared(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
void leave_shared(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* First home of a local allocation that found no room: its backing store. */
NTSTATUS place_backing(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* A move of one allocation's content in three steps: begin (gpu->lock held)
 * reserves the destination, which only the move holds; move_content copies
 * or moves the pages with or without gpu->lock; commit (gpu->lock held)
 * makes the allocation live at the destination and frees the source.
 * Between begin and commit the allocation's paging op stays set, so no Lock
 * gets a pointer to either side (lock.c), and gpu->moving names it when the
 * copy runs without gpu->lock (pager.c). */
struct vidmm_move
{
    uint8_t *dst, *src;
    uint64_t size;
    struct vidmm_heap_ref ref;     /* the backing store's, for the move op */
    struct range_block *block;     /* a restore's destination */
    uint8_t active, copy, may_move;
};
void move_content(struct vidmm *mm, struct vidmm_gpu *gpu, const struct vidmm_move *mv);
NTSTATUS evict_begin(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv,
                     int hold);
void evict_commit(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv,
                  int held);
/* Moves an evicted allocation from its backing store into the block. */
void restore_begin(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct range_block *block,
                   struct vidmm_move *mv);
void restore_commit(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv);
/* Moves an allocation out of the local segment into its backing store. */
NTSTATUS gpu_evict(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* The same, and when it did evict, its local range goes to *keep (the
 * caller's, still counted as used by the range allocator) instead of back. */
NTSTATUS gpu_evict_keep(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc,
                        struct range_block **keep);
/* Releases whatever memory the allocation holds. */
void gpu_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Drops the content of a system-memory backing store. */
void backing_discard(struct vidmm *mm, struct vidmm_allocation *alloc);

/* evict.c; gpu->lock held. */
/* Marks a resident allocation as just used (LRU). */
void gpu_touch(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Whether the allocation may be evicted now. */
int alloc_evictable(struct vidmm_allocation *alloc);
/* The allocation to evict next, or NULL; skips any with paging queued. */
struct vidmm_allocation *pick_victim(struct vidmm_gpu *gpu, const struct vidmm_allocation *skip);
/* Gives a new allocation its first home. */
NTSTATUS gpu_place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Moves an evicted allocation back into the local segment (evicting others
 * if needed). */
/* Places it and begins its move (mv->active: commit with restore_commit). */
NTSTATUS gpu_restore(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, struct vidmm_move *mv);

/* pager.c */
/* Queues an operation for the pager; returns its fence.  gpu->lock held. */
uint64_t pager_queue(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc, enum vidmm_paging_op op);
/* Drops a queued operation of an allocation being destroyed; gpu->lock held. */
void pager_cancel(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Waits while the allocation's paging is in flight; gpu->lock held. */
void pager_wait(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
void pager_stop(struct vidmm_gpu *gpu);
void pager_publish_fence(struct vidmm_gpu *gpu);
/* Queues evictions until local usage fits the budget; gpu->lock held. */
void gpu_trim_to_budget(struct vidmm *mm, struct vidmm_gpu *gpu);

/* allocation.c; objects_lock held, handles already out of the table. */
/* A new allocation object of the device, in `resource` if not NULL (one of
 * the device's); it references the resource, else the device.  With the
 * extension when `extended`; nothing placed, no handle. */
struct vidmm_allocation *allocation_alloc(struct vidmm_device *device, struct vidmm_resource *resource, int extended);
void allocation_destroy(struct vidmm *mm, struct vidmm_allocation *alloc);
void resource_destroy(struct vidmm *mm, struct vidmm_resource *res);
/* Tears down every resource and allocation of a device. */
void device_destroy_contents(struct vidmm *mm, struct vidmm_device *device);

/* residency.c; objects_lock held. */
void paging_queue_destroy(struct vidmm *mm, struct vidmm_paging_queue *queue);
/* Between two batches of a list call: lets other threads have gpu->lock
 * (held, and held again on return). */
void gpu_batch_break(struct vidmm *mm, struct vidmm_gpu *gpu);

/* device.c; objects_lock held, the handle already out of the table. */
void device_teardown(struct vidmm *mm, struct vidmm_device *device);

/* adapter.c */
/* The teardown hook (vidmm.release_gpu): the last adapter of a GPU destroys it. */
void release_gpu(struct vidmm *mm, struct vidmm_gpu *gpu);
/* The watcher's hook (vidmm.system_tick): budgets follow the other processes. */
void adapter_system_tick(struct vidmm *mm);

#endif
