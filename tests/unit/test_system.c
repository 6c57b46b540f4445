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
 * The system view (system.c) across real processes: the test forks children
 * that make managers of their own over the same shared memory object, and
 * kills them (SIGKILL) where it likes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "private/vidmm.h"
#include "private/vidmm_system.h"
#include "core_calls.h"
#include "native_memory.h"
#include "native_system.h"

#define MB (1024ull * 1024)
#define SEGMENT (64 * MB)
#define LUID 0x1234000056ull

struct proc
{
    struct native_memory *nm;
    struct native_system ns;
    struct vidmm *mm;
    uint32_t adapter, device;
};

static char view_name[64];

/* A manager joined to the test's view, with one adapter and device. */
static int proc_start(struct proc *p, int open_gpu)
{
    struct vidmm_open_adapter_args open = {0};
    struct vidmm_create_device_args dev = {0};
    struct vidmm_memory_ops mops;
    struct vidmm_system_ops sops;

    memset(p, 0, sizeof(*p));
    p->nm = native_memory_create();
    native_memory_ops(p->nm, &mops);
    native_system_init(&p->ns, view_name);
    p->ns.poll_ms = 10;
    native_system_ops(&p->ns, &sops);
    if (vidmm_create(&mops, 0, &p->mm)) return -1;
    if (vidmm_system_set_ops(p->mm, &sops)) return -1;
    if (!open_gpu) return 0;
    open.luid = LUID;
    open.local_size = SEGMENT;
    open.nonlocal_size = 256 * MB;
    open.source_count = 1;
    if (vidmm_open_adapter(p->mm, &open)) return -1;
    p->adapter = open.handle;
    dev.adapter = p->adapter;
    if (vidmm_create_device(p->mm, &dev)) return -1;
    p->device = dev.handle;
    return 0;
}

static void proc_stop(struct proc *p)
{
    vidmm_destroy(p->mm);
    native_memory_destroy(p->nm);
}

static NTSTATUS query(struct proc *p, uint32_t pid, uint32_t group, uint64_t *usage, uint64_t *budget)
{
    struct vidmm_query_video_memory_args q = {0};
    NTSTATUS status;

    q.adapter = p->adapter;
    q.group = group;
    q.process_id = pid;
    status = vidmm_query_video_memory(p->mm, &q);
    if (usage) *usage = q.usage;
    if (budget) *budget = q.budget;
    return status;
}

static uint64_t usage_of(struct proc *p, uint32_t pid)
{
    uint64_t usage = ~0ull;
    assert_int_equal(query(p, pid, VIDMM_SEGMENT_GROUP_LOCAL, &usage, NULL), STATUS_SUCCESS);
    return usage;
}

static uint64_t budget_of(struct proc *p, uint32_t pid)
{
    uint64_t budget = 0;
    assert_int_equal(query(p, pid, VIDMM_SEGMENT_GROUP_LOCAL, NULL, &budget), STATUS_SUCCESS);
    return budget;
}

static uint32_t alloc_local(struct proc *p, uint64_t size)
{
    uint32_t handle = 0;
    NTSTATUS status = core_create(p->mm, p->device, size, VIDMM_SEGMENT_GROUP_LOCAL,
                                  D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE, &handle);
    return status ? 0 : handle;
}

/* ---- children ---- */

struct pipe_pair { int to_child[2], to_parent[2]; };

static void send_byte(int fd, char c)
{
    while (write(fd, &c, 1) < 0 && errno == EINTR) ;
}

static char recv_byte(int fd)
{
    char c = 0;
    while (read(fd, &c, 1) < 0 && errno == EINTR) ;
    return c;
}

enum child_mode { CHILD_HOLD, CHILD_CHURN, CHILD_ATTACH, CHILD_RING };

