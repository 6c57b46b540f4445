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
 * Unit tests of the slab (vidmm_slab.h) and of the allocation store's
 * index-linked lists (alloc_store.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "vidmm_private.h"

#define ITEM 40u
#define BITS 3u   /* 8 items a chunk: every few allocations cross into a new one */

struct item
{
    uint32_t index;
    uint32_t tag;
    uint8_t fill[ITEM - 8];
};

static int setup(void **state)
{
    struct vidmm_slab *slab = malloc(sizeof(*slab));

    if (!slab) return -1;
    vidmm_slab_init(slab, sizeof(struct item), BITS);
    *state = slab;
    return 0;
}

static int teardown(void **state)
{
    vidmm_alloc_fail_after(-1, 0);
    vidmm_slab_cleanup(*state);
    free(*state);
    return 0;
}

static int all_zero(const void *p, size_t size)
{
    const uint8_t *b = p;

    while (size--) if (*b++) return 0;
    return 1;
}

static struct item *alloc_ok(struct vidmm_slab *slab)
{
    uint32_t index = 0;
    struct item *it = vidmm_slab_alloc(slab, &index);

    assert_non_null(it);
    assert_int_not_equal(index, 0);
    assert_ptr_equal(vidmm_slab_item(slab, index), it);
    assert_true(all_zero(it, sizeof(*it)));
    it->index = index;
    it->tag = index * 2654435761u;
    memset(it->fill, (int)(index & 0xff), sizeof(it->fill));
    return it;
}

/* Nothing another item wrote reached this one. */
static void check_item(const struct vidmm_slab *slab, const struct item *it)
{
    uint8_t want[sizeof(it->fill)];

    assert_ptr_equal(vidmm_slab_item(slab, it->index), it);
    assert_int_equal(it->tag, it->index * 2654435761u);
    memset(want, (int)(it->index & 0xff), sizeof(want));
    assert_memory_equal(it->fill, want, sizeof(want));
}

static void test_items_are_distinct(void **state)
{
    struct vidmm_slab *slab = *state;
    struct item *items[100];
    uint32_t i, j;

    for (i = 0; i < 100; i++) items[i] = alloc_ok(slab);
    for (i = 0; i < 100; i++)
    {
        check_item(slab, items[i]);
        for (j = 0; j < i; j++) assert_int_not_equal(items[i]->index, items[j]->index);
    }
    assert_int_equal(vidmm_slab_live(slab), 100);
    /* Index 0 names nothing: 101 indices, in ceil(101 / 8) chunks. */
    assert_int_equal(vidmm_slab_bytes(slab), 13 * 8 * sizeof(struct item));
    for (i = 0; i < 100; i++) vidmm_slab_free(slab, items[i]->index);
    assert_int_equal(vidmm_slab_live(slab), 0);
}

static void test_freed_index_comes_back(void **state)
{
    struct vidmm_slab *slab = *state;
    struct item *a = alloc_ok(slab), *b = alloc_ok(slab), *c;
    uint32_t index = a->index;

    vidmm_slab_free(slab, index);
    c = alloc_ok(slab);          /* zeroed again, the same place */
    assert_int_equal(c->index, index);
    check_item(slab, b);
    vidmm_slab_free(slab, b->index);
    vidmm_slab_free(slab, c->index);
}

/* Empty again: the chunks but the first go, and numbering starts over. */
static void test_empty_slab_gives_back_chunks(void **state)
{
    struct vidmm_slab *slab = *state;
    struct item *items[50];
    uint32_t i;

    for (i = 0; i < 50; i++) items[i] = alloc_ok(slab);
    for (i = 0; i < 50; i += 2) vidmm_slab_free(slab, items[i]->index);
    for (i = 1; i < 50; i += 2) check_item(slab, items[i]);
    for (i = 1; i < 50; i += 2) vidmm_slab_free(slab, items[i]->index);
    assert_int_equal(vidmm_slab_bytes(slab), 8 * sizeof(struct item));
    assert_int_equal(alloc_ok(slab)->index, 1);
    vidmm_slab_free(slab, 1);
}

/* Out of indices is a NULL, not a wrap; a free makes room again. */
static void test_out_of_indices(void **state)
{
    struct vidmm_slab *slab = *state;
    uint32_t max = VIDMM_SLAB_MAX_CHUNKS - 1, i, index;
    struct item *it;

    vidmm_slab_cleanup(slab);
    vidmm_slab_init(slab, sizeof(struct item), 0);   /* one item a chunk */
    for (i = 0; i < max; i++) alloc_ok(slab);
    assert_null(vidmm_slab_alloc(slab, &index));
    assert_int_equal(vidmm_slab_live(slab), max);
    vidmm_slab_free(slab, 77);
    it = alloc_ok(slab);
    assert_int_equal(it->index, 77);
    for (i = 1; i <= max; i++) vidmm_slab_free(slab, i);
    assert_int_equal(vidmm_slab_live(slab), 0);
}

/* A failed chunk allocation at any point: NULL, nothing else changes, and
 * the next try works (ASan's leak check sees what cleanup misses). */
static void test_fault_at_every_chunk(void **state)
{
    struct vidmm_slab *slab = *state;
    struct item *items[40];
    uint32_t n, i, index;
    long k;

    for (k = 0; k < 8; k++)
    {
        vidmm_alloc_fail_after(k, 0);
        for (n = 0; n < 40 && (items[n] = vidmm_slab_alloc(slab, &index)); n++)
        {
            items[n]->index = index;
            items[n]->tag = index * 2654435761u;
            memset(items[n]->fill, (int)(index & 0xff), sizeof(items[n]->fill));
        }
        vidmm_alloc_fail_after(-1, 0);
        if (n < 40)
        {
            /* Only a new chunk allocates: the failure came at a chunk's
             * start (index n + 1; the first chunk is kept once made). */
            assert_int_equal(vidmm_slab_live(slab), n);
            assert_true(n == 0 || (n + 1) % 8 == 0);
            items[n] = alloc_ok(slab);
            n++;
        }
        for (i = 0; i < n; i++) check_item(slab, items[i]);
        assert_int_equal(vidmm_slab_live(slab), n);
        for (i = 0; i < n; i++) vidmm_slab_free(slab, items[i]->index);
        assert_int_equal(vidmm_slab_live(slab), 0);
    }
}

#define THREADS 4
#define ROUNDS  20000

static void *churn(void *arg)
{
    struct vidmm_slab *slab = arg;
    struct item *held[16] = {0};
    uint32_t i, r, seed = (uint32_t)(uintptr_t)&held;
    long bad = 0;

    for (r = 0; r < ROUNDS; r++)
    {
        seed = seed * 1103515245u + 12345u;
        i = (seed >> 16) % 16;
        if (held[i])
        {
            if (held[i]->tag != held[i]->index * 2654435761u) bad++;
            vidmm_slab_free(slab, held[i]->index);
            held[i] = NULL;
        }
        else
        {
            uint32_t index;
            if (!(held[i] = vidmm_slab_alloc(slab, &index))) { bad++; continue; }
            held[i]->index = index;
            held[i]->tag = index * 2654435761u;
        }
    }
    for (i = 0; i < 16; i++) if (held[i]) vidmm_slab_free(slab, held[i]->index);
    return (void *)bad;
}

/* Threads allocating and freeing at once never share an item. */
static void test_threads(void **state)
{
    struct vidmm_slab *slab = *state;
    pthread_t t[THREADS];
    void *bad;
    int i;

    for (i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, churn, slab), 0);
    for (i = 0; i < THREADS; i++)
    {
        assert_int_equal(pthread_join(t[i], &bad), 0);
        assert_null(bad);
    }
    assert_int_equal(vidmm_slab_live(slab), 0);
}

