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
 * The Lock fast path: Lock and Unlock of an allocation that is resident,
 * CPU-visible and not moving need no Unix call.  The manager keeps a table of
 * slots in process memory (VIDMM_FASTLOCK_SLOTS of them, a slot per low bits
 * of a handle's payload); the PE side reads it and counts locks there with
 * one compare-and-swap.  Payloads are handed out in order, so a million live
 * allocations have a slot each: the table's pages are touched only where a
 * slot is armed.
 *
 * A slot's word packs the owner's handle payload, a sequence number, the
 * FAST bit, a USED bit and the lock count.  The protocol:
 *
 * - The manager sets FAST, under the allocation's lock, only for an
 *   allocation whose address cannot change and whose locks need no work of
 *   its own (resident, CPU-visible, already cleared, no paging, not offered,
 *   not parked, no aperture; fastlock.c).  It writes the slot's `where`
 *   first (the address' page and the device handle's payload), then the
 *   word with a new sequence number (release).
 * - While FAST is set the lock count is the word's; otherwise it is the
 *   allocation's lock_count and only the manager changes it.
 * - Before the manager does anything that depends on the count or moves the
 *   allocation, it clears FAST with one atomic RMW, which ends every fast
 *   lock and unlock and hands it the count (alloc_lock in vidmm_private.h).
 * - A fast lock reads the word, then `where` (an acquire load,
 *   so that nothing after them is seen before), then swaps the word for
 *   count + 1 (and USED).  The swap fails if the word changed in
 *   between; a new sequence number is part of every re-set, so a slot reused
 *   or re-armed meanwhile never passes (a wrap of 2^20 re-arms within one
 *   fast lock's few instructions is not a case).
 * - Everything else (another device's handle, a bad handle, FAST clear, a
 *   count at its limit) goes to the Unix side, which answers as before.
 *
 * The table is in memory the application could write, as everything in a
 * Wine process is; a corrupt slot can only send a Lock to the Unix side or
 * hand back an address the manager put there.
 */
#ifndef VIDMM_FASTLOCK_H
#define VIDMM_FASTLOCK_H

/* GCC's __atomic builtins, not <stdatomic.h>: the PE build has no C11
 * atomics header, and both sides must agree on the slot's layout. */
#include <stdint.h>

/* 2^20 slots (16 MiB of address space) for 64-bit processes; 32-bit ones
 * cannot hold a million allocations' content anyway. */
#if __SIZEOF_POINTER__ == 8
#define VIDMM_FASTLOCK_SLOT_BITS 20u
#else
#define VIDMM_FASTLOCK_SLOT_BITS 17u
#endif
#define VIDMM_FASTLOCK_SLOTS     (1u << VIDMM_FASTLOCK_SLOT_BITS)
/* Payloads p and p + 1 are 2^(SLOT_BITS - 3) slots apart, those sharing a
 * cache line 8 apart: threads locking allocations made one after the other
 * write different lines. */
#define VIDMM_FASTLOCK_SPREAD_BITS 3u

/* The word: payload 63..40, sequence 39..20, FAST 19, USED 18, count 17..0. */
#define VIDMM_FASTLOCK_COUNT_MASK   0x3ffffull
#define VIDMM_FASTLOCK_USED         (1ull << 18)
#define VIDMM_FASTLOCK_FAST         (1ull << 19)
#define VIDMM_FASTLOCK_SEQ_SHIFT    20
#define VIDMM_FASTLOCK_SEQ_MASK     (0xfffffull << VIDMM_FASTLOCK_SEQ_SHIFT)
#define VIDMM_FASTLOCK_PAYLOAD_SHIFT 40
/* Locks a fast lock may take; the Unix side answers the rest (0xffff,
 * D3DKMT_WINE_MAX_LOCK_REFERENCES, is the real limit). */
#define VIDMM_FASTLOCK_MAX_COUNT    0xfffeull

/* 16 bytes: a million armed slots are 16 MiB of the metadata of a million
 * allocations. */
struct vidmm_fastlock_slot
{
    uint64_t word;
    uint64_t where;              /* page of what Lock returns << 24 | payload of the device's handle */
};

#define VIDMM_FASTLOCK_WHERE_DEVICE_MASK 0xffffffull
#define VIDMM_FASTLOCK_WHERE_PAGE_SHIFT  24
#define VIDMM_FASTLOCK_PAGE_SHIFT        12

struct vidmm_fastlock_table
{
    uint32_t disabled;   /* set for good: faults injected, a device in error or removed */
    uint32_t slot_bits;  /* VIDMM_FASTLOCK_SLOT_BITS of the PE side: both sides must agree */
    uint32_t pad[14];
    struct vidmm_fastlock_slot slots[VIDMM_FASTLOCK_SLOTS];
};

/* The same layout for the PE and the Unix side, 32 and 64 bits: every
 * 64-bit field at a multiple of 8 from the page-aligned table. */
_Static_assert(sizeof(struct vidmm_fastlock_slot) == 16, "slot layout");
_Static_assert(__builtin_offsetof(struct vidmm_fastlock_table, slots) == 64, "table layout");

/* Lock flags a fast lock takes: those that change nothing for a resident,
 * CPU-visible allocation; the rest, and ReadOnly with WriteOnly (invalid),
 * go to the Unix side. */
#define VIDMM_FASTLOCK_LOCK_FLAGS (0x001u | 0x002u | 0x004u | 0x008u | 0x010u | 0x020u | 0x080u | 0x100u | 0x400u)

static inline int vidmm_fastlock_flags_ok(uint32_t flags)
{
    return !(flags & ~VIDMM_FASTLOCK_LOCK_FLAGS) && (flags & 0x003u) != 0x003u;
}

/* A handle's payload (local handles: 0xc0000000 + payload << 6). */
static inline uint64_t vidmm_fastlock_payload(uint32_t handle)
{
    return (handle - 0xc0000000u) >> 6;
}

static inline struct vidmm_fastlock_slot *vidmm_fastlock_slot_of(struct vidmm_fastlock_table *table,
                                                                 uint32_t handle)
{
    const uint32_t low = VIDMM_FASTLOCK_SLOT_BITS - VIDMM_FASTLOCK_SPREAD_BITS;
    uint32_t p = (uint32_t)vidmm_fastlock_payload(handle);

    /* A permutation of the payload's low bits (p and p + SLOTS share a slot). */
    return &table->slots[((p & ((1u << VIDMM_FASTLOCK_SPREAD_BITS) - 1)) << low) | ((p >> VIDMM_FASTLOCK_SPREAD_BITS)
                                                                                  & ((1u << low) - 1))];
}

static inline int vidmm_fastlock_local_handle(uint32_t handle)
{
    return (handle & 0xc000003fu) == 0xc0000000u;
}

/* Whether a slot can say `address` and `device`: a page address below 2^52
 * (all of a process' on x86) and a local device handle.  The manager arms
 * nothing else (an unaligned pSystemMem keeps the Unix path). */
static inline int vidmm_fastlock_where_ok(uint64_t address, uint32_t device)
{
    return !(address & ((1ull << VIDMM_FASTLOCK_PAGE_SHIFT) - 1))
           && !(address >> (64 - VIDMM_FASTLOCK_WHERE_PAGE_SHIFT + VIDMM_FASTLOCK_PAGE_SHIFT))
           && vidmm_fastlock_local_handle(device);
}

static inline uint64_t vidmm_fastlock_where(uint64_t address, uint32_t device)
{
    return (address >> VIDMM_FASTLOCK_PAGE_SHIFT) << VIDMM_FASTLOCK_WHERE_PAGE_SHIFT | vidmm_fastlock_payload(device);
}

/* The address `where` holds when it is `device`'s, else 0. */
static inline uint64_t vidmm_fastlock_where_address(uint64_t where, uint32_t device)
{
    if (!vidmm_fastlock_local_handle(device) || (where & VIDMM_FASTLOCK_WHERE_DEVICE_MASK) != vidmm_fastlock_payload(device))
        return 0;
    return (where >> VIDMM_FASTLOCK_WHERE_PAGE_SHIFT) << VIDMM_FASTLOCK_PAGE_SHIFT;
}

/* Whether word w is armed for this handle. */
static inline int vidmm_fastlock_armed(uint64_t w, uint32_t handle)
{
    if (!vidmm_fastlock_local_handle(handle)) return 0;
    return (w & VIDMM_FASTLOCK_FAST) && (w >> VIDMM_FASTLOCK_PAYLOAD_SHIFT) == vidmm_fastlock_payload(handle);
}

/* One more lock of `handle` through `device` without the Unix side: 1 and
 * *address on success, 0 when the Unix side must answer. */
static inline int vidmm_fastlock_lock(struct vidmm_fastlock_table *table, uint32_t device, uint32_t handle,
                                      uint64_t *address)
{
    struct vidmm_fastlock_slot *slot;
    uint64_t w, addr;
    int tries;

    if (!table || __atomic_load_n(&table->disabled, __ATOMIC_RELAXED)) return 0;
    slot = vidmm_fastlock_slot_of(table, handle);
    w = __atomic_load_n(&slot->word, __ATOMIC_ACQUIRE);
    for (tries = 0; tries < 4; tries++)
    {
        if (!vidmm_fastlock_armed(w, handle) || (w & VIDMM_FASTLOCK_COUNT_MASK) >= VIDMM_FASTLOCK_MAX_COUNT)
            return 0;
        /* An acquire load: the swap below cannot be seen before it, so it
         * belongs to word w if the swap finds w still. */
        if (!(addr = vidmm_fastlock_where_address(__atomic_load_n(&slot->where, __ATOMIC_ACQUIRE), device)))
            return 0;
        if (__atomic_compare_exchange_n(&slot->word, &w, (w + 1) | VIDMM_FASTLOCK_USED, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
        {
            *address = addr;
            return 1;
        }
    }
    return 0;
}

/* One unlock of `handle` through `device`: 1 when done, 0 when the Unix side
 * must answer (also for a count of 0: its status is the Unix side's). */
static inline int vidmm_fastlock_unlock(struct vidmm_fastlock_table *table, uint32_t device, uint32_t handle)
{
    struct vidmm_fastlock_slot *slot;
    uint64_t w;
    int tries;

    if (!table || __atomic_load_n(&table->disabled, __ATOMIC_RELAXED)) return 0;
    slot = vidmm_fastlock_slot_of(table, handle);
    w = __atomic_load_n(&slot->word, __ATOMIC_ACQUIRE);
    for (tries = 0; tries < 4; tries++)
    {
        if (!vidmm_fastlock_armed(w, handle) || !(w & VIDMM_FASTLOCK_COUNT_MASK)) return 0;
        if (!vidmm_fastlock_where_address(__atomic_load_n(&slot->where, __ATOMIC_ACQUIRE), device)) return 0;
        if (__atomic_compare_exchange_n(&slot->word, &w, w - 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return 1;
    }
    return 0;
}

#endif /* VIDMM_FASTLOCK_H */
