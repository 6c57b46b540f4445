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
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private/vidmm.h"
#include "native_share.h"

#define MAX_GLOBALS 256

struct native_file
{
    struct vidmm_share_file pub;
    struct native_share *ns;
    int fd;
};

struct native_share
{
    pthread_mutex_t lock;
    long live;
    uint32_t next;
    int fail_create;
    struct { uint32_t value; int fd; int holders; } globals[MAX_GLOBALS];
};

struct native_share *native_share_create(void)
{
    struct native_share *ns = calloc(1, sizeof(*ns));

    pthread_mutex_init(&ns->lock, NULL);
    return ns;
}

void native_share_destroy(struct native_share *ns)
{
    int i;

    for (i = 0; i < MAX_GLOBALS; i++)
        if (ns->globals[i].value) close(ns->globals[i].fd);
    pthread_mutex_destroy(&ns->lock);
    free(ns);
}

long native_share_live(struct native_share *ns)
{
    long n;

    pthread_mutex_lock(&ns->lock);
    n = ns->live;
    pthread_mutex_unlock(&ns->lock);
    return n;
}

long native_share_globals(struct native_share *ns)
{
    long n = 0;
    int i;

    pthread_mutex_lock(&ns->lock);
    for (i = 0; i < MAX_GLOBALS; i++) n += !!ns->globals[i].value;
    pthread_mutex_unlock(&ns->lock);
    return n;
}

void native_share_fail_next_create(struct native_share *ns)
{
    ns->fail_create = 1;
}

int native_share_fd(struct vidmm_share_file *file)
{
    return ((struct native_file *)file)->fd;
}

static NTSTATUS map_fd(struct native_share *ns, int fd, int writable, struct vidmm_share_file **out)
{
    struct native_file *f;
    struct stat st;
    void *view;

    if (fstat(fd, &st) || st.st_size < VIDMM_SHARE_MIN_SIZE) return STATUS_INVALID_PARAMETER;
    view = mmap(NULL, st.st_size, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
    if (view == MAP_FAILED) return STATUS_NO_MEMORY;
    f = calloc(1, sizeof(*f));
    f->pub.view = view;
    f->pub.size = st.st_size;
    f->pub.writable = writable;
    atomic_init(&f->pub.refs, 1);
    f->ns = ns;
    f->fd = fd;
    pthread_mutex_lock(&ns->lock);
    ns->live++;
    pthread_mutex_unlock(&ns->lock);
    *out = &f->pub;
    return STATUS_SUCCESS;
}

static NTSTATUS ops_create(void *ctx, uint64_t size, struct vidmm_share_file **out)
{
    struct native_share *ns = ctx;
    NTSTATUS status;
    int fd;

    if (ns->fail_create)
    {
        ns->fail_create = 0;
        return STATUS_NO_MEMORY;
    }
    if (!size || size % VIDMM_PAGE_SIZE) return STATUS_INVALID_PARAMETER;
    if ((fd = memfd_create("native-share", MFD_CLOEXEC)) < 0) return STATUS_NO_MEMORY;
    if (ftruncate(fd, size) || (status = map_fd(ns, fd, 1, out)))
    {
        close(fd);
        return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

static void drop_global(struct native_share *ns, uint32_t value)
{
    int i;

    for (i = 0; i < MAX_GLOBALS; i++)
        if (ns->globals[i].value == value && !--ns->globals[i].holders)
        {
            close(ns->globals[i].fd);
            ns->globals[i].value = 0;
        }
}

static void ops_release(void *ctx, struct vidmm_share_file *file)
{
    struct native_file *f = (struct native_file *)file;
    struct native_share *ns = ctx;

    pthread_mutex_lock(&ns->lock);
    if (file->global) drop_global(ns, file->global);
    ns->live--;
    pthread_mutex_unlock(&ns->lock);
    munmap(file->view, file->size);
    close(f->fd);
    free(f);
}

static NTSTATUS ops_publish_global(void *ctx, struct vidmm_share_file *file,
                                   int (*busy)(void *busy_ctx, uint32_t value), void *busy_ctx)
{
    struct native_share *ns = ctx;
    struct native_file *f = (struct native_file *)file;
    uint32_t value;
    int i, tries;

    pthread_mutex_lock(&ns->lock);
    for (tries = 0; tries < 1024; tries++)
    {
        value = 0xc0000000u | ((++ns->next % 0xffffffu + 1) << 6) | 2u;
        if (busy && busy(busy_ctx, value)) continue;
        for (i = 0; i < MAX_GLOBALS; i++) if (ns->globals[i].value == value) break;
        if (i < MAX_GLOBALS) continue;
        for (i = 0; i < MAX_GLOBALS; i++) if (!ns->globals[i].value) break;
        if (i == MAX_GLOBALS) break;
        ns->globals[i].value = value;
        ns->globals[i].fd = dup(f->fd);
        ns->globals[i].holders = 1;
        file->global = value;
        pthread_mutex_unlock(&ns->lock);
        return STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&ns->lock);
    return STATUS_NO_MEMORY;
}

NTSTATUS native_share_open_fd(struct native_share *ns, int fd, int writable, uint32_t kind,
                              struct vidmm_share_file **out)
{
    NTSTATUS status;
    int copy = dup(fd);

    if (copy < 0) return STATUS_INVALID_HANDLE;
    if ((status = map_fd(ns, copy, writable, out)))
    {
        close(copy);
        return status;
    }
    if (share_check_header(*out, kind))
    {
        ops_release(ns, *out);
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ops_open_global(void *ctx, uint32_t value, uint32_t kind, struct vidmm_share_file **out)
{
    struct native_share *ns = ctx;
    NTSTATUS status;
    int i, fd = -1;

    pthread_mutex_lock(&ns->lock);
    for (i = 0; i < MAX_GLOBALS; i++)
        if (value && ns->globals[i].value == value)
        {
            fd = ns->globals[i].fd;
            ns->globals[i].holders++;
            break;
        }
    pthread_mutex_unlock(&ns->lock);
    if (fd < 0) return STATUS_INVALID_PARAMETER;
    if ((status = native_share_open_fd(ns, fd, 1, kind, out)) || share_header(*out)->global_value != value)
    {
        if (!status) ops_release(ns, *out);
        pthread_mutex_lock(&ns->lock);
        drop_global(ns, value);
        pthread_mutex_unlock(&ns->lock);
        return STATUS_INVALID_PARAMETER;
    }
    (*out)->global = value;
    return STATUS_SUCCESS;
}

void native_share_ops(struct native_share *ns, struct vidmm_share_ops *ops)
{
    memset(ops, 0, sizeof(*ops));
    ops->ctx = ns;
    ops->create = ops_create;
    ops->release = ops_release;
    ops->publish_global = ops_publish_global;
    ops->open_global = ops_open_global;
}