/* The child: its own manager; reports 'r' when ready, then does its part. */
static pid_t fork_child(struct pipe_pair *pp, enum child_mode mode, uint64_t bytes, struct proc *parent)
{
    struct proc p;
    uint32_t slot, gen, i;
    pid_t pid;

    assert_int_equal(pipe(pp->to_child), 0);
    assert_int_equal(pipe(pp->to_parent), 0);
    if ((pid = fork())) return pid;

    /* Child: forget the parent's descriptor of the view (its locks stay the parent's). */
    if (parent) native_system_forget(&parent->ns);
    if (mode == CHILD_ATTACH) recv_byte(pp->to_child[0]);   /* all start together */
    if (proc_start(&p, mode != CHILD_ATTACH && mode != CHILD_RING)) _exit(2);
    if (vidmm_system_self(p.mm, &slot, &gen))
    {
        send_byte(pp->to_parent[1], 'f');
        _exit(3);
    }
    switch (mode)
    {
    case CHILD_HOLD:
        for (i = 0; i < bytes / (4 * MB); i++)
            if (!alloc_local(&p, 4 * MB)) _exit(4);
        send_byte(pp->to_parent[1], 'r');
        recv_byte(pp->to_child[0]);
        break;
    case CHILD_CHURN:
        send_byte(pp->to_parent[1], 'r');
        for (;;)
        {
            uint32_t h[4];
            for (i = 0; i < 4; i++) h[i] = alloc_local(&p, 4 * MB);
            for (i = 0; i < 4; i++) if (h[i]) core_destroy(p.mm, p.device, h[i]);
        }
    case CHILD_ATTACH:
        {
            char c = (char)('A' + slot);
            send_byte(pp->to_parent[1], c);
            recv_byte(pp->to_child[0]);
        }
        break;
    case CHILD_RING:
        send_byte(pp->to_parent[1], 'r');
        recv_byte(pp->to_child[0]);
        vidmm_system_ring(p.mm, ~0ull);
        recv_byte(pp->to_child[0]);
        break;
    }
    proc_stop(&p);
    _exit(0);
}

static void close_pipes(struct pipe_pair *pp)
{
    close(pp->to_child[0]);
    close(pp->to_child[1]);
    close(pp->to_parent[0]);
    close(pp->to_parent[1]);
}

static int reap_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) ;
    return status;
}

/* ---- tests ---- */

static int setup(void **state)
{
    snprintf(view_name, sizeof(view_name), "/vidmm-test-system-%d", getpid());
    native_system_unlink(view_name);
    return 0;
}

static int teardown(void **state)
{
    native_system_unlink(view_name);
    return 0;
}

static void test_layout(void **state)
{
    assert_int_equal(sizeof(struct vidmm_system_slot), 1088);
    assert_int_equal(sizeof(struct vidmm_system_adapter), 128);
    assert_int_equal(offsetof(struct vidmm_system_view, slots), 256);
    assert_int_equal(offsetof(struct vidmm_system_slot, adapters), 64);
    assert_int_equal(VIDMM_SYSTEM_VIEW_SIZE, 73728);
}

static void test_no_provider(void **state)
{
    struct native_memory *nm = native_memory_create();
    struct vidmm_memory_ops mops;
    struct vidmm *mm;
    uint32_t slot = 0, gen = 0;

    native_memory_ops(nm, &mops);
    assert_int_equal(vidmm_create(&mops, 0, &mm), STATUS_SUCCESS);
    assert_int_equal(vidmm_system_self(mm, &slot, &gen), STATUS_NOT_SUPPORTED);
    assert_int_equal(slot, ~0u);
    assert_int_equal(vidmm_system_wait(mm, 0, 10), STATUS_NOT_SUPPORTED);
    assert_int_equal(vidmm_system_alive(mm, 0, 1), 0);
    assert_int_equal(vidmm_system_live_mask(mm), 0);
    vidmm_system_ring(mm, ~0ull);   /* nothing */
    assert_int_equal(vidmm_system_set_ops(mm, NULL), STATUS_INVALID_PARAMETER);
    vidmm_destroy(mm);
    native_memory_destroy(nm);
}

/* A view of the test's own, to read what the managers wrote. */
struct own_view
{
    struct native_system ns;
    struct vidmm_system_ops sops;
    struct vidmm_system_view *view;
};

