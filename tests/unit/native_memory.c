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
 * mmap-backed memory ops for the unit tests (see native_memory.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "native_memory.h"

#define PAGE VIDMM_PAGE_SIZE

struct reservation
{
    uint8_t *base;
    uint64_t size;
    uint8_t *committed;          /* one flag per page */
};

struct user_range
{
    uint8_t *base;
    uint64_t size;
};

struct native_memory
{
    pthread_mutex_t lock;
    struct reservation *res;
    size_t res_count, res_capacity;
    struct user_range *user;
    size_t user_count, user_capacity;
    long reserve_fail, commit_fail, move_fail;   /* < 0: off, else calls still allowed */
    int reserve_sticky, commit_sticky;
    native_memory_hook hook;
    void *hook_arg;
    native_memory_hook page_hook;
    void *page_hook_arg;
    struct native_memory_counters c;
};

/* Countdown shared by reserve and commit; lock held. */
static int inject(struct native_memory *nm, long *countdown, int sticky)
{
    if (*countdown < 0) return 0;
    if (*countdown > 0)
    {
        --*countdown;
        return 0;
    }
    if (!sticky) *countdown = -1;
    nm->c.injected_failures++;
    return 1;
}

/* Reservation holding [addr, addr + size); lock held. */
static struct reservation *find_res(struct native_memory *nm, const void *addr, uint64_t size)
{
    const uint8_t *p = addr;
    size_t i;

    for (i = 0; i < nm->res_count; i++)
    {
        struct reservation *r = &nm->res[i];
        if (p >= r->base && p < r->base + r->size && size <= (uint64_t)(r->base + r->size - p)) return r;
    }
    return NULL;
}

static void *nm_reserve(void *ctx, uint64_t size)
{
    struct native_memory *nm = ctx;
    native_memory_hook hook;
    struct reservation *r;
    void *hook_arg, *base;
    uint8_t *committed;

    pthread_mutex_lock(&nm->lock);
    hook = nm->hook;
    hook_arg = nm->hook_arg;
    pthread_mutex_unlock(&nm->lock);
    if (hook) hook(hook_arg, size);

    pthread_mutex_lock(&nm->lock);
    nm->c.reserve_calls++;
    if (!size || size % PAGE) nm->c.errors++;
    if (!size || inject(nm, &nm->reserve_fail, nm->reserve_sticky)) goto failed;
    if (size > (1ull << 40)) goto failed;   /* no such address space; and keeps calloc sane under ASan */
    if (nm->res_count == nm->res_capacity)
    {
        size_t capacity = nm->res_capacity ? nm->res_capacity * 2 : 64;
        if (!(r = realloc(nm->res, capacity * sizeof(*r)))) goto failed;
        nm->res = r;
        nm->res_capacity = capacity;
    }
    if (!(committed = calloc((size + PAGE - 1) / PAGE, 1))) goto failed;
    base = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
    {
        free(committed);
        goto failed;
    }
    r = &nm->res[nm->res_count++];
    r->base = base;
    r->size = size;
    r->committed = committed;
    nm->c.reservations++;
    nm->c.reserved_bytes += size;
    pthread_mutex_unlock(&nm->lock);
    return base;

failed:
    pthread_mutex_unlock(&nm->lock);
    return NULL;
}

static int nm_commit(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;
    struct reservation *r;
    uint64_t first, count, i;
    int ret = -1;

    pthread_mutex_lock(&nm->lock);
    nm->c.commit_calls++;
    if ((uintptr_t)addr % PAGE || !size || size % PAGE || !(r = find_res(nm, addr, size)))
    {
        nm->c.errors++;
        goto done;
    }
    if (inject(nm, &nm->commit_fail, nm->commit_sticky)) goto done;
    first = ((uint8_t *)addr - r->base) / PAGE;
    count = size / PAGE;
    for (i = first; i < first + count; )
    {
        uint64_t run = 0;

        if (r->committed[i])
        {
            nm->c.errors++;   /* kept as is, like MEM_COMMIT, but the manager never should */
            i++;
            continue;
        }
        while (i + run < first + count && !r->committed[i + run]) r->committed[i + run++] = 1;
        /* Zero the run: DONTNEED on a private anonymous mapping gives fresh zero pages. */
        madvise(r->base + i * PAGE, run * PAGE, MADV_DONTNEED);
        if (mprotect(r->base + i * PAGE, run * PAGE, PROT_READ | PROT_WRITE)) abort();
        nm->c.committed_bytes += run * PAGE;
        i += run;
    }
    ret = 0;
done:
    pthread_mutex_unlock(&nm->lock);
    return ret;
}

static void decommit_pages(struct native_memory *nm, struct reservation *r, uint64_t first, uint64_t count)
{
    uint64_t i;

    for (i = first; i < first + count; i++)
    {
        if (!r->committed[i]) continue;
        r->committed[i] = 0;
        nm->c.committed_bytes -= PAGE;
    }
    madvise(r->base + first * PAGE, count * PAGE, MADV_DONTNEED);
    if (mprotect(r->base + first * PAGE, count * PAGE, PROT_NONE)) abort();
}

static void nm_decommit(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;
    struct reservation *r;
    uint64_t first, i;

    pthread_mutex_lock(&nm->lock);
    nm->c.decommit_calls++;
    if ((uintptr_t)addr % PAGE || !size || size % PAGE || !(r = find_res(nm, addr, size)))
        nm->c.errors++;
    else
    {
        first = ((uint8_t *)addr - r->base) / PAGE;
        for (i = first; i < first + size / PAGE; i++)
            if (!r->committed[i]) nm->c.errors++;
        decommit_pages(nm, r, first, size / PAGE);
    }
    pthread_mutex_unlock(&nm->lock);
}

static void nm_release(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;
    struct reservation *r;

    pthread_mutex_lock(&nm->lock);
    nm->c.release_calls++;
    if (!(r = find_res(nm, addr, 1)) || r->base != addr)
    {
        nm->c.errors++;
        pthread_mutex_unlock(&nm->lock);
        return;
    }
    if (size != r->size) nm->c.errors++;   /* unmap the real size anyway */
    decommit_pages(nm, r, 0, r->size / PAGE);
    munmap(r->base, r->size);
    free(r->committed);
    nm->c.reservations--;
    nm->c.reserved_bytes -= r->size;
    /* Keep creation order, so index 0 is the oldest. */
    memmove(r, r + 1, (nm->res + --nm->res_count - r) * sizeof(*r));
    pthread_mutex_unlock(&nm->lock);
}

/* The range must be committed pages of one reservation; lock held. */
static struct reservation *committed_range(struct native_memory *nm, const void *addr, uint64_t size)
{
    struct reservation *r;
    uint64_t first, i;

    if ((uintptr_t)addr % PAGE || !size || size % PAGE || !(r = find_res(nm, addr, size))) return NULL;
    first = ((const uint8_t *)addr - r->base) / PAGE;
    for (i = first; i < first + size / PAGE; i++)
        if (!r->committed[i]) return NULL;
    return r;
}

static void nm_reset(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;

    pthread_mutex_lock(&nm->lock);
    nm->c.reset_calls++;
    if (!committed_range(nm, addr, size)) nm->c.errors++;
    else madvise(addr, size, MADV_DONTNEED);   /* private anonymous: reads zero after */
    pthread_mutex_unlock(&nm->lock);
}

static void nm_advise_large(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;

    pthread_mutex_lock(&nm->lock);
    if (!committed_range(nm, addr, size)) nm->c.errors++;
    else madvise(addr, size, MADV_HUGEPAGE);   /* a hint: fails harmlessly without THP */
    pthread_mutex_unlock(&nm->lock);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* The page hook, called outside the object's lock before a prefault or move. */
static void run_page_hook(struct native_memory *nm, uint64_t size)
{
    native_memory_hook hook;
    void *arg;

    pthread_mutex_lock(&nm->lock);
    hook = nm->page_hook;
    arg = nm->page_hook_arg;
    pthread_mutex_unlock(&nm->lock);
    if (hook) hook(arg, size);
}

static void nm_prefault(void *ctx, void *addr, uint64_t size)
{
    struct native_memory *nm = ctx;

    run_page_hook(nm, size);
    pthread_mutex_lock(&nm->lock);
    if (!committed_range(nm, addr, size)) nm->c.errors++;
    else madvise(addr, size, MADV_POPULATE_WRITE);
    pthread_mutex_unlock(&nm->lock);
}

/* As the Unix side does: the pages go to dst, src gets fresh zero pages. */
static int nm_move(void *ctx, void *dst, void *src, uint64_t size)
{
    struct native_memory *nm = ctx;
    int ret = -1;

    run_page_hook(nm, size);
    pthread_mutex_lock(&nm->lock);
    nm->c.move_calls++;
    if (!committed_range(nm, dst, size) || !committed_range(nm, src, size)
        || ((uint8_t *)dst < (uint8_t *)src + size && (uint8_t *)src < (uint8_t *)dst + size))
        nm->c.errors++;
    else if (!inject(nm, &nm->move_fail, 0) && native_move_pages(dst, src, size) == 0)
        ret = 0;
    pthread_mutex_unlock(&nm->lock);
    return ret;
}

int native_move_pages(void *dst, void *src, uint64_t size)
{
    if (mremap(src, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED) return -1;
    /* src is a hole now: put zero read/write pages back, as the provider's view says. */
    if (mmap(src, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        abort();
    return 0;
}

static int nm_check_user_range(void *ctx, uint64_t addr, uint64_t size)
{
    struct native_memory *nm = ctx;
    int ret = -1;
    size_t i;

    if (!addr || addr + size < addr) return -1;
    pthread_mutex_lock(&nm->lock);
    for (i = 0; i < nm->user_count; i++)
    {
        uint64_t base = (uintptr_t)nm->user[i].base;
        if (addr >= base && addr + size <= base + nm->user[i].size) ret = 0;
    }
    pthread_mutex_unlock(&nm->lock);
    return ret;
}

struct native_memory *native_memory_create(void)
{
    struct native_memory *nm;

    if (!(nm = calloc(1, sizeof(*nm)))) return NULL;
    pthread_mutex_init(&nm->lock, NULL);
    nm->reserve_fail = nm->commit_fail = nm->move_fail = -1;
    return nm;
}

void native_memory_destroy(struct native_memory *nm)
{
    size_t i;

    for (i = 0; i < nm->res_count; i++)
    {
        munmap(nm->res[i].base, nm->res[i].size);
        free(nm->res[i].committed);
    }
    for (i = 0; i < nm->user_count; i++) munmap(nm->user[i].base, nm->user[i].size);
    free(nm->res);
    free(nm->user);
    pthread_mutex_destroy(&nm->lock);
    free(nm);
}

void native_memory_ops(struct native_memory *nm, struct vidmm_memory_ops *ops)
{
    ops->ctx = nm;
    ops->reserve = nm_reserve;
    ops->commit = nm_commit;
    ops->decommit = nm_decommit;
    ops->release = nm_release;
    ops->check_user_range = nm_check_user_range;
    ops->max_reservations = 0;   /* no limit unless a test sets one */
    ops->reset = nm_reset;
    ops->advise_large = nm_advise_large;
    ops->move = nm_move;
    ops->prefault = nm_prefault;
}

void native_memory_get_counters(struct native_memory *nm, struct native_memory_counters *counters)
{
    pthread_mutex_lock(&nm->lock);
    *counters = nm->c;
    pthread_mutex_unlock(&nm->lock);
}

void native_memory_fail_reserve_after(struct native_memory *nm, long count, int sticky)
{
    pthread_mutex_lock(&nm->lock);
    nm->reserve_fail = count < 0 ? -1 : count;
    nm->reserve_sticky = sticky;
    pthread_mutex_unlock(&nm->lock);
}

void native_memory_fail_commit_after(struct native_memory *nm, long count, int sticky)
{
    pthread_mutex_lock(&nm->lock);
    nm->commit_fail = count < 0 ? -1 : count;
    nm->commit_sticky = sticky;
    pthread_mutex_unlock(&nm->lock);
}

void native_memory_fail_move_after(struct native_memory *nm, long count)
{
    pthread_mutex_lock(&nm->lock);
    nm->move_fail = count < 0 ? -1 : count;
    pthread_mutex_unlock(&nm->lock);
}

void native_memory_set_page_hook(struct native_memory *nm, native_memory_hook hook, void *arg)
{
    pthread_mutex_lock(&nm->lock);
    nm->page_hook = hook;
    nm->page_hook_arg = arg;
    pthread_mutex_unlock(&nm->lock);
}

void native_memory_set_reserve_hook(struct native_memory *nm, native_memory_hook hook, void *arg)
{
    pthread_mutex_lock(&nm->lock);
    nm->hook = hook;
    nm->hook_arg = arg;
    pthread_mutex_unlock(&nm->lock);
}

void *native_memory_reservation_base(struct native_memory *nm, const void *addr)
{
    struct reservation *r;
    void *base;

    pthread_mutex_lock(&nm->lock);
    base = (r = find_res(nm, addr, 1)) ? r->base : NULL;
    pthread_mutex_unlock(&nm->lock);
    return base;
}

void *native_memory_reservation(struct native_memory *nm, unsigned int index, uint64_t *size)
{
    void *base = NULL;

    pthread_mutex_lock(&nm->lock);
    if (index < nm->res_count)
    {
        base = nm->res[index].base;
        if (size) *size = nm->res[index].size;
    }
    pthread_mutex_unlock(&nm->lock);
    return base;
}

uint64_t native_memory_reservation_size(struct native_memory *nm, const void *addr)
{
    struct reservation *r;
    uint64_t size;

    pthread_mutex_lock(&nm->lock);
    size = (r = find_res(nm, addr, 1)) ? r->size : 0;
    pthread_mutex_unlock(&nm->lock);
    return size;
}

int native_memory_is_committed(struct native_memory *nm, const void *addr, uint64_t size)
{
    struct reservation *r;
    uint64_t first, last, i;
    int ret = 0;

    pthread_mutex_lock(&nm->lock);
    if (size && (r = find_res(nm, addr, size)))
    {
        first = ((const uint8_t *)addr - r->base) / PAGE;
        last = ((const uint8_t *)addr - r->base + size - 1) / PAGE;
        for (ret = 1, i = first; i <= last; i++)
            if (!r->committed[i]) ret = 0;
    }
    pthread_mutex_unlock(&nm->lock);
    return ret;
}

void *native_memory_user_alloc(struct native_memory *nm, uint64_t size)
{
    struct user_range *u;
    void *base;

    if (!size) return NULL;
    base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return NULL;
    pthread_mutex_lock(&nm->lock);
    if (nm->user_count == nm->user_capacity)
    {
        size_t capacity = nm->user_capacity ? nm->user_capacity * 2 : 16;
        if (!(u = realloc(nm->user, capacity * sizeof(*u))))
        {
            pthread_mutex_unlock(&nm->lock);
            munmap(base, size);
            return NULL;
        }
        nm->user = u;
        nm->user_capacity = capacity;
    }
    nm->user[nm->user_count].base = base;
    nm->user[nm->user_count].size = size;
    nm->user_count++;
    pthread_mutex_unlock(&nm->lock);
    return base;
}

void native_memory_user_free(struct native_memory *nm, void *addr)
{
    size_t i;

    pthread_mutex_lock(&nm->lock);
    for (i = 0; i < nm->user_count; i++)
    {
        if (nm->user[i].base != addr) continue;
        munmap(nm->user[i].base, nm->user[i].size);
        nm->user[i] = nm->user[--nm->user_count];
        break;
    }
    pthread_mutex_unlock(&nm->lock);
}
