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
 * The system view: one piece of memory shared by every process of the Wine
 * prefix that opens an adapter (a named section under Wine, a POSIX shared
 * memory object in the native tests), so that the processes of one GPU see
 * each other without a daemon.
 *
 *  - A process table of VIDMM_SYSTEM_SLOTS slots.  A process owns its slot
 *    while it holds the slot's liveness token, a lock the kernel drops when
 *    the process dies, however it dies (under Wine and in the tests: an OFD
 *    lock, fcntl F_OFD_SETLK, on byte VIDMM_SYSTEM_LOCK_BASE + slot of the
 *    view's file, through an open file description of the process' own).
 *    A slot's generation changes each time a process claims it, so
 *    (slot, generation) names one process for good.
 *  - Each slot publishes its process' usage per adapter LUID and segment
 *    group (the owner alone writes it, with atomic stores: no lock and no
 *    system call on the allocation paths).  A reader ignores slots whose
 *    process is dead.
 *  - Each slot has a doorbell: a 32-bit futex word that others bump and wake
 *    (FUTEX_WAKE on shared memory) to make the owner look at the system
 *    state again (trim to its budget, re-check its shared waits).
 *
 * Nothing in the view is ever locked: a process writes only its own slot (and
 * the doorbells of others, by atomic increment), a dead process' slot is
 * cleared by whoever takes its liveness token next.  So a process killed at
 * any point leaves nothing locked.  Only fixed-width types, explicit padding
 * and 32-bit futex words: an i686 and an x86_64 process map the same view
 * (static asserts in system.c).
 *
 * Limits: VIDMM_SYSTEM_SLOTS processes at once use the view; a process that
 * finds the table full runs with process-local accounting only (its usage is
 * invisible to others, it sees theirs) and vidmm_system_self() returns
 * STATUS_INSUFFICIENT_RESOURCES.  VIDMM_SYSTEM_ADAPTERS LUIDs per process.
 *
 * Every function here may be called from any thread with no core lock held,
 * or with any core lock held (they take none of the core's locks).
 */
#ifndef VIDMM_SYSTEM_H
#define VIDMM_SYSTEM_H

#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

#ifndef STATUS_INSUFFICIENT_RESOURCES
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009A)
#endif

struct vidmm;

#define VIDMM_SYSTEM_SLOTS      64u
#define VIDMM_SYSTEM_ADAPTERS   8u
/* Byte offset of slot 0's liveness lock in the view's file (locks need no
 * file content; they are placed past the view's bytes). */
#define VIDMM_SYSTEM_LOCK_BASE  0x100000u

/* The provider: how the view and the liveness tokens are made.  Under Wine
 * dlls/d3dkmt/unix_system.c, in the unit tests tests/unit/native_system.c. */
struct vidmm_system_ops
{
    void *ctx;
    /* Maps the prefix-wide view, `size` bytes, zero-filled when it is made
     * for the first time; the same memory in every process.  NULL if none. */
    void *(*map)(void *ctx, uint32_t size);
    void (*unmap)(void *ctx, void *base, uint32_t size);
    /* Takes the liveness token of a slot without waiting: 0 taken (this
     * process holds it until release_slot or its death), -1 held by another
     * process (or error). */
    int (*claim_slot)(void *ctx, uint32_t slot);
    void (*release_slot)(void *ctx, uint32_t slot);
    /* Whether another process holds the slot's token: 1 held, 0 not held. */
    int (*slot_held)(void *ctx, uint32_t slot);
    /* This process' id (Wine's process id), never 0. */
    uint32_t (*process_id)(void *ctx);
    /* Optional: 0 when the process with this id is known to have ended (Wine
     * signals a terminated process before the kernel has closed its files),
     * 1 when it runs or when that is not known. */
    int (*process_alive)(void *ctx, uint32_t pid);
    /* Optional: the watcher's idle poll in milliseconds (0: 100). */
    uint32_t poll_ms;
};

/* Sets the provider: once, before the first adapter is opened (the Unix side
 * at process attach).  Without it there is no system view: every process
 * accounts for itself alone, as before.  STATUS_INVALID_PARAMETER if ops is
 * incomplete or an adapter was opened already. */
NTSTATUS vidmm_system_set_ops(struct vidmm *mm, const struct vidmm_system_ops *ops);

/* Maps the view and claims a slot if that was not done yet (the first
 * adapter open does it too).  *slot and *generation name this process in
 * the table.  STATUS_INSUFFICIENT_RESOURCES when the table is full,
 * STATUS_NOT_SUPPORTED without a provider or view; *slot is then ~0u. */
NTSTATUS vidmm_system_self(struct vidmm *mm, uint32_t *slot, uint32_t *generation);

/* Rings the doorbells of the live slots in `mask` (bit n = slot n): bumps
 * each one's futex word and wakes its waiters.  Its own slot may be in it. */
void vidmm_system_ring(struct vidmm *mm, uint64_t mask);

/* This process' doorbell value, to pass to vidmm_system_wait (0 without a
 * slot). */
uint32_t vidmm_system_doorbell(struct vidmm *mm);

/* Waits until this process' doorbell differs from `seen`, or timeout_ms
 * passes (~0u: no timeout).  STATUS_SUCCESS when it rang (or had rung),
 * STATUS_TIMEOUT, STATUS_NOT_SUPPORTED without a slot. */
