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
 * Unit tests of the TLSF range allocator (range_alloc.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "private/range_alloc.h"
#include "private/vidmm_alloc.h"

/* ---- helpers ---- */

#define CHECK(ra) assert_int_equal(range_alloc_check(ra), 0)

static struct range_block *alloc_ok(struct range_allocator *ra, uint64_t pages, uint64_t align)
{
    struct range_block *block;
    int no_memory = -1;

    block = range_alloc(ra, pages, align, &no_memory);
    assert_non_null(block);
    assert_int_equal(no_memory, 0);
    assert_int_equal(block->size, pages);
    assert_false(block->free);
    if (align > 1) assert_int_equal(block->offset % align, 0);
    CHECK(ra);
    return block;
}

static void alloc_fails(struct range_allocator *ra, uint64_t pages, uint64_t align)
{
    int no_memory = -1;

    assert_null(range_alloc(ra, pages, align, &no_memory));
    assert_int_equal(no_memory, 0);
    CHECK(ra);
}

static void free_ok(struct range_allocator *ra, struct range_block *block)
{
    range_free(ra, block);
    CHECK(ra);
}

/* Everything freed: one free block spanning the whole range. */
static void assert_pristine(const struct range_allocator *ra)
{
    CHECK(ra);
    assert_int_equal(ra->free_pages, ra->size);
    assert_int_equal(ra->used_blocks, 0);
    assert_int_equal(ra->free_blocks, 1);
    assert_non_null(ra->first);
    assert_null(ra->first->next_phys);
    assert_int_equal(ra->first->offset, 0);
    assert_int_equal(ra->first->size, ra->size);
    assert_int_equal(range_alloc_largest_free(ra), ra->size);
}

/* Deterministic PRNG (xorshift64*), so failures reproduce. */
static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static void shuffle(struct range_block **blocks, size_t count)
{
    size_t i;

    for (i = count; i > 1; i--)
    {
        size_t j = rng() % i;
        struct range_block *tmp = blocks[i - 1];
        blocks[i - 1] = blocks[j];
        blocks[j] = tmp;
    }
}

/* ---- tests ---- */

static void test_init_empty(void **state)
{
    struct range_allocator ra;
    int no_memory = -1;

    assert_int_equal(range_alloc_init(&ra, 0), 0);
    CHECK(&ra);
    assert_int_equal(ra.free_pages, 0);
    assert_int_equal(range_alloc_largest_free(&ra), 0);
    assert_null(range_alloc(&ra, 1, 1, &no_memory));
    assert_int_equal(no_memory, 0);
    range_alloc_cleanup(&ra);

    assert_int_equal(range_alloc_init(&ra, 1000), 0);
    assert_pristine(&ra);
    /* Zero pages and more than is free fail without a trace. */
    alloc_fails(&ra, 0, 1);
    alloc_fails(&ra, 1001, 1);
    alloc_fails(&ra, UINT64_MAX, 1);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

/* A block is fresh when no page of it was handed out before: below the
 * high-water mark never, above it always; forgetting needs an empty allocator. */
static void test_fresh_blocks(void **state)
{
    struct range_allocator ra;
    struct range_block *a, *b, *c, *d;
    int no_memory;

    assert_int_equal(range_alloc_init(&ra, 64), 0);
    assert_non_null(a = range_alloc(&ra, 4, 1, &no_memory));
    assert_non_null(b = range_alloc(&ra, 4, 8, &no_memory));   /* aligned: skips pages, still fresh */
    assert_true(a->fresh && b->fresh);
    range_free(&ra, a);
    assert_non_null(c = range_alloc(&ra, 2, 1, &no_memory));   /* a's pages again */
    assert_true(c->offset < b->offset);
    assert_false(c->fresh);
    range_free(&ra, b);
    assert_non_null(d = range_alloc(&ra, 40, 1, &no_memory));  /* over b's old pages */
    assert_false(d->fresh);
    range_alloc_forget_use(&ra);                                /* not empty: nothing changes */
    assert_non_null(a = range_alloc(&ra, 4, 1, &no_memory));   /* the only free pages, above the mark */
    assert_int_equal(a->offset, d->offset + d->size);
    assert_true(a->fresh);
    range_free(&ra, a);
    assert_non_null(a = range_alloc(&ra, 4, 1, &no_memory));   /* the same pages: used now */
    assert_false(a->fresh);
    range_free(&ra, a);
    range_free(&ra, d);
    range_free(&ra, c);
    range_alloc_forget_use(&ra);
    assert_non_null(a = range_alloc(&ra, 64, 1, &no_memory));
    assert_true(a->fresh);
    range_free(&ra, a);
    CHECK(&ra);
    range_alloc_cleanup(&ra);
}

static void test_simple_patterns(void **state)
{
    struct range_allocator ra;
    struct range_block *a, *b, *c, *d;

    assert_int_equal(range_alloc_init(&ra, 256), 0);
    a = alloc_ok(&ra, 10, 1);
    b = alloc_ok(&ra, 20, 0);   /* 0 means no alignment */
    c = alloc_ok(&ra, 30, 1);
    assert_int_equal(a->offset, 0);   /* the first allocation takes the start */
    assert_int_equal(ra.free_pages, 256 - 60);
    assert_int_equal(ra.used_blocks, 3);

    /* No two used ranges overlap. */
    assert_true(a->offset + a->size <= b->offset || b->offset + b->size <= a->offset);
    assert_true(b->offset + b->size <= c->offset || c->offset + c->size <= b->offset);
    assert_true(a->offset + a->size <= c->offset || c->offset + c->size <= a->offset);

    /* Freeing the middle leaves a hole that a same-size request reuses. */
    free_ok(&ra, b);
    assert_int_equal(ra.free_pages, 256 - 40);
    d = alloc_ok(&ra, 20, 1);
    assert_int_equal(ra.free_pages, 256 - 60);
    free_ok(&ra, a);
    free_ok(&ra, d);
    free_ok(&ra, c);
    assert_pristine(&ra);

    /* Free in allocation order and reverse order. */
    a = alloc_ok(&ra, 1, 1);
    b = alloc_ok(&ra, 1, 1);
    c = alloc_ok(&ra, 1, 1);
    free_ok(&ra, a);
    free_ok(&ra, b);
    free_ok(&ra, c);
    assert_pristine(&ra);
    a = alloc_ok(&ra, 100, 1);
    b = alloc_ok(&ra, 100, 1);
    c = alloc_ok(&ra, 56, 1);
    assert_int_equal(ra.free_pages, 0);
    free_ok(&ra, c);
    free_ok(&ra, b);
    free_ok(&ra, a);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

static void test_alignment(void **state)
{
    struct range_allocator ra;
    struct range_block *blocks[64];
    uint64_t align;
    size_t n = 0, i;

    assert_int_equal(range_alloc_init(&ra, 1 << 16), 0);
    /* Misalign the free space, then ask for every alignment up to 4096 pages. */
    for (align = 1; align <= 4096; align <<= 1)
    {
        blocks[n++] = alloc_ok(&ra, 1 + align % 7, 1);
        blocks[n++] = alloc_ok(&ra, 3, align);
        blocks[n++] = alloc_ok(&ra, align, align);
    }
    for (i = 0; i < n; i++) free_ok(&ra, blocks[i]);
    assert_pristine(&ra);

    /* An aligned request that exactly fits the whole range. */
    blocks[0] = alloc_ok(&ra, 1 << 16, 1 << 16);
    assert_int_equal(blocks[0]->offset, 0);
    alloc_fails(&ra, 1, 1);
    free_ok(&ra, blocks[0]);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

static void test_exact_fill(void **state)
{
    struct range_allocator ra;
    struct range_block *blocks[300];
    uint64_t used = 0, size;
    size_t n = 0, i;

    assert_int_equal(range_alloc_init(&ra, 1000), 0);
    /* Odd sizes that add up to exactly the total. */
    for (size = 1; used + size <= 1000; size = size % 13 + 1)
    {
        blocks[n++] = alloc_ok(&ra, size, 1);
        used += size;
    }
    if (used < 1000) blocks[n++] = alloc_ok(&ra, 1000 - used, 1);
    assert_int_equal(ra.free_pages, 0);
    assert_int_equal(ra.free_blocks, 0);
    assert_int_equal(range_alloc_largest_free(&ra), 0);
    alloc_fails(&ra, 1, 1);
    alloc_fails(&ra, 1, 8);

    /* A freed block is the only hole: exactly its size fits again. */
    size = blocks[n / 2]->size;
    free_ok(&ra, blocks[n / 2]);
    assert_int_equal(range_alloc_largest_free(&ra), size);
    alloc_fails(&ra, size + 1, 1);
    blocks[n / 2] = alloc_ok(&ra, size, 1);
    assert_int_equal(ra.free_pages, 0);

    shuffle(blocks, n);
    for (i = 0; i < n; i++) free_ok(&ra, blocks[i]);
    assert_pristine(&ra);

    /* The whole range in one block, and one page at a time. */
    blocks[0] = alloc_ok(&ra, 1000, 1);
    alloc_fails(&ra, 1, 1);
    free_ok(&ra, blocks[0]);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

static void test_fragmentation_coalescing(void **state)
{
    enum { N = 200 };
    struct range_allocator ra;
    struct range_block *blocks[N];
    uint64_t total = 0, freed = 0, largest_hole = 0;
    size_t i;

    rng_state = 0x1234567;
    for (i = 0; i < N; i++) total += 1 + i % 17;
    assert_int_equal(range_alloc_init(&ra, total), 0);
    for (i = 0; i < N; i++) blocks[i] = alloc_ok(&ra, 1 + i % 17, 1);
    assert_int_equal(ra.free_pages, 0);

    /* Free every other block: N/2 separate holes, none merged. */
    for (i = 0; i < N; i += 2)
    {
        freed += blocks[i]->size;
        if (blocks[i]->size > largest_hole) largest_hole = blocks[i]->size;
        free_ok(&ra, blocks[i]);
        blocks[i] = NULL;
    }
    assert_int_equal(ra.free_blocks, N / 2);
    assert_int_equal(ra.free_pages, freed);
    assert_int_equal(range_alloc_largest_free(&ra), largest_hole);
    /* Plenty free in total, but nothing contiguous that large. */
    alloc_fails(&ra, largest_hole + 1, 1);

    /* Freeing the rest in random order merges everything back. */
    shuffle(blocks, N);
    for (i = 0; i < N; i++)
        if (blocks[i]) free_ok(&ra, blocks[i]);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

/* Reference model: one byte per page, 1 = used. */
struct model
{
    uint8_t *used;
    uint64_t size;
};

static uint64_t model_largest(const struct model *m)
{
    uint64_t i, run = 0, best = 0;

    for (i = 0; i < m->size; i++)
    {
        run = m->used[i] ? 0 : run + 1;
        if (run > best) best = run;
    }
    return best;
}

static void test_random_stress(void **state)
{
    enum { PAGES = 4096, SLOTS = 512, OPS = 20000 };
    struct range_allocator ra;
    struct range_block *slots[SLOTS] = {0};
    struct model m = { calloc(PAGES, 1), PAGES };
    uint64_t used = 0, i;
    int op, no_memory;

    assert_non_null(m.used);
    rng_state = 0xdecafbad;
    assert_int_equal(range_alloc_init(&ra, PAGES), 0);
    for (op = 0; op < OPS; op++)
    {
        size_t s = rng() % SLOTS;

        if (!slots[s])
        {
            uint64_t pages = rng() % 8 ? 1 + rng() % 32 : 1 + rng() % 512;
            uint64_t align = rng() % 4 ? 1 : 1ull << (rng() % 7);
            struct range_block *block = range_alloc(&ra, pages, align, &no_memory);

            assert_int_equal(no_memory, 0);
            if (block)
            {
                assert_int_equal(block->size, pages);
                assert_int_equal(block->offset % align, 0);
                assert_true(block->offset + pages <= PAGES);
                for (i = block->offset; i < block->offset + pages; i++)
                {
                    assert_int_equal(m.used[i], 0);   /* no overlap */
                    m.used[i] = 1;
                }
                used += pages;
                slots[s] = block;
            }
            else if (align == 1)
            {
                /* Unaligned requests fail only when no free range is large enough. */
                assert_true(model_largest(&m) < pages);
            }
        }
        else
        {
            for (i = slots[s]->offset; i < slots[s]->offset + slots[s]->size; i++)
            {
                assert_int_equal(m.used[i], 1);
                m.used[i] = 0;
            }
            used -= slots[s]->size;
            range_free(&ra, slots[s]);
            slots[s] = NULL;
        }
        CHECK(&ra);
        assert_int_equal(ra.free_pages, PAGES - used);
        if (op % 64 == 0) assert_int_equal(range_alloc_largest_free(&ra), model_largest(&m));
    }
    for (op = 0; op < SLOTS; op++)
        if (slots[op]) free_ok(&ra, slots[op]);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
    free(m.used);
}

static void test_largest_free(void **state)
{
    struct range_allocator ra;
    struct range_block *a, *b, *c, *d;

    assert_int_equal(range_alloc_init(&ra, 100), 0);
    assert_int_equal(range_alloc_largest_free(&ra), 100);
    a = alloc_ok(&ra, 10, 1);
    b = alloc_ok(&ra, 50, 1);
    c = alloc_ok(&ra, 5, 1);
    d = alloc_ok(&ra, 35, 1);
    assert_int_equal(range_alloc_largest_free(&ra), 0);
    free_ok(&ra, c);
    assert_int_equal(range_alloc_largest_free(&ra), 5);
    free_ok(&ra, a);
    assert_int_equal(range_alloc_largest_free(&ra), 10);
    free_ok(&ra, b);   /* merges with a and c: 65 pages */
    assert_int_equal(range_alloc_largest_free(&ra), 65);
    a = alloc_ok(&ra, 64, 1);
    assert_int_equal(range_alloc_largest_free(&ra), 1);
    free_ok(&ra, d);
    free_ok(&ra, a);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);

    /* Large ranges (2^40 pages) use the high size classes. */
    assert_int_equal(range_alloc_init(&ra, 1ull << 40), 0);
    a = alloc_ok(&ra, (1ull << 39) + 12345, 1);
    assert_int_equal(range_alloc_largest_free(&ra), (1ull << 39) - 12345);
    b = alloc_ok(&ra, 1ull << 20, 1ull << 20);
    free_ok(&ra, a);
    free_ok(&ra, b);
    assert_pristine(&ra);
    range_alloc_cleanup(&ra);
}

/* Snapshot of the physical block list, to prove a failed call changed nothing. */
struct snapshot
{
    uint64_t offset[64], size[64];
    int free[64], count;
    uint64_t free_pages;
    uint32_t used_blocks, free_blocks;
};

static void take_snapshot(const struct range_allocator *ra, struct snapshot *s)
{
    const struct range_block *block;

    memset(s, 0, sizeof(*s));
    for (block = ra->first; block; block = block->next_phys)
    {
        assert_true(s->count < 64);
        s->offset[s->count] = block->offset;
        s->size[s->count] = block->size;
        s->free[s->count++] = block->free;
    }
    s->free_pages = ra->free_pages;
    s->used_blocks = ra->used_blocks;
    s->free_blocks = ra->free_blocks;
}

static void test_failure_injection(void **state)
{
    struct range_allocator ra;
    struct range_block *first, *block;
    struct snapshot before, after;
    int no_memory, n, sticky;

    /* init needs one block node */
    vidmm_alloc_fail_after(0, 0);
    assert_int_equal(range_alloc_init(&ra, 64), -1);
    vidmm_alloc_fail_after(-1, 0);

    for (sticky = 0; sticky <= 1; sticky++)
    {
        assert_int_equal(range_alloc_init(&ra, 64), 0);
        first = alloc_ok(&ra, 1, 1);   /* free space now starts at page 1 */
        take_snapshot(&ra, &before);

        /* 2 pages aligned to 4 need a front node (gap 1..3) and a back node;
         * fail each in turn, then succeed. */
        for (n = 0; ; n++)
        {
            vidmm_alloc_fail_after(n, sticky);
            block = range_alloc(&ra, 2, 4, &no_memory);
            vidmm_alloc_fail_after(-1, 0);
            if (block) break;
            assert_int_equal(no_memory, 1);
            CHECK(&ra);
            take_snapshot(&ra, &after);
            assert_memory_equal(&before, &after, sizeof(before));
        }
        assert_int_equal(n, 2);
        assert_int_equal(block->offset, 4);
        CHECK(&ra);

        /* Freeing never allocates. */
        vidmm_alloc_fail_after(0, 1);
        free_ok(&ra, block);
        free_ok(&ra, first);
        vidmm_alloc_fail_after(-1, 0);
        assert_pristine(&ra);

        /* An exact fit needs no node at all, even when every allocation fails. */
        vidmm_alloc_fail_after(0, 1);
        block = alloc_ok(&ra, 64, 1);
        free_ok(&ra, block);
        vidmm_alloc_fail_after(-1, 0);
        assert_pristine(&ra);
        range_alloc_cleanup(&ra);
    }
}

/* range_alloc.h: NULL with *no_memory clear only "when there is no free range
 * that fits".  Fails: for an aligned request the fallback in range_alloc()
 * scans only the size class of `pages`, so a free block whose size class lies
 * between class(pages) and class(pages + align - 1) is never looked at, even
 * when an aligned start fits inside it. */
static struct range_allocator bug_ra;

static int cleanup_bug_ra(void **state)
{
    range_alloc_cleanup(&bug_ra);   /* also after a failed assertion */
    return 0;
}

static void test_aligned_fit_in_small_block(void **state)
{
    struct range_allocator *ra = &bug_ra;
    struct range_block *pages[8], *block;
    int i, no_memory;

    /* Pages 3 and 4 free (one 2-page block at offset 3), everything else used:
     * 1 page aligned to 4 fits at offset 4. */
    assert_int_equal(range_alloc_init(ra, 8), 0);
    for (i = 0; i < 8; i++) pages[i] = alloc_ok(ra, 1, 1);
    free_ok(ra, pages[3]);
    free_ok(ra, pages[4]);
    assert_int_equal(ra->free_blocks, 1);
    block = range_alloc(ra, 1, 4, &no_memory);
    assert_non_null(block);
    assert_int_equal(block->offset, 4);
    range_alloc_cleanup(ra);

    /* Empty range of 16 pages: 1 page aligned to 64 fits at offset 0. */
    assert_int_equal(range_alloc_init(ra, 16), 0);
    block = range_alloc(ra, 1, 64, &no_memory);
    assert_non_null(block);
    assert_int_equal(block->offset, 0);
    range_alloc_cleanup(ra);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_init_empty),
        cmocka_unit_test(test_simple_patterns),
        cmocka_unit_test(test_fresh_blocks),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_exact_fill),
        cmocka_unit_test(test_fragmentation_coalescing),
        cmocka_unit_test(test_random_stress),
        cmocka_unit_test(test_largest_free),
        cmocka_unit_test(test_failure_injection),
        cmocka_unit_test_teardown(test_aligned_fit_in_small_block, cleanup_bug_ra),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