static void open_own_view(struct own_view *v)
{
    native_system_init(&v->ns, view_name);
    native_system_ops(&v->ns, &v->sops);
    v->view = v->sops.map(v->sops.ctx, VIDMM_SYSTEM_VIEW_SIZE);
    assert_non_null(v->view);
}

static void close_own_view(struct own_view *v)
{
    v->sops.unmap(v->sops.ctx, v->view, VIDMM_SYSTEM_VIEW_SIZE);
}

/* The view's live_mask. */
static uint64_t peek_live_mask(void)
{
    struct own_view v;
    uint64_t mask;

    open_own_view(&v);
    mask = __atomic_load_n(&v.view->header.live_mask[0], __ATOMIC_SEQ_CST)
           | (uint64_t)__atomic_load_n(&v.view->header.live_mask[1], __ATOMIC_SEQ_CST) << 32;
    close_own_view(&v);
    return mask;
}

static void test_two_processes(void **state)
{
    struct pipe_pair pp;
    struct proc parent;
    uint32_t slot, gen, a, i;
    pid_t pid;

    assert_int_equal(proc_start(&parent, 1), 0);
    assert_int_equal(vidmm_system_self(parent.mm, &slot, &gen), STATUS_SUCCESS);
    assert_true(slot < VIDMM_SYSTEM_SLOTS);
    assert_int_not_equal(gen, 0);
    assert_int_equal(budget_of(&parent, 0), SEGMENT);
    /* Setting the provider twice, or after an adapter opened, is refused. */
    {
        struct vidmm_system_ops sops;
        native_system_ops(&parent.ns, &sops);
        assert_int_equal(vidmm_system_set_ops(parent.mm, &sops), STATUS_INVALID_PARAMETER);
    }

    a = alloc_local(&parent, 8 * MB);
    assert_int_not_equal(a, 0);
    pid = fork_child(&pp, CHILD_HOLD, 24 * MB, &parent);
    assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
    /* The child's usage as it publishes it; budgets by the policy. */
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 24 * MB);
    assert_int_equal(budget_of(&parent, (uint32_t)pid), SEGMENT - 8 * MB);
    assert_int_equal(budget_of(&parent, 0), SEGMENT - 24 * MB);
    assert_int_equal(usage_of(&parent, 0), 8 * MB);
    /* A process that uses nothing (no slot): 0. */
    assert_int_equal(usage_of(&parent, 999999), 0);
    assert_int_equal(__builtin_popcountll(vidmm_system_live_mask(parent.mm)), 2);
    /* The slots a budget reads: the two in use. */
    assert_int_equal(peek_live_mask(), vidmm_system_live_mask(parent.mm));

    /* Killed: gone at once, the budget back. */
    kill(pid, SIGKILL);
    reap_child(pid);
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 0);
    assert_int_equal(budget_of(&parent, 0), SEGMENT);
    assert_int_equal(vidmm_system_live_mask(parent.mm), 1ull << slot);
    /* The dead one's slot was emptied: by this look, or by the watcher, which
     * may be in the middle of it (so a bounded wait). */
    for (i = 0; i < 2000 && peek_live_mask() != 1ull << slot; i++) usleep(1000);
    assert_int_equal(peek_live_mask(), 1ull << slot);
    close_pipes(&pp);
    core_destroy(parent.mm, parent.device, a);
    proc_stop(&parent);
    assert_int_equal(peek_live_mask(), 0);
}

/* A slot's generation. */
static uint32_t peek_generation(uint32_t slot)
{
    struct own_view v;
    uint32_t gen;

    open_own_view(&v);
    gen = __atomic_load_n(&v.view->slots[slot].generation, __ATOMIC_SEQ_CST);
    close_own_view(&v);
    return gen;
}

static uint64_t dead_seen;
static uint64_t rings_seen;
static void listener(void *ctx, struct vidmm *mm, uint64_t dead_mask, int rung)
{
    __atomic_fetch_or(&dead_seen, dead_mask, __ATOMIC_SEQ_CST);
    if (rung) __atomic_fetch_add(&rings_seen, 1, __ATOMIC_SEQ_CST);
}

