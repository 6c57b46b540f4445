/*
 * Per-process D3DKMT handle table (see handle_table.h).
 */
#include <stdlib.h>
#include <string.h>

#include "private/handle_table.h"
#include "private/vidmm_alloc.h"

#define SLOT_MASK  (VIDMM_HANDLE_MAX_SLOTS - 1)
#define GEN_MASK   ((1u << VIDMM_HANDLE_GEN_BITS) - 1)

static uint32_t make_handle(uint32_t slot, uint8_t generation, enum vidmm_object_type type)
{
    uint32_t payload = ((uint32_t)(generation & GEN_MASK) << VIDMM_HANDLE_SLOT_BITS) | slot;
    uint32_t tag = type == VIDMM_OBJECT_SHARED_RESOURCE ? VIDMM_HANDLE_GLOBAL_TAG : VIDMM_HANDLE_LOCAL_TAG;
    return VIDMM_HANDLE_BASE | (payload << 6) | tag;
}

/* Splits a handle into slot and generation; 0 when it cannot be one of ours. */
static uint32_t handle_slot(uint32_t handle, enum vidmm_object_type type, uint8_t *generation)
{
    uint32_t tag = type == VIDMM_OBJECT_SHARED_RESOURCE ? VIDMM_HANDLE_GLOBAL_TAG : VIDMM_HANDLE_LOCAL_TAG;
    uint32_t payload;

    if ((handle & VIDMM_HANDLE_BASE) != VIDMM_HANDLE_BASE) return 0;
    if ((handle & 0x3f) != tag) return 0;
    payload = (handle & ~VIDMM_HANDLE_BASE) >> 6;
    *generation = (payload >> VIDMM_HANDLE_SLOT_BITS) & GEN_MASK;
    return payload & SLOT_MASK;
}

void handle_table_init(struct handle_table *table)
{
    memset(table, 0, sizeof(*table));
    pthread_mutex_init(&table->lock, NULL);
    table->next_fresh = 1;
}

void handle_table_cleanup(struct handle_table *table)
{
    vidmm_free(table->entries);
    pthread_mutex_destroy(&table->lock);
    memset(table, 0, sizeof(*table));
}

/* Caller holds table->lock. */
static uint32_t take_slot(struct handle_table *table)
{
    uint32_t slot;

    if (table->free_count > VIDMM_HANDLE_REUSE_DELAY || (table->free_count && table->next_fresh >= VIDMM_HANDLE_MAX_SLOTS))
    {
        slot = table->free_head;
        table->free_head = table->entries[slot].next_free;
        if (!table->free_head) table->free_tail = 0;
        table->free_count--;
        return slot;
    }
    if (table->next_fresh >= VIDMM_HANDLE_MAX_SLOTS) return 0;
    if (table->next_fresh >= table->capacity)
    {
        uint32_t new_capacity = table->capacity ? table->capacity * 2 : 256;
        struct handle_entry *entries;

        if (new_capacity > VIDMM_HANDLE_MAX_SLOTS) new_capacity = VIDMM_HANDLE_MAX_SLOTS;
        if (!(entries = vidmm_realloc(table->entries, new_capacity * sizeof(*entries)))) return 0;
        memset(entries + table->capacity, 0, (new_capacity - table->capacity) * sizeof(*entries));
        table->entries = entries;
        table->capacity = new_capacity;
    }
    return table->next_fresh++;
}

NTSTATUS handle_table_insert(struct handle_table *table, void *object,
                             enum vidmm_object_type type, uint32_t *handle)
{
    uint32_t slot;

    pthread_mutex_lock(&table->lock);
    if (!(slot = take_slot(table)))
    {
        pthread_mutex_unlock(&table->lock);
        return STATUS_NO_MEMORY;
    }
    table->entries[slot].object = object;
    table->entries[slot].type = type;
    table->entries[slot].next_free = 0;
    table->live++;
    *handle = make_handle(slot, table->entries[slot].generation, type);
    pthread_mutex_unlock(&table->lock);
    return STATUS_SUCCESS;
}

/* Caller holds table->lock. */
static struct handle_entry *find_entry(struct handle_table *table, uint32_t handle,
                                       enum vidmm_object_type type)
{
    struct handle_entry *entry;
    uint8_t generation;
    uint32_t slot;

    if (!(slot = handle_slot(handle, type, &generation))) return NULL;
    if (slot >= table->next_fresh) return NULL;
    entry = &table->entries[slot];
    if (!entry->object || entry->type != type || (entry->generation & GEN_MASK) != generation) return NULL;
    return entry;
}

void *handle_table_remove(struct handle_table *table, uint32_t handle, enum vidmm_object_type type)
{
    struct handle_entry *entry;
    void *object = NULL;
    uint32_t slot;

    pthread_mutex_lock(&table->lock);
    if ((entry = find_entry(table, handle, type)))
    {
        object = entry->object;
        slot = (uint32_t)(entry - table->entries);
        entry->object = NULL;
        entry->type = VIDMM_OBJECT_NONE;
        entry->generation = (entry->generation + 1) & GEN_MASK;
        entry->next_free = 0;
        if (table->free_tail) table->entries[table->free_tail].next_free = slot;
        else table->free_head = slot;
        table->free_tail = slot;
        table->free_count++;
        table->live--;
    }
    pthread_mutex_unlock(&table->lock);
    return object;
}

void *handle_table_lookup(struct handle_table *table, uint32_t handle,
                          enum vidmm_object_type type, void (*grab)(void *object))
{
    struct handle_entry *entry;
    void *object = NULL;

    pthread_mutex_lock(&table->lock);
    if ((entry = find_entry(table, handle, type)))
    {
        object = entry->object;
        if (grab) grab(object);
    }
    pthread_mutex_unlock(&table->lock);
    return object;
}

enum vidmm_object_type handle_table_type(struct handle_table *table, uint32_t handle)
{
    enum vidmm_object_type type = VIDMM_OBJECT_NONE;
    uint8_t generation;
    uint32_t slot;

    pthread_mutex_lock(&table->lock);
    slot = handle_slot(handle, (handle & 0x3f) == VIDMM_HANDLE_GLOBAL_TAG
                       ? VIDMM_OBJECT_SHARED_RESOURCE : VIDMM_OBJECT_ADAPTER, &generation);
    if (slot && slot < table->next_fresh && table->entries[slot].object
        && (table->entries[slot].generation & GEN_MASK) == generation)
        type = table->entries[slot].type;
    /* The tag must match the kind of handle the entry was given. */
    if ((type == VIDMM_OBJECT_SHARED_RESOURCE) != ((handle & 0x3f) == VIDMM_HANDLE_GLOBAL_TAG))
        type = VIDMM_OBJECT_NONE;
    pthread_mutex_unlock(&table->lock);
    return type;
}
