/*
 * Per-process table of D3DKMT handles.
 *
 * Local handles look like Windows' (spec A.2): bits 0xc0000000 set, low six
 * bits zero, one counter for every object type so fresh handles rise by 0x40.
 * The 24 bits in between hold a slot index and a generation: freed slots are
 * reused in FIFO order only once many are queued, and the generation makes a
 * stale handle miss even after its slot was reused.  Lookup is O(1).
 */
#ifndef VIDMM_HANDLE_TABLE_H
#define VIDMM_HANDLE_TABLE_H

#include <pthread.h>
#include <stdint.h>
#include "d3dkmt_status.h"

enum vidmm_object_type
{
    VIDMM_OBJECT_NONE = 0,
    VIDMM_OBJECT_ADAPTER,
    VIDMM_OBJECT_DEVICE,
    VIDMM_OBJECT_RESOURCE,
    VIDMM_OBJECT_ALLOCATION,
    VIDMM_OBJECT_PAGING_QUEUE,
    VIDMM_OBJECT_SYNC_OBJECT,       /* a paging queue's monitored fence */
    VIDMM_OBJECT_SHARED_RESOURCE,   /* global share handle: low bits 2 */
};

#define VIDMM_HANDLE_BASE        0xc0000000u
#define VIDMM_HANDLE_LOCAL_TAG   0x00u
#define VIDMM_HANDLE_GLOBAL_TAG  0x02u
#define VIDMM_HANDLE_SLOT_BITS   19
#define VIDMM_HANDLE_GEN_BITS    5
#define VIDMM_HANDLE_MAX_SLOTS   (1u << VIDMM_HANDLE_SLOT_BITS)
/* A freed slot waits behind this many others before it is handed out again. */
#define VIDMM_HANDLE_REUSE_DELAY 4096u

struct handle_entry
{
    void *object;          /* NULL when free */
    uint32_t next_free;    /* FIFO link of free slots, 0 = none */
    uint8_t type;          /* enum vidmm_object_type */
    uint8_t generation;    /* bumped on free */
};

/* table->lock guards every field below; lookups hold it only for the
 * O(1) check and whatever the caller's callback does (a reference grab). */
struct handle_table
{
    pthread_mutex_t lock;
    struct handle_entry *entries;
    uint32_t capacity;     /* allocated entries */
    uint32_t next_fresh;   /* first never-used slot (slot 0 is never used) */
    uint32_t free_head, free_tail, free_count;
    uint32_t live;         /* slots in use */
};

void handle_table_init(struct handle_table *table);
/* Frees the table itself; the objects are the caller's. */
void handle_table_cleanup(struct handle_table *table);

/* Inserts an object and returns its handle; STATUS_NO_MEMORY when full. */
NTSTATUS handle_table_insert(struct handle_table *table, void *object,
                             enum vidmm_object_type type, uint32_t *handle);
/* Removes the entry if the handle is live and of that type; returns the
 * object or NULL. */
void *handle_table_remove(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type);
/* Looks the handle up and, under the table lock, calls grab(object) so the
 * caller can take a reference before any remove can free it.  Returns the
 * object or NULL (wrong type, stale, malformed, 0). */
void *handle_table_lookup(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type, void (*grab)(void *object));
/* The type a handle currently refers to, VIDMM_OBJECT_NONE if none. */
enum vidmm_object_type handle_table_type(struct handle_table *table, uint32_t handle);

#endif
