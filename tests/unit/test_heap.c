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
 * Unit tests of the system-memory heap (vidmm_heap.h), on the mmap memory
 * ops, with failure injection at every allocation point: the bookkeeping
 * (vidmm_alloc), the reserve and the commit of the memory ops.  Built with
 * AddressSanitizer, so a leak on any failure path fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private/vidmm_heap.h"
#include "private/vidmm_alloc.h"
#include "native_memory.h"

#define KB 1024ull
#define ARENA (1024 * KB)
#define DEDICATED (256 * KB)

struct fx
{
    struct native_memory *nm;
    struct vidmm_memory_ops ops;
    struct vidmm_heap heap;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || !(f->nm = native_memory_create())) return -1;
    native_memory_ops(f->nm, &f->ops);
    heap_init(&f->heap, &f->ops, ARENA, DEDICATED);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;

    heap_cleanup(&f->heap);
    native_memory_get_counters(f->nm, &c);
    native_memory_destroy(f->nm);
    free(f);
    return c.reservations || c.committed_bytes || c.errors ? -1 : 0;
}

/* Everything a failed heap_alloc must leave as it was. */
struct snap
{
    uint32_t arenas, dedicated, blocks;
    uint64_t allocated, free_pages, page_free;
    const void *spare, *first, *page_spare, *page_first;
    long reservations;
    uint64_t committed;
};

static void take_snap(struct fx *f, struct snap *s)
{
    struct native_memory_counters c;
    const struct vidmm_heap_arena *a;

    memset(s, 0, sizeof(*s));
    assert_int_equal(heap_check(&f->heap), 0);
    s->arenas = f->heap.arena_count;
    s->dedicated = f->heap.dedicated_count;
    s->allocated = f->heap.allocated;
    s->spare = f->heap.spare;
    s->first = f->heap.arenas;
    for (a = f->heap.arenas; a; a = a->next)
    {
        s->blocks += a->ra.used_blocks + a->ra.free_blocks;
        s->free_pages += a->ra.free_pages;
    }
    s->page_spare = f->heap.page_spare;
    s->page_first = f->heap.page_arenas;
    for (a = f->heap.page_arenas; a; a = a->next) s->page_free += a->pages_free;
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.errors, 0);
    s->reservations = c.reservations;
    s->committed = c.committed_bytes;
}

static void assert_unchanged(struct fx *f, const struct snap *before)
{
    struct snap now;

    take_snap(f, &now);
    assert_memory_equal(&now, before, sizeof(now));
}

static int all_zero(const uint8_t *p, uint64_t size)
{
    uint64_t i;
    for (i = 0; i < size; i++) if (p[i]) return 0;
    return 1;
}

struct live { void *ptr; uint64_t size; struct vidmm_heap_ref ref; };

static void *alloc_ok(struct fx *f, uint64_t size, struct live *l)
{
    int no_memory = -1;

    l->size = size;
    l->ptr = heap_alloc(&f->heap, size, &l->ref, &no_memory);
    assert_non_null(l->ptr);
    assert_int_equal(no_memory, 0);
    assert_true(native_memory_is_committed(f->nm, l->ptr, size));
    /* The ref alone gives the address back (owners keep only the ref). */
    assert_ptr_equal(heap_ref_address(&l->ref), l->ptr);
    assert_int_equal(heap_check(&f->heap), 0);
    return l->ptr;
}

static void free_ok(struct fx *f, struct live *l)
{
    heap_free(&f->heap, l->ptr, l->size, &l->ref);
    assert_int_equal(heap_check(&f->heap), 0);
}

/* ---- layout ---- */