static int wait_for(uint64_t *word, uint64_t mask, int ms)
{
    while (ms-- > 0)
    {
        if (__atomic_load_n(word, __ATOMIC_SEQ_CST) & mask) return 1;
        usleep(1000);
    }
    return 0;
}

/* Killed in the middle of its allocations, many times: never counted after,
 * never anything left locked, every death reported once to the listener. */
static void test_killed_mid_use(void **state)
{
    struct pipe_pair pp;
    struct proc parent;
    uint32_t slot, gen, round, child_slot, child_gen;
    uint64_t live;
    pid_t pid;

    assert_int_equal(proc_start(&parent, 1), 0);
    assert_int_equal(vidmm_system_listen(parent.mm, listener, NULL), STATUS_SUCCESS);
    assert_int_equal(vidmm_system_self(parent.mm, &slot, &gen), STATUS_SUCCESS);
    for (round = 0; round < 8; round++)
    {
        dead_seen = 0;
        pid = fork_child(&pp, CHILD_CHURN, 0, &parent);
        assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
        live = vidmm_system_live_mask(parent.mm) & ~(1ull << slot);
        assert_int_equal(__builtin_popcountll(live), 1);
        child_slot = __builtin_ctzll(live);
        child_gen = peek_generation(child_slot);
        assert_true(vidmm_system_alive(parent.mm, child_slot, child_gen));
        assert_false(vidmm_system_alive(parent.mm, child_slot, child_gen + 1));
        usleep(1000 * (1 + round * 3));
        kill(pid, SIGKILL);
        reap_child(pid);
        assert_false(vidmm_system_alive(parent.mm, child_slot, child_gen));
        assert_int_equal(usage_of(&parent, (uint32_t)pid), 0);
        assert_int_equal(budget_of(&parent, 0), SEGMENT);
        /* The watcher reports it (it polls every 10 ms here, every second
         * when it believes itself alone). */
        assert_true(wait_for(&dead_seen, 1ull << child_slot, 3000));
        close_pipes(&pp);
    }
    /* A new process still gets a slot and is seen. */
    pid = fork_child(&pp, CHILD_HOLD, 8 * MB, &parent);
    assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 8 * MB);
    send_byte(pp.to_child[1], 'q');
    assert_int_equal(reap_child(pid), 0);
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 0);
    close_pipes(&pp);
    proc_stop(&parent);
}

/* Many processes attach at once to a view no one made yet: one makes it,
 * each gets a slot of its own. */
static void test_init_race(void **state)
{
    enum { N = 12 };
    struct pipe_pair pp[N];
    uint64_t seen = 0;
    pid_t pids[N];
    int i;
    char c;

    for (i = 0; i < N; i++) pids[i] = fork_child(&pp[i], CHILD_ATTACH, 0, NULL);
    for (i = 0; i < N; i++) send_byte(pp[i].to_child[1], 'g');
    for (i = 0; i < N; i++)
    {
        c = recv_byte(pp[i].to_parent[0]);
        assert_true(c >= 'A' && c < 'A' + (int)VIDMM_SYSTEM_SLOTS);
        assert_false(seen & (1ull << (c - 'A')));
        seen |= 1ull << (c - 'A');
    }
    for (i = 0; i < N; i++) send_byte(pp[i].to_child[1], 'q');
    for (i = 0; i < N; i++)
    {
        assert_int_equal(reap_child(pids[i]), 0);
        close_pipes(&pp[i]);
    }
}

/* A process that died while making the header: the next one waits a while,
 * then makes it itself. */
