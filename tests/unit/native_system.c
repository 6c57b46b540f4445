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

/* The native system-view provider (native_system.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "native_system.h"

void native_system_init(struct native_system *ns, const char *name)
{
    memset(ns, 0, sizeof(*ns));
    snprintf(ns->name, sizeof(ns->name), "%s", name);
    ns->fd = -1;
    ns->pid = (uint32_t)getpid();
}

static void *ns_map(void *ctx, uint32_t size)
{
    struct native_system *ns = ctx;
    struct stat st;
    void *base;

    if ((ns->fd = shm_open(ns->name, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) return NULL;
    if (fstat(ns->fd, &st) || (st.st_size < size && ftruncate(ns->fd, size))) goto fail;
    if ((base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ns->fd, 0)) == MAP_FAILED) goto fail;
    return base;
fail:
    close(ns->fd);
    ns->fd = -1;
    return NULL;
}

static void ns_unmap(void *ctx, void *base, uint32_t size)
{
    struct native_system *ns = ctx;

    munmap(base, size);
    if (ns->fd >= 0) close(ns->fd);
    ns->fd = -1;
}

static int ns_lock(struct native_system *ns, int cmd, short type, uint32_t slot, struct flock *fl)
{
    memset(fl, 0, sizeof(*fl));
    fl->l_type = type;
    fl->l_whence = SEEK_SET;
    fl->l_start = VIDMM_SYSTEM_LOCK_BASE + slot;
    fl->l_len = 1;
    return fcntl(ns->fd, cmd, fl);
}

static int ns_claim(void *ctx, uint32_t slot)
{
    struct flock fl;
    return ns_lock(ctx, F_OFD_SETLK, F_WRLCK, slot, &fl) ? -1 : 0;
}

static void ns_release(void *ctx, uint32_t slot)
{
    struct flock fl;
    ns_lock(ctx, F_OFD_SETLK, F_UNLCK, slot, &fl);
}

static int ns_held(void *ctx, uint32_t slot)
{
    struct flock fl;

    if (ns_lock(ctx, F_OFD_GETLK, F_WRLCK, slot, &fl)) return 1;
    return fl.l_type != F_UNLCK;
}

static uint32_t ns_pid(void *ctx)
{
    struct native_system *ns = ctx;
    return ns->pid;
}

static int ns_alive(void *ctx, uint32_t pid)
{
    struct native_system *ns = ctx;
    return ns->alive ? ns->alive(ns, pid) : 1;
}

void native_system_ops(struct native_system *ns, struct vidmm_system_ops *ops)
{
    memset(ops, 0, sizeof(*ops));
    ops->ctx = ns;
    ops->map = ns_map;
    ops->unmap = ns_unmap;
    ops->claim_slot = ns_claim;
    ops->release_slot = ns_release;
    ops->slot_held = ns_held;
    ops->process_id = ns_pid;
    ops->process_alive = ns_alive;
    ops->poll_ms = ns->poll_ms;
}

void native_system_forget(struct native_system *ns)
{
    /* Closing a descriptor of a shared description keeps its locks. */
    if (ns->fd >= 0) close(ns->fd);
    ns->fd = -1;
}

void native_system_unlink(const char *name)
{
    shm_unlink(name);
}