static void test_small_share_arenas(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;
    struct live l[600];
    unsigned int i, kind;

    /* 300 allocations of 2 pages (range arenas), then 600 of one (page
     * arenas): three arenas each time, not 300 or 600 reservations. */
    for (kind = 0; kind < 2; kind++)
    {
        uint64_t size = kind ? 4 * KB : 8 * KB;
        unsigned int n = kind ? 600 : 300;

        for (i = 0; i < n; i++) alloc_ok(f, size, &l[i]);
        native_memory_get_counters(f->nm, &c);
        assert_int_equal(c.reservations, 3 + kind);   /* and the range arenas' spare */
        assert_int_equal(f->heap.arena_count, 3 + kind);
        assert_int_equal(f->heap.allocated, n * size);
        for (i = 0; i < n; i++) assert_int_equal(native_memory_reservation_size(f->nm, l[i].ptr), ARENA);
        assert_true(kind ? l[0].ref.arena->bits != NULL : l[0].ref.arena->bits == NULL);
        /* Emptied arenas go back, but one of each kind is kept as the spare. */
        for (i = 0; i < n; i++) free_ok(f, &l[i]);
        native_memory_get_counters(f->nm, &c);
        assert_int_equal(c.reservations, 1 + kind);
        assert_non_null(kind ? f->heap.page_spare : f->heap.spare);
        assert_int_equal(f->heap.allocated, 0);
        /* The spare serves the next allocation without a reservation. */
        alloc_ok(f, size, &l[0]);
        native_memory_get_counters(f->nm, &c);
        assert_int_equal(c.reservations, 1 + kind);
        assert_null(kind ? f->heap.page_spare : f->heap.spare);
        free_ok(f, &l[0]);
    }
}

static void test_dedicated_regions(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;
    struct live a, b;

    alloc_ok(f, DEDICATED, &a);
    alloc_ok(f, 4 * ARENA, &b);   /* larger than an arena */
    assert_true(heap_ref_dedicated(&a.ref));
    assert_int_equal(native_memory_reservation_size(f->nm, a.ptr), DEDICATED);
    assert_int_equal(native_memory_reservation_size(f->nm, b.ptr), 4 * ARENA);
    assert_int_equal(f->heap.dedicated_count, 2);
    assert_int_equal(f->heap.arena_count, 0);
    free_ok(f, &a);
    free_ok(f, &b);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 0);   /* released at once, no spare */
}

/* A freed block keeps its content and its pages (no fault for the next
 * owner); heap_clear zeroes a range: reset when large, memset when small. */
static void test_freed_pages_kept(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters before, after;
    struct live keep, small, large;
    int no_memory;

    alloc_ok(f, 8 * KB, &keep);   /* keeps the arena alive */
    memset(alloc_ok(f, 8 * KB, &small), 0x5a, 8 * KB);
    native_memory_get_counters(f->nm, &before);
    free_ok(f, &small);
    large.size = VIDMM_HEAP_RESET_MIN;
    assert_non_null(large.ptr = heap_alloc(&f->heap, large.size, &large.ref, &no_memory));
    assert_true(large.ptr == small.ptr);   /* the same pages again, as left */
    assert_int_equal(((uint8_t *)large.ptr)[8 * KB - 1], 0x5a);
    native_memory_get_counters(f->nm, &after);
    assert_int_equal(after.reset_calls, before.reset_calls);
    heap_clear(&f->ops, large.ptr, 8 * KB);   /* small: memset */
    native_memory_get_counters(f->nm, &after);
    assert_int_equal(after.reset_calls, before.reset_calls);
    assert_true(all_zero(large.ptr, 8 * KB));
    memset(large.ptr, 0xa5, large.size);
    heap_clear(&f->ops, large.ptr, large.size);   /* large: reset */
    native_memory_get_counters(f->nm, &after);
    assert_int_equal(after.reset_calls, before.reset_calls + 1);
    assert_true(all_zero(large.ptr, large.size));
    assert_true(native_memory_is_committed(f->nm, large.ptr, large.size));
    free_ok(f, &large);
    free_ok(f, &keep);
}

/* Fresh ranges (never handed out: they read zero with no clear): the first
 * use of an arena, a dedicated region, and an emptied spare arena (reset). */
