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
 * Fault injection for application developers (dlls/d3dkmt/vidmm/faults.c):
 * failures a program can rehearse without a broken GPU.  Off unless the
 * process was given a setting (WINE_D3DKMT_FAULTS, or the registry value
 * HKCU\Software\Wine\d3dkmt "Faults"; the PE side reads them and the Unix
 * side hands the text to vidmm_set_faults).
 *
 * The setting is a comma-separated list of key=value items:
 *
 *   seed=N                      the PRNG seed (default 1)
 *   removed-after-calls=N       the first N device calls run normally; at the
 *                               next one every device of the process is reset
 *   removed-after-ms=T          the same, T ms after the first CreateDevice
 *   create-no-video-memory=P    CreateAllocation(2) fails with
 *                               STATUS_GRAPHICS_NO_VIDEO_MEMORY, probability P
 *   create-no-memory=P          ... with STATUS_NO_MEMORY, probability P
 *   create-fail-after-bytes=B   ... once the allocations created so far and the
 *                               call's own would exceed B bytes in total
 *   lock-busy=P                 Lock with DonotWait fails with
 *                               STATUS_GRAPHICS_ALLOCATION_BUSY, probability P
 *   budget=B                    the local budget drops to B bytes
 *   budget-after-ms=T           ... T ms after the first CreateDevice (default:
 *                               at once)
 *
 * N and T are decimal integers; B is a decimal integer with an optional
 * suffix K, M, G or T (powers of 1024); P is a decimal number from 0 to 1
 * with at most 9 digits after the point.  Each item is checked on its own:
 * a bad one (unknown key, bad value, a key given twice) is reported and
 * ignored, the others apply.
 *
 * Decisions are a pure function of (seed, kind, index): the index-th
 * CreateAllocation call (every call that passed validation, counted from 0)
 * fails if a hash of the three is below P.  So one program run twice with one
 * seed fails at the same calls; with threads the set of failing indices is
 * the same, but which thread's call has which index is not.
 */
#ifndef VIDMM_FAULTS_H
#define VIDMM_FAULTS_H

#include <stdint.h>
#include "wine-d3dkmt/d3dkmt_status.h"

struct vidmm;

/* The longest setting the PE side passes (bytes, with the NUL). */
#define VIDMM_FAULTS_MAX_TEXT 256u

enum vidmm_fault_kind
{
    VIDMM_FAULT_CREATE_NO_VIDEO_MEMORY,
    VIDMM_FAULT_CREATE_NO_MEMORY,
    VIDMM_FAULT_LOCK_BUSY,
    VIDMM_FAULT_PROBABILITIES          /* kinds decided by probability */
};

/* Items given (vidmm_faults_config.set). */
#define VIDMM_FAULTS_SEED                 0x001u
#define VIDMM_FAULTS_REMOVED_AFTER_CALLS  0x002u
#define VIDMM_FAULTS_REMOVED_AFTER_MS     0x004u
#define VIDMM_FAULTS_CREATE_NO_VIDEO_MEMORY 0x008u
#define VIDMM_FAULTS_CREATE_NO_MEMORY     0x010u
#define VIDMM_FAULTS_CREATE_AFTER_BYTES   0x020u
#define VIDMM_FAULTS_LOCK_BUSY            0x040u
#define VIDMM_FAULTS_BUDGET               0x080u
#define VIDMM_FAULTS_BUDGET_AFTER_MS      0x100u

#define VIDMM_FAULTS_PPB_ONE 1000000000u   /* probability 1 in parts per billion */

struct vidmm_faults_config
{
    uint32_t set;                      /* VIDMM_FAULTS_* of the items that applied */
    uint32_t ppb[VIDMM_FAULT_PROBABILITIES]; /* probabilities, parts per billion */
    uint64_t seed;
    uint64_t removed_after_calls;
    uint64_t removed_after_ms;
    uint64_t create_after_bytes;
    uint64_t budget;
    uint64_t budget_after_ms;
};

/* Parses a setting (NULL or "" is no fault).  report(ctx, message) is called
 * once for each bad item, with a message naming it; returns how many there
 * were.  Never reads past the NUL, whatever the text. */
unsigned int vidmm_faults_parse(const char *text, struct vidmm_faults_config *cfg,
                                void (*report)(void *ctx, const char *message), void *ctx);

/* The PRNG: a 64-bit hash of (seed, kind, index) (splitmix64's finaliser
 * over a counter), and the decision it gives for a probability. */
uint64_t vidmm_faults_draw(uint64_t seed, uint32_t kind, uint64_t index);
int vidmm_faults_decide(uint64_t seed, uint32_t kind, uint64_t index, uint32_t ppb);

/* How the manager tells about injected failures and reads the clock.  Under
 * Wine: the d3dkmt debug channel (unix_main.c); NULL members: silent, and
 * CLOCK_MONOTONIC. */
struct vidmm_faults_ops
{
    void *ctx;
    /* error: a bad setting (ERR under Wine); else an injected failure or the
     * setting in force (WARN). */
    void (*log)(void *ctx, int error, const char *message);
    uint64_t (*now_ms)(void *ctx);
};

/* Parses the setting and arms it in the manager, before its first adapter
 * opens.  A setting with no valid item leaves fault injection off.
 * STATUS_NO_MEMORY, or STATUS_SUCCESS (bad items are reported, not fatal). */
NTSTATUS vidmm_set_faults(struct vidmm *mm, const char *text, const struct vidmm_faults_ops *ops);

#endif /* VIDMM_FAULTS_H */