static void test_init_abandoned(void **state)
{
    struct native_system ns;
    struct vidmm_system_ops sops;
    struct vidmm_system_view *view;
    struct proc p;
    uint32_t slot, gen;
    struct timespec t0, t1;

    native_system_init(&ns, view_name);
    native_system_ops(&ns, &sops);
    view = sops.map(sops.ctx, VIDMM_SYSTEM_VIEW_SIZE);
    assert_non_null(view);
    view->header.init_state = VIDMM_SYSTEM_INIT_BUSY;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(proc_start(&p, 0), 0);
    assert_int_equal(vidmm_system_self(p.mm, &slot, &gen), STATUS_SUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec >= 1);
    assert_int_equal(view->header.init_state, VIDMM_SYSTEM_INIT_READY);
    assert_int_equal(view->header.magic, VIDMM_SYSTEM_MAGIC);
    proc_stop(&p);
    sops.unmap(sops.ctx, view, VIDMM_SYSTEM_VIEW_SIZE);
}

/* Another version's view: the process does without. */
static void test_version_mismatch(void **state)
{
    struct native_system ns;
    struct vidmm_system_ops sops;
    struct vidmm_system_view *view;
    struct proc p;

    native_system_init(&ns, view_name);
    native_system_ops(&ns, &sops);
    view = sops.map(sops.ctx, VIDMM_SYSTEM_VIEW_SIZE);
    assert_non_null(view);
    view->header.magic = VIDMM_SYSTEM_MAGIC;
    view->header.version = VIDMM_SYSTEM_VERSION + 1;
    view->header.init_state = VIDMM_SYSTEM_INIT_READY;
    assert_int_equal(proc_start(&p, 1), 0);
    assert_int_equal(vidmm_system_self(p.mm, NULL, NULL), STATUS_NOT_SUPPORTED);
    assert_int_equal(budget_of(&p, 0), SEGMENT);
    assert_non_null((void *)(uintptr_t)alloc_local(&p, 4 * MB));
    assert_int_equal(usage_of(&p, 0), 4 * MB);
    proc_stop(&p);
    sops.unmap(sops.ctx, view, VIDMM_SYSTEM_VIEW_SIZE);
}

/* 64 slots: the 65th process is told so, and works on with its own
 * accounting; a slot given back is taken again. */
static void test_slot_exhaustion(void **state)
{
    struct proc *procs = calloc(VIDMM_SYSTEM_SLOTS + 1, sizeof(*procs));
    uint32_t i, slot, gen;
    uint64_t mask = 0;

    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++)
    {
        assert_int_equal(proc_start(&procs[i], 0), 0);
        assert_int_equal(vidmm_system_self(procs[i].mm, &slot, &gen), STATUS_SUCCESS);
        assert_false(mask & (1ull << slot));
        mask |= 1ull << slot;
    }
    assert_int_equal(mask, ~0ull);
    assert_int_equal(proc_start(&procs[i], 1), 0);
    assert_int_equal(vidmm_system_self(procs[i].mm, &slot, &gen), STATUS_INSUFFICIENT_RESOURCES);
    assert_int_equal(slot, ~0u);
    assert_int_equal(vidmm_system_wait(procs[i].mm, 0, 1), STATUS_NOT_SUPPORTED);
    /* It still works, on its own. */
    assert_int_not_equal(alloc_local(&procs[i], 4 * MB), 0);
    assert_int_equal(usage_of(&procs[i], 0), 4 * MB);
    assert_int_equal(budget_of(&procs[i], 0), SEGMENT);
    proc_stop(&procs[i]);

    proc_stop(&procs[7]);
    assert_int_equal(proc_start(&procs[7], 0), 0);
    assert_int_equal(vidmm_system_self(procs[7].mm, &slot, &gen), STATUS_SUCCESS);
    for (i = 0; i < VIDMM_SYSTEM_SLOTS; i++) proc_stop(&procs[i]);
    free(procs);
}