static void test_fresh_ranges(void **state)
{
    struct fx *f = *state;
    struct live a, b, big;

    alloc_ok(f, 8 * KB, &a);
    assert_true(heap_ref_fresh(&a.ref));
    alloc_ok(f, VIDMM_HEAP_DEDICATED_MIN, &big);
    assert_true(heap_ref_fresh(&big.ref));
    alloc_ok(f, 8 * KB, &b);
    assert_true(heap_ref_fresh(&b.ref));
    memset(a.ptr, 0x5a, 8 * KB);
    free_ok(f, &a);
    alloc_ok(f, 8 * KB, &a);             /* a's old pages, b keeps the arena */
    assert_false(heap_ref_fresh(&a.ref));
    free_ok(f, &a);
    free_ok(f, &b);                      /* empty: the spare, reset to zero */
    alloc_ok(f, 16 * KB, &a);
    assert_true(heap_ref_fresh(&a.ref));
    assert_true(all_zero(a.ptr, 16 * KB));
    free_ok(f, &a);
    free_ok(f, &big);
    /* Single pages, from a page arena: the same rules. */
    alloc_ok(f, 4 * KB, &a);
    alloc_ok(f, 4 * KB, &b);
    assert_true(heap_ref_fresh(&a.ref) && heap_ref_fresh(&b.ref));
    memset(a.ptr, 0x5a, 4 * KB);
    free_ok(f, &a);
    alloc_ok(f, 4 * KB, &a);             /* the page freed last: used */
    assert_false(heap_ref_fresh(&a.ref));
    free_ok(f, &a);
    free_ok(f, &b);                      /* empty: the page spare, reset */
    alloc_ok(f, 4 * KB, &a);
    assert_true(heap_ref_fresh(&a.ref));
    assert_true(all_zero(a.ptr, 4 * KB));
    free_ok(f, &a);
}

/* A fragmented arena: the request does not fit though enough pages are free. */
static void test_fragmented(void **state)
{
    struct fx *f = *state;
    struct live l[128], big;
    unsigned int i;

    for (i = 0; i < 128; i++) alloc_ok(f, 8 * KB, &l[i]);
    for (i = 0; i < 128; i += 2) free_ok(f, &l[i]);
    assert_int_equal(f->heap.arena_count, 1);
    alloc_ok(f, 16 * KB, &big);   /* 128 free pages, none four in a row */
    assert_int_equal(f->heap.arena_count, 2);
    free_ok(f, &big);
    for (i = 1; i < 128; i += 2) free_ok(f, &l[i]);
}

/* ---- failure injection ---- */

enum scene { SCENE_EMPTY, SCENE_SPARE, SCENE_SPLIT, SCENE_EXACT, SCENE_FULL, SCENE_COUNT };

/* Sets the heap up so that the next allocation of `unit` bytes (8 KiB: a
 * range arena; 4 KiB: a page arena) takes a given path. */
static void make_scene(struct fx *f, enum scene scene, uint64_t unit, struct live *l, unsigned int *count)
{
    struct live tmp;
    unsigned int i;

    *count = 0;
    switch (scene)
    {
    case SCENE_EMPTY: break;   /* needs a new arena */
    case SCENE_SPARE:          /* the spare arena, which is whole */
        alloc_ok(f, unit, &tmp);
        free_ok(f, &tmp);
        break;
    case SCENE_SPLIT:          /* a 2-page hole: split */
    case SCENE_EXACT:          /* a 1-page hole: an exact fit, no split */
        for (i = 0; i < 3; i++) alloc_ok(f, i == 1 && scene == SCENE_SPLIT ? 2 * unit : unit, &l[(*count)++]);
        free_ok(f, &l[1]);
        l[1] = l[--*count];
        break;
    case SCENE_FULL:           /* every arena full: a new one */
        for (i = 0; i < ARENA / unit; i++) alloc_ok(f, unit, &l[(*count)++]);
        break;
    case SCENE_COUNT: break;
    }
}

typedef void (*arm_fn)(struct fx *f, long n);

static void arm_bookkeeping(struct fx *f, long n) { vidmm_alloc_fail_after(n, 0); }
static void arm_reserve(struct fx *f, long n) { native_memory_fail_reserve_after(f->nm, n, 0); }
static void arm_commit(struct fx *f, long n) { native_memory_fail_commit_after(f->nm, n, 0); }

/* The nth allocation point fails, n = 0, 1, ... until the call succeeds: each
 * failure leaves the heap and the memory ops exactly as they were. */
static int fail_every_point(struct fx *f, arm_fn arm, uint64_t size, int expect_no_memory)
{
    struct snap before;
    struct live l;
    int no_memory;
    long n;

    for (n = 0; ; n++)
    {
        take_snap(f, &before);
        arm(f, n);
        l.ptr = heap_alloc(&f->heap, size, &l.ref, &no_memory);
        arm(f, -1);
        if (l.ptr) break;
        assert_int_equal(no_memory, expect_no_memory);
        assert_unchanged(f, &before);
        assert_true(n < 50);
    }
    l.size = size;
    free_ok(f, &l);
    return (int)n;
}

