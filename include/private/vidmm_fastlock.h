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
 * A slot is one 64-bit word: the address' page, the device's index in the
 * table's device list, the high bits of the owner's handle payload (the low
 * ones are the slot's position), OWNED, FAST, USED and the lock count.  All
 * a fast lock needs is in that word, so one compare-and-swap checks it all.
 * The protocol:
 *
 * - The manager sets FAST, under the allocation's lock, only for an
 *   allocation whose address cannot change and whose locks need no work of
 *   its own (resident, CPU-visible, already cleared, no paging, not offered,
 *   not parked, no aperture; fastlock.c).  It writes the whole word at once
 *   (release).
 * - While FAST is set the lock count is the word's; otherwise it is the
 *   allocation's lock_count and only the manager changes it.
 * - Before the manager does anything that depends on the count or moves the
 *   allocation, it clears FAST with one atomic RMW, which ends every fast
 *   lock and unlock and hands it the count (alloc_lock in vidmm_private.h).
 * - A fast lock reads the word, checks that the device list names the
 *   caller's device at the word's index (an acquire load), then swaps the
 *   word for count + 1 (and USED).  The swap fails if the word changed in
 *   between.  A word that is the same bits again (re-armed, or the slot
 *   reused by the same handle value) says the same page, device and count,
 *   so what the lock returns is right for it either way.  A device index
 *   is given back only after every allocation of the device is gone
 *   (device_teardown), so a word naming it is no longer there to swap.
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

/* 2^20 slots (8 MiB, which a million random Locks find in the L3 cache) for
 * 64-bit processes; 32-bit ones cannot hold a million allocations' content
 * anyway. */
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

/* The word: page 63..29, device index 28..22, payload >> SLOT_BITS 21..15,
 * OWNED 14, FAST 13, USED 12, count 11..0. */
#define VIDMM_FASTLOCK_COUNT_MASK   0xfffull
#define VIDMM_FASTLOCK_USED         (1ull << 12)
#define VIDMM_FASTLOCK_FAST         (1ull << 13)
#define VIDMM_FASTLOCK_OWNED        (1ull << 14)   /* never 0 while an allocation owns the slot */
#define VIDMM_FASTLOCK_HIGH_SHIFT   15
#define VIDMM_FASTLOCK_HIGH_MASK    0x7full        /* payloads are 24 bits, SLOT_BITS at least 17 */
#define VIDMM_FASTLOCK_DEVICE_SHIFT 22
#define VIDMM_FASTLOCK_DEVICES      128u           /* indices 1..127; 0 names none */
#define VIDMM_FASTLOCK_WORD_PAGE_SHIFT 29
#define VIDMM_FASTLOCK_PAGE_SHIFT   12
/* Locks a fast lock may take; the Unix side answers the rest (0xffff,
 * D3DKMT_WINE_MAX_LOCK_REFERENCES, is the real limit). */
#define VIDMM_FASTLOCK_MAX_COUNT    0xffeull

struct vidmm_fastlock_slot
{
    uint64_t word;
};

struct vidmm_fastlock_table
{
    uint32_t disabled;   /* set for good: faults injected, a device in error or removed */
    uint32_t slot_bits;  /* VIDMM_FASTLOCK_SLOT_BITS of the PE side: both sides must agree */
    uint32_t pad[14];
    /* The handle of the device at each index, 0 if none (index 0 never). */
    uint32_t devices[VIDMM_FASTLOCK_DEVICES];
    struct vidmm_fastlock_slot slots[VIDMM_FASTLOCK_SLOTS];
};

/* The same layout for the PE and the Unix side, 32 and 64 bits: every
 * 64-bit field at a multiple of 8 from the page-aligned table. */
_Static_assert(sizeof(struct vidmm_fastlock_slot) == 8, "slot layout");
_Static_assert(__builtin_offsetof(struct vidmm_fastlock_table, slots) == 576, "table layout");
_Static_assert((24 - VIDMM_FASTLOCK_SLOT_BITS) <= 7, "the payload's high bits fit their field");

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

/* Whether a word can say `address`: a page address below 2^47 (all of a
 * process' user space on x86).  The manager arms nothing else (an unaligned
 * pSystemMem keeps the Unix path). */
static inline int vidmm_fastlock_address_ok(uint64_t address)
{
    return !(address & ((1ull << VIDMM_FASTLOCK_PAGE_SHIFT) - 1))
           && !(address >> (64 - VIDMM_FASTLOCK_WORD_PAGE_SHIFT + VIDMM_FASTLOCK_PAGE_SHIFT));
}

/* The bits that say which handle owns the slot. */
static inline uint64_t vidmm_fastlock_owner(uint32_t handle)
{
    return VIDMM_FASTLOCK_OWNED
           | (vidmm_fastlock_payload(handle) >> VIDMM_FASTLOCK_SLOT_BITS) << VIDMM_FASTLOCK_HIGH_SHIFT;
}

/* An armed word (address_ok, device index 1..127, count at most MAX_COUNT). */
static inline uint64_t vidmm_fastlock_word(uint32_t handle, uint64_t address, uint32_t device_index, uint32_t count)
{
    return (address >> VIDMM_FASTLOCK_PAGE_SHIFT) << VIDMM_FASTLOCK_WORD_PAGE_SHIFT
           | (uint64_t)device_index << VIDMM_FASTLOCK_DEVICE_SHIFT | vidmm_fastlock_owner(handle)
           | VIDMM_FASTLOCK_FAST | count;
}

static inline uint64_t vidmm_fastlock_address(uint64_t w)
{
    return (w >> VIDMM_FASTLOCK_WORD_PAGE_SHIFT) << VIDMM_FASTLOCK_PAGE_SHIFT;
}

/* Whether word w is armed for this handle. */
static inline int vidmm_fastlock_armed(uint64_t w, uint32_t handle)
{
    const uint64_t mask = VIDMM_FASTLOCK_OWNED | VIDMM_FASTLOCK_FAST
                          | VIDMM_FASTLOCK_HIGH_MASK << VIDMM_FASTLOCK_HIGH_SHIFT;

    if (!vidmm_fastlock_local_handle(handle)) return 0;
    return (w & mask) == (vidmm_fastlock_owner(handle) | VIDMM_FASTLOCK_FAST);
}

/* Whether the table lists `device` at word w's index. */
static inline int vidmm_fastlock_device_ok(struct vidmm_fastlock_table *table, uint64_t w, uint32_t device)
{
    uint32_t index = (uint32_t)(w >> VIDMM_FASTLOCK_DEVICE_SHIFT) & (VIDMM_FASTLOCK_DEVICES - 1);

    return index && device && __atomic_load_n(&table->devices[index], __ATOMIC_ACQUIRE) == device;
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
        if (!vidmm_fastlock_device_ok(table, w, device)) return 0;
        addr = vidmm_fastlock_address(w);
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
        if (!vidmm_fastlock_device_ok(table, w, device)) return 0;
        if (__atomic_compare_exchange_n(&slot->word, &w, w - 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return 1;
    }
    return 0;
}

#endif /* VIDMM_FASTLOCK_H */