/* The allocation store: lists linked by index, the two kinds apart. */
static void test_index_lists(void **state)
{
    struct vidmm_alloc_store store;
    struct vidmm_allocation *a[6], *it;
    struct vidmm_ilist list, other;
    uint32_t order[6], n, i;

    (void)state;
    alloc_store_init(&store);
    ilist_init(&list);
    for (i = 0; i < 6; i++)
    {
        assert_non_null(a[i] = alloc_store_new(&store, i & 1));
        assert_int_equal(a[i]->extended, i & 1);
        assert_int_equal(!!(a[i]->self & VIDMM_ALLOC_INDEX_EXT), i & 1);
        assert_false(ilink_linked(&a[i]->entry));
        assert_false(ilink_linked(&a[i]->lru));
        assert_false(ilink_linked(&a[i]->job));
        ilist_add_tail(&store, &list, a[i], ALLOC_LRU);
        assert_true(ilink_linked(&a[i]->lru));
    }
    /* A middle one, the first and the last. */
    ilist_remove(&store, &list, a[2], ALLOC_LRU);
    ilist_remove(&store, &list, a[0], ALLOC_LRU);
    ilist_remove(&store, &list, a[5], ALLOC_LRU);
    ilist_remove(&store, &list, a[5], ALLOC_LRU);   /* not in it: nothing happens */
    assert_false(ilink_linked(&a[2]->lru));
    for (n = 0, it = ilist_first(&store, &list); it; it = ilist_next(&store, it, ALLOC_LRU)) order[n++] = it->self;
    assert_int_equal(n, 3);
    assert_int_equal(order[0], a[1]->self);
    assert_int_equal(order[1], a[3]->self);
    assert_int_equal(order[2], a[4]->self);
    /* Another list through another link of the same objects. */
    ilist_init(&other);
    ilist_add_tail(&store, &other, a[3], ALLOC_JOB);
    ilist_add_tail(&store, &other, a[0], ALLOC_JOB);
    ilist_add_tail(&store, &list, a[0], ALLOC_LRU);
    assert_ptr_equal(ilist_next(&store, a[4], ALLOC_LRU), a[0]);
    assert_null(ilist_next(&store, a[0], ALLOC_LRU));
    assert_ptr_equal(ilist_first(&store, &other), a[3]);
    assert_ptr_equal(ilist_next(&store, a[3], ALLOC_JOB), a[0]);
    while ((it = ilist_first(&store, &list))) ilist_remove(&store, &list, it, ALLOC_LRU);
    assert_true(ilist_empty(&list));
    assert_ptr_equal(ilist_next(&store, a[3], ALLOC_JOB), a[0]);
    ilist_remove(&store, &other, a[3], ALLOC_JOB);
    ilist_remove(&store, &other, a[0], ALLOC_JOB);
    assert_true(ilist_empty(&other));
    assert_int_equal(alloc_store_live(&store), 6);
    for (i = 0; i < 6; i++) alloc_store_free(&store, a[i]);
    assert_int_equal(alloc_store_live(&store), 0);
    alloc_store_cleanup(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_items_are_distinct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freed_index_comes_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_slab_gives_back_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_indices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_at_every_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test(test_index_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