NTSTATUS vidmm_system_wait(struct vidmm *mm, uint32_t seen, uint32_t timeout_ms);

/* 1 when slot `slot` is held by the process that claimed it as
 * `generation` and that process is alive: its liveness token is held and the
 * provider does not know it to have ended.  Costs a system call or two. */
int vidmm_system_alive(struct vidmm *mm, uint32_t slot, uint32_t generation);
/* The generation of the live process in `slot` (the same test), 0 if none. */
uint32_t vidmm_system_generation(struct vidmm *mm, uint32_t slot);

/* The slots whose process is alive, by the same test (one bit per slot). */
uint64_t vidmm_system_live_mask(struct vidmm *mm);

/* Listeners, called from this process' watcher thread with no core lock held:
 * after its doorbell rang (rung = 1), and when it finds slots where a
 * process died since it last looked (dead_mask, bit n = slot n): the one
 * that was live then, or one that came and went in between (even if no one
 * here saw it alive).  A bit may also come from a claim in progress, so a
 * listener checks the (slot, generation) it cares about with
 * vidmm_system_alive.  The watcher looks every poll_ms while other
 * processes use the view, every second otherwise, and at once when rung.
 * At most VIDMM_SYSTEM_LISTENERS listeners; STATUS_INSUFFICIENT_RESOURCES
 * past that.  A listener stays until the manager is destroyed. */
#define VIDMM_SYSTEM_LISTENERS 4u
typedef void (*vidmm_system_listener)(void *ctx, struct vidmm *mm, uint64_t dead_mask, int rung);
NTSTATUS vidmm_system_listen(struct vidmm *mm, vidmm_system_listener fn, void *ctx);

/* Usage another process publishes, for QueryVideoMemoryInfo with its
 * handle: the process with Wine id `pid`, on the adapter `luid`, in segment
 * group `group` (VIDMM_SEGMENT_GROUP_*).  0 (usage and found 0) when it is
 * not alive or uses no adapter of that LUID. */
NTSTATUS vidmm_system_process_usage(struct vidmm *mm, uint32_t pid, uint64_t luid, uint32_t group,
                                    uint64_t *usage, int *found);

/* ---- the shared layout (also read by the tests) ---- */

#define VIDMM_SYSTEM_MAGIC    0x4d4d4453u   /* "SDMM" */
#define VIDMM_SYSTEM_VERSION  3u

/* init_state */
#define VIDMM_SYSTEM_INIT_NONE  0u
#define VIDMM_SYSTEM_INIT_BUSY  1u
#define VIDMM_SYSTEM_INIT_READY 2u

/* slot state: written by the holder of the slot's token only */
#define VIDMM_SLOT_FREE  0u
#define VIDMM_SLOT_LIVE  1u

/* One adapter of one process; luid 0 = unused.  128 bytes. */
struct vidmm_system_adapter
{
    uint64_t luid;
    uint64_t usage[2];          /* bytes resident, by VIDMM_SEGMENT_GROUP_* */
    uint64_t segment_size;      /* the process' local segment size */
    uint64_t budget;            /* its current local budget */
    uint64_t nonlocal_size;     /* its non-local segment size */
    /* Statistics (statistics.c), published with usage when they change. */
    uint64_t committed[2];      /* bytes of live allocations, by group */
    uint32_t allocations[2];    /* live allocations, by group */
    uint32_t resident_local;    /* allocations in the local segment */
    uint32_t locked;            /* allocations locked: refreshed at the watcher's tick after a request */
    uint64_t evictions, evicted_bytes;
    uint64_t restores, restored_bytes;
    uint64_t fence_submitted, fence_completed;
};

/* One process.  1088 bytes (a multiple of 64: no slot shares a cache line). */
struct vidmm_system_slot
{
    uint32_t state;             /* VIDMM_SLOT_* */
    uint32_t generation;        /* bumped by each claim */
    uint32_t pid;               /* Wine process id */
    uint32_t doorbell;          /* futex word: bumped by vidmm_system_ring */
    uint32_t unix_pid;
    uint32_t flags;
    uint32_t reserved[10];
    struct vidmm_system_adapter adapters[VIDMM_SYSTEM_ADAPTERS];
};

struct vidmm_system_header
{
    uint32_t magic;
    uint32_t version;
    uint32_t init_state;        /* VIDMM_SYSTEM_INIT_*, by compare-and-swap */
    uint32_t slot_count;
    uint32_t slot_size;
    uint32_t header_size;
    uint32_t claims;            /* slots claimed since the view was made (statistics) */
    uint32_t stats_requests;    /* bumped by each query of another process' statistics */
    /* Bit i (word i / 32) is set before slot i's state becomes LIVE and
     * cleared after it is FREE again: a slot whose bit is clear is not live,
     * so a budget reads only the slots in use (32-bit words: i686 too). */
    uint32_t live_mask[VIDMM_SYSTEM_SLOTS / 32];
    uint32_t reserved[54];      /* to 256 bytes */
};

struct vidmm_system_view
{
    struct vidmm_system_header header;
    struct vidmm_system_slot slots[VIDMM_SYSTEM_SLOTS];
};

#define VIDMM_SYSTEM_VIEW_SIZE ((uint32_t)((sizeof(struct vidmm_system_view) + 4095) & ~4095u))

#endif /* VIDMM_SYSTEM_H */