static void test_doorbell(void **state)
{
    struct pipe_pair pp;
    struct proc parent;
    uint32_t seen;
    pid_t pid;

    assert_int_equal(proc_start(&parent, 0), 0);
    assert_int_equal(vidmm_system_self(parent.mm, NULL, NULL), STATUS_SUCCESS);
    rings_seen = 0;
    assert_int_equal(vidmm_system_listen(parent.mm, listener, NULL), STATUS_SUCCESS);
    seen = vidmm_system_doorbell(parent.mm);
    assert_int_equal(vidmm_system_wait(parent.mm, seen, 20), STATUS_TIMEOUT);
    pid = fork_child(&pp, CHILD_RING, 0, &parent);
    assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
    seen = vidmm_system_doorbell(parent.mm);   /* the child's arrival rang it already */
    send_byte(pp.to_child[1], 'g');
    assert_int_equal(vidmm_system_wait(parent.mm, seen, 5000), STATUS_SUCCESS);
    assert_int_not_equal(vidmm_system_doorbell(parent.mm), seen);
    /* The watcher saw it too and told the listener. */
    assert_true(wait_for(&rings_seen, ~0ull, 2000));
    send_byte(pp.to_child[1], 'q');
    assert_int_equal(reap_child(pid), 0);
    close_pipes(&pp);
    proc_stop(&parent);
}

/* Wine ends a process before the kernel has closed its files: the
 * provider's answer counts even while the token is held. */
static int never_alive(struct native_system *ns, uint32_t pid)
{
    return pid == ns->pid;
}

static void test_provider_says_dead(void **state)
{
    struct pipe_pair pp;
    struct proc parent;
    pid_t pid;

    assert_int_equal(proc_start(&parent, 1), 0);
    pid = fork_child(&pp, CHILD_HOLD, 8 * MB, &parent);
    assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 8 * MB);
    parent.ns.alive = never_alive;
    assert_int_equal(usage_of(&parent, (uint32_t)pid), 0);
    assert_int_equal(budget_of(&parent, 0), SEGMENT);
    send_byte(pp.to_child[1], 'q');
    assert_int_equal(reap_child(pid), 0);
    close_pipes(&pp);
    proc_stop(&parent);
}

/* Two processes over-commit the segment: the one over its budget trims to
 * it (rung by the other, or at its watcher's next look), every byte kept. */
static void test_overcommit(void **state)
{
    struct pipe_pair pp;
    struct proc parent;
    uint32_t h[10], i, j;
    uint64_t mine = 0, child = 0;
    uint8_t *ptr;
    pid_t pid;
    int ms;

    assert_int_equal(proc_start(&parent, 1), 0);
    for (i = 0; i < 10; i++)
    {
        assert_int_not_equal(h[i] = alloc_local(&parent, 4 * MB), 0);
        assert_int_equal(core_lock(parent.mm, parent.device, h[i], 0, &ptr), STATUS_SUCCESS);
        for (j = 0; j < 4 * MB; j += 4096) ptr[j] = (uint8_t)(i * 7 + j / 4096);
        assert_int_equal(core_unlock(parent.mm, parent.device, h[i]), STATUS_SUCCESS);
    }
    assert_int_equal(usage_of(&parent, 0), 40 * MB);
    pid = fork_child(&pp, CHILD_HOLD, 40 * MB, &parent);
    assert_int_equal(recv_byte(pp.to_parent[0]), 'r');
    for (ms = 0; ms < 5000; ms += 5)
    {
        mine = usage_of(&parent, 0);
        child = usage_of(&parent, (uint32_t)pid);
        if (mine + child <= SEGMENT) break;
        usleep(5000);
    }
    assert_true(mine + child <= SEGMENT);
    assert_true(mine <= budget_of(&parent, 0));
    assert_true(child <= budget_of(&parent, (uint32_t)pid));
    for (i = 0; i < 10; i++)
    {
        assert_int_equal(core_lock(parent.mm, parent.device, h[i], 0, &ptr), STATUS_SUCCESS);
        for (j = 0; j < 4 * MB; j += 4096) assert_int_equal(ptr[j], (uint8_t)(i * 7 + j / 4096));
        assert_int_equal(core_unlock(parent.mm, parent.device, h[i]), STATUS_SUCCESS);
    }
    send_byte(pp.to_child[1], 'q');
    assert_int_equal(reap_child(pid), 0);
    close_pipes(&pp);
    proc_stop(&parent);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_no_provider),
        cmocka_unit_test_setup_teardown(test_two_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_mid_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_init_abandoned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slot_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_doorbell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provider_says_dead, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overcommit, setup, teardown),
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