/* Points of each kind an 8 KiB (s = 0), a dedicated (s = 1) or a single-page
 * (s = 2) allocation has in a scene. */
static int expected_points(int kind, unsigned int s, int scene)
{
    int new_arena = s == 1 || scene == SCENE_EMPTY || scene == SCENE_FULL;

    if (kind) return new_arena;   /* reserve, commit: one each for a new region */
    if (s == 1) return 1;         /* bookkeeping: the region's struct */
    if (s == 2) return new_arena ? 2 : 0;   /* a page arena's struct and bits; a page needs nothing */
    /* A new range arena's struct and range allocator, and a split node. */
    if (new_arena) return 3;
    return scene == SCENE_EXACT ? 0 : 1;
}

static void test_failure_at_every_point(void **state)
{
    static const uint64_t sizes[] = { 8 * KB, DEDICATED, 4 * KB };
    static const arm_fn arms[] = { arm_bookkeeping, arm_reserve, arm_commit };
    struct fx *f = *state;
    struct live l[ARENA / (4 * KB)];
    unsigned int count, i, s, kind;
    int scene;

    for (s = 0; s < 3; s++)
        for (scene = 0; scene < SCENE_COUNT; scene++)
            for (kind = 0; kind < 3; kind++)
            {
                make_scene(f, scene, s == 2 ? 4 * KB : 8 * KB, l, &count);
                assert_int_equal(fail_every_point(f, arms[kind], sizes[s], !kind), expected_points(kind, s, scene));
                for (i = 0; i < count; i++) free_ok(f, &l[i]);
                heap_cleanup(&f->heap);
            }
}

/* Freeing allocates nothing: it works with every allocation failing. */
static void test_free_needs_no_memory(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;
    struct live l[300];
    unsigned int i;

    for (i = 0; i < 300; i++) alloc_ok(f, (1 + i % 3) * 4 * KB, &l[i]);
    vidmm_alloc_fail_after(0, 1);
    native_memory_fail_reserve_after(f->nm, 0, 1);
    native_memory_fail_commit_after(f->nm, 0, 1);
    for (i = 0; i < 300; i += 2) free_ok(f, &l[i]);
    for (i = 1; i < 300; i += 2) free_ok(f, &l[i]);
    vidmm_alloc_fail_after(-1, 0);
    native_memory_fail_reserve_after(f->nm, -1, 0);
    native_memory_fail_commit_after(f->nm, -1, 0);
    assert_int_equal(f->heap.allocated, 0);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.reservations, 2);   /* the spares: a range arena and a page arena */
}

/* ---- the move op of the mmap provider ---- */

static void test_move_pages(void **state)
{
    struct fx *f = *state;
    struct native_memory_counters c;
    struct live a, b;
    uint64_t i;

    memset(alloc_ok(f, DEDICATED, &a), 0x3c, DEDICATED);
    alloc_ok(f, DEDICATED, &b);
    assert_int_equal(f->ops.move(f->ops.ctx, b.ptr, a.ptr, DEDICATED), 0);
    for (i = 0; i < DEDICATED; i += 512) assert_int_equal(((uint8_t *)b.ptr)[i], 0x3c);
    assert_true(all_zero(a.ptr, DEDICATED));
    assert_true(native_memory_is_committed(f->nm, a.ptr, DEDICATED));
    memset(a.ptr, 1, DEDICATED);   /* still read/write */
    native_memory_fail_move_after(f->nm, 0);
    assert_int_equal(f->ops.move(f->ops.ctx, b.ptr, a.ptr, DEDICATED), -1);
    assert_int_equal(((uint8_t *)b.ptr)[0], 0x3c);   /* a failed move changes nothing */
    free_ok(f, &a);
    free_ok(f, &b);
    native_memory_get_counters(f->nm, &c);
    assert_int_equal(c.errors, 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_small_share_arenas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dedicated_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freed_pages_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fresh_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fragmented, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_at_every_point, setup, teardown),
        cmocka_unit_test_setup_teardown(test_free_needs_no_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_pages, setup, teardown),
    };

    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
