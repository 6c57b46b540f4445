/*
 * Internal object model of the video memory manager.
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
#include "private/vidmm_alloc.h"
#include "d3dkmt_driver.h"

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
};

struct vidmm_segment
{
    uint64_t size;            /* bytes */
    uint64_t usage;           /* bytes of allocations resident here */
    struct range_allocator ra;/* local segment only */
    uint8_t *base;            /* local segment pool */
    struct vidmm_list lru;    /* resident, evictable allocations, least recent first */
};

/* One physical adapter (one LUID); every adapter handle for it shares it. */
struct vidmm_gpu
{
    struct vidmm_list entry;  /* in vidmm.gpus, guarded by vidmm.objects_lock */
    int opens;                /* adapter objects referring to it, objects_lock */
    uint64_t luid;
    uint32_t source_count;
    pthread_mutex_t lock;     /* guards everything below */
    struct vidmm_segment local, nonlocal;
    uint64_t backing_bytes;   /* system memory held by backing stores */
};

struct vidmm_adapter
{
    struct vidmm_object obj;
    struct vidmm_gpu *gpu;
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
    struct vidmm_list allocations; /* stand-alone ones, objects_lock */
    int dead;                    /* being destroyed, objects_lock */
};

struct vidmm_resource
{
    struct vidmm_object obj;
    struct vidmm_device *device;
    struct vidmm_list entry;       /* in device->resources */
    struct vidmm_list allocations;
    uint32_t flags;                /* creation flags */
    void *runtime_data, *driver_data;
    uint32_t runtime_size, driver_size;
    int dead;
};

struct vidmm_allocation
{
    struct vidmm_object obj;
    struct vidmm_device *device;
    struct vidmm_resource *resource;   /* NULL when stand-alone */
    struct vidmm_list entry;           /* in device->allocations or resource->allocations */
    struct vidmm_gpu *gpu;

    /* fixed at creation */
    uint64_t size;                     /* bytes, page multiple */
    uint64_t align_pages;
    uint32_t group;                    /* VIDMM_SEGMENT_GROUP_* */
    uint32_t desc_flags;               /* D3DKMT_WINE_ALLOC_FLAG_* */
    uint32_t info_flags;               /* VIDMM_ALLOC_* */
    uint32_t create_flags;
    void *private_data;
    uint32_t private_size;

    /* gpu->lock */
    uint32_t priority;
    enum vidmm_location location;
    struct range_block *block;         /* when LOCAL */
    struct vidmm_list lru;             /* in gpu->local.lru when LOCAL and evictable */
    uint8_t *backing;                  /* system-memory backing store, when allocated */
    uint64_t user_mem;                 /* pSystemMem */
    int dead;

    /* alloc->lock; changed only with gpu->lock held too when it moves */
    pthread_mutex_t lock;
    uint32_t lock_count;
    uint8_t *cpu_ptr;                  /* address Lock returns while locked */
};

struct vidmm
{
    struct vidmm_memory_ops ops;
    struct handle_table table;
    pthread_mutex_t objects_lock;
    struct vidmm_list gpus;
};

/* vidmm.c */
void *vidmm_get(struct vidmm *mm, uint32_t handle, enum vidmm_object_type type);
void vidmm_put(struct vidmm *mm, void *object);

/* segment.c */
NTSTATUS gpu_create(struct vidmm *mm, const struct vidmm_open_adapter_args *args, struct vidmm_gpu **out);
void gpu_destroy(struct vidmm *mm, struct vidmm_gpu *gpu);
/* Gives a new allocation its first home; gpu->lock held. */
NTSTATUS gpu_place_new(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Moves an allocation out of the local segment into its backing store; gpu->lock held. */
NTSTATUS gpu_evict(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Releases whatever memory the allocation holds; gpu->lock held. */
void gpu_release(struct vidmm *mm, struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Marks a resident allocation as just used (LRU); gpu->lock held. */
void gpu_touch(struct vidmm_gpu *gpu, struct vidmm_allocation *alloc);
/* Address of the allocation's current home. */
uint8_t *alloc_address(const struct vidmm_allocation *alloc);

/* allocation.c */
void allocation_destroy(struct vidmm *mm, struct vidmm_allocation *alloc);
void resource_destroy(struct vidmm *mm, struct vidmm_resource *res);
/* Tears down every resource and allocation of a device; objects_lock held. */
void device_destroy_contents(struct vidmm *mm, struct vidmm_device *device);

#endif
