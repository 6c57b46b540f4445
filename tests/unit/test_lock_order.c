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
 * Unit tests of the lock checker of the core's test build (vidmm_mutex.h):
 * each wrong use aborts with a message; each right one does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "private/vidmm_mutex.h"

/* Runs fn in a child process; returns the signal that ended it, or 0. */
static int run_child(void (*fn)(void))
{
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (!pid)
    {
        fn();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) return WTERMSIG(status);
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

static struct vidmm_mutex objects, gpu, table, allocs[2];

static void init_all(void)
{
    vidmm_mutex_init(&objects, VIDMM_RANK_OBJECTS);
    vidmm_mutex_init(&gpu, VIDMM_RANK_GPU);
    vidmm_mutex_init(&table, VIDMM_RANK_TABLE);
    vidmm_mutex_init(&allocs[0], VIDMM_RANK_ALLOC);
    vidmm_mutex_init(&allocs[1], VIDMM_RANK_ALLOC);
}

static void in_order(void)
{
    init_all();
    vidmm_mutex_lock(&objects);
    vidmm_mutex_lock(&gpu);
    vidmm_assert_held(&gpu);
    vidmm_mutex_lock(&allocs[0]);
    vidmm_mutex_lock(&allocs[1]);   /* several allocation locks, increasing addresses */
    vidmm_mutex_lock(&table);
    vidmm_mutex_unlock(&table);
    vidmm_mutex_unlock(&allocs[0]);
    vidmm_mutex_unlock(&allocs[1]);
    vidmm_mutex_unlock(&gpu);
    vidmm_mutex_unlock(&objects);
    vidmm_mutex_lock(&gpu);          /* and again after everything was let go */
    vidmm_mutex_unlock(&gpu);
}

static void outer_inside_inner(void)
{
    init_all();
    vidmm_mutex_lock(&gpu);
    vidmm_mutex_lock(&objects);
}

static void table_then_alloc(void)
{
    init_all();
    vidmm_mutex_lock(&table);
    vidmm_mutex_lock(&allocs[0]);
}

static void allocs_decreasing(void)
{
    init_all();
    vidmm_mutex_lock(&allocs[1]);
    vidmm_mutex_lock(&allocs[0]);
}

static void same_twice(void)
{
    init_all();
    vidmm_mutex_lock(&gpu);
    vidmm_mutex_lock(&gpu);
}

static void not_held(void)
{
    init_all();
    vidmm_mutex_lock(&objects);
    vidmm_assert_held(&gpu);
}

static void held_by_other(void)
{
    init_all();
    vidmm_mutex_unlock(&gpu);
}

static void test_right_order_passes(void **state)
{
    assert_int_equal(run_child(in_order), 0);
}

static void test_wrong_order_aborts(void **state)
{
    assert_int_equal(run_child(outer_inside_inner), SIGABRT);
    assert_int_equal(run_child(table_then_alloc), SIGABRT);
    assert_int_equal(run_child(allocs_decreasing), SIGABRT);
    assert_int_equal(run_child(same_twice), SIGABRT);
}

static void test_missing_lock_aborts(void **state)
{
    assert_int_equal(run_child(not_held), SIGABRT);
    assert_int_equal(run_child(held_by_other), SIGABRT);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_right_order_passes),
        cmocka_unit_test(test_wrong_order_aborts),
        cmocka_unit_test(test_missing_lock_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
