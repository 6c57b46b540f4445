/*
 * Unit tests of the D3DKMT handle table (handle_table.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "private/handle_table.h"
#include "private/vidmm_alloc.h"

#define SLOT_OF(h) (((h) >> 6) & (VIDMM_HANDLE_MAX_SLOTS - 1))

/* Each test gets a fresh table, cleaned up even when an assertion fails. */
static int setup(void **state)
{
    struct handle_table *table = malloc(sizeof(*table));

    if (!table) return -1;
    handle_table_init(table);
    *state = table;
    return 0;
}

static int teardown(void **state)
{
    vidmm_alloc_fail_after(-1, 0);
    handle_table_cleanup(*state);
    free(*state);
    return 0;
}

static uint32_t insert_ok(struct handle_table *table, void *object, enum vidmm_object_type type)
{
    uint32_t handle = 0;

    assert_int_equal(handle_table_insert(table, object, type, &handle), STATUS_SUCCESS);
    assert_int_not_equal(handle, 0);
    return handle;
}

static int grabs;
static void count_grab(void *object)
{
    grabs++;
}

/* Not found under any type. */
static void assert_not_found(struct handle_table *table, uint32_t handle)
{
    int type;

    for (type = VIDMM_OBJECT_NONE; type <= VIDMM_OBJECT_SHARED_RESOURCE; type++)
        assert_null(handle_table_lookup(table, handle, type, NULL));
}

/* ... and handle_table_type agrees. */
static void assert_dead(struct handle_table *table, uint32_t handle)
{
    assert_not_found(table, handle);
    assert_int_equal(handle_table_type(table, handle), VIDMM_OBJECT_NONE);
}

static void test_handle_format(void **state)
{
    static const enum vidmm_object_type types[] =
    {
        VIDMM_OBJECT_ADAPTER, VIDMM_OBJECT_DEVICE, VIDMM_OBJECT_RESOURCE,
        VIDMM_OBJECT_ALLOCATION, VIDMM_OBJECT_PAGING_QUEUE,
    };
    struct handle_table *table = *state;
    uint32_t handles[50];
    int objects[50];
    size_t i;

    for (i = 0; i < 50; i++)
    {
        handles[i] = insert_ok(table, &objects[i], types[i % 5]);
        assert_int_equal(handles[i] & 0xc0000000, 0xc0000000);
        assert_int_equal(handles[i] & 0x3f, 0);
        /* One counter for every type: +0x40 per handle. */
        if (i) assert_int_equal(handles[i], handles[i - 1] + 0x40);
    }
    assert_int_equal(handles[0], 0xc0000040);   /* slot 0 is never used */
    assert_int_equal(table->live, 50);
    for (i = 0; i < 50; i++)
    {
        assert_ptr_equal(handle_table_lookup(table, handles[i], types[i % 5], NULL), &objects[i]);
        assert_int_equal(handle_table_type(table, handles[i]), types[i % 5]);
    }
}

static void test_lookup_type_mismatch(void **state)
{
    struct handle_table *table = *state;
    int device, allocation;
    uint32_t hdev, halloc;

    hdev = insert_ok(table, &device, VIDMM_OBJECT_DEVICE);
    halloc = insert_ok(table, &allocation, VIDMM_OBJECT_ALLOCATION);

    grabs = 0;
    assert_ptr_equal(handle_table_lookup(table, hdev, VIDMM_OBJECT_DEVICE, count_grab), &device);
    assert_int_equal(grabs, 1);
    /* A wrong type neither finds nor grabs. */
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_ALLOCATION, count_grab));
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_ADAPTER, count_grab));
    assert_null(handle_table_lookup(table, halloc, VIDMM_OBJECT_DEVICE, count_grab));
    assert_null(handle_table_lookup(table, hdev, VIDMM_OBJECT_SHARED_RESOURCE, count_grab));
    assert_int_equal(grabs, 1);

    /* Remove with a wrong type leaves the entry alone. */
    assert_null(handle_table_remove(table, hdev, VIDMM_OBJECT_ALLOCATION));
    assert_ptr_equal(handle_table_lookup(table, hdev, VIDMM_OBJECT_DEVICE, NULL), &device);
    assert_int_equal(table->live, 2);
    assert_ptr_equal(handle_table_remove(table, hdev, VIDMM_OBJECT_DEVICE), &device);
    assert_ptr_equal(handle_table_remove(table, halloc, VIDMM_OBJECT_ALLOCATION), &allocation);
    assert_int_equal(table->live, 0);
}

static void test_stale_handle(void **state)
{
    enum { N = VIDMM_HANDLE_REUSE_DELAY + 10 };
    struct handle_table *table = *state;
    uint32_t *handles = malloc(N * sizeof(*handles)), first, again, fresh;
    int object, other;
    size_t i;

    assert_non_null(handles);
    first = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    assert_ptr_equal(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION), &object);
    assert_dead(table, first);
    assert_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));   /* twice */

    /* Freed slots wait: the next handle is a fresh one. */
    fresh = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(fresh, first + 0x40);
    assert_dead(table, first);

    /* Queue more than REUSE_DELAY freed slots; the oldest comes back first. */
    for (i = 0; i < N; i++) handles[i] = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < N; i++) assert_non_null(handle_table_remove(table, handles[i], VIDMM_OBJECT_ALLOCATION));
    assert_true(table->free_count > VIDMM_HANDLE_REUSE_DELAY);
    again = insert_ok(table, &other, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(SLOT_OF(again), SLOT_OF(first));   /* FIFO: the first slot freed */
    assert_int_not_equal(again, first);                 /* but another generation */
    assert_dead(table, first);
    assert_ptr_equal(handle_table_lookup(table, again, VIDMM_OBJECT_ALLOCATION, NULL), &other);
    /* The stale handle cannot remove the new occupant either. */
    assert_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));
    assert_ptr_equal(handle_table_lookup(table, again, VIDMM_OBJECT_ALLOCATION, NULL), &other);

    /* Every old handle of the batch stays dead while slots are reused. */
    for (i = 0; i < 20; i++) insert_ok(table, &other, VIDMM_OBJECT_DEVICE);
    for (i = 0; i < N; i++) assert_dead(table, handles[i]);
    free(handles);
}

static void test_random_handles(void **state)
{
    enum { LIVE = 100 };
    struct handle_table *table = *state;
    uint32_t live[LIVE], h, bad[] =
    {
        0, 0xffffffff, 0xc0000000, 0x40, 0x80000040, 0x40000040, 0xc0000041, 0xc0000043,
        0xc000007f, 0xc0000000 | (VIDMM_HANDLE_MAX_SLOTS - 1) << 6, 0xffffffc0,
    };
    uint64_t seed = 42;
    int objects[LIVE], type;
    size_t i, j, n;

    for (i = 0; i < LIVE; i++) live[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_dead(table, bad[i]);
    /* A live handle with another generation or a neighbouring slot plus tag bits. */
    assert_dead(table, live[0] ^ (1u << (6 + VIDMM_HANDLE_SLOT_BITS)));
    assert_dead(table, live[0] | 1);
    assert_not_found(table, live[0] | VIDMM_HANDLE_GLOBAL_TAG);   /* handle_table_type: see test_type_of_retagged_handle */
    assert_dead(table, live[LIVE - 1] + 0x40);

    for (n = 0; n < 100000; n++)
    {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        h = (uint32_t)(seed >> 32);
        if (n & 1) h |= 0xc0000000;   /* half of them look like ours */
        for (j = 0; j < LIVE && live[j] != h; j++) ;
        if (j < LIVE) continue;       /* guessed a live one: fine */
        for (type = VIDMM_OBJECT_ADAPTER; type <= VIDMM_OBJECT_SHARED_RESOURCE; type++)
            assert_null(handle_table_lookup(table, h, type, NULL));
        for (j = 0; j < LIVE && live[j] != (h & ~0x3fu); j++) ;
        if (j == LIVE) assert_int_equal(handle_table_type(table, h), VIDMM_OBJECT_NONE);
        assert_null(handle_table_remove(table, h, VIDMM_OBJECT_ALLOCATION));
    }
    assert_int_equal(table->live, LIVE);
    for (i = 0; i < LIVE; i++)
        assert_ptr_equal(handle_table_lookup(table, live[i], VIDMM_OBJECT_ALLOCATION, NULL), &objects[i]);
}

static void test_global_handles(void **state)
{
    struct handle_table *table = *state;
    uint32_t local, global, next;
    int resource, shared, other;

    local = insert_ok(table, &resource, VIDMM_OBJECT_RESOURCE);
    global = insert_ok(table, &shared, VIDMM_OBJECT_SHARED_RESOURCE);
    assert_int_equal(global & 0xc0000000, 0xc0000000);
    assert_int_equal(global & 0x3f, VIDMM_HANDLE_GLOBAL_TAG);
    assert_int_equal(global & ~0x3fu, local + 0x40);   /* same counter */
    next = insert_ok(table, &other, VIDMM_OBJECT_DEVICE);
    assert_int_equal(next, local + 0x80);

    assert_ptr_equal(handle_table_lookup(table, global, VIDMM_OBJECT_SHARED_RESOURCE, NULL), &shared);
    assert_int_equal(handle_table_type(table, global), VIDMM_OBJECT_SHARED_RESOURCE);
    /* Global and local handles are not interchangeable. */
    assert_null(handle_table_lookup(table, global, VIDMM_OBJECT_RESOURCE, NULL));
    assert_null(handle_table_lookup(table, global & ~0x3fu, VIDMM_OBJECT_SHARED_RESOURCE, NULL));
    assert_null(handle_table_lookup(table, global & ~0x3fu, VIDMM_OBJECT_RESOURCE, NULL));
    assert_null(handle_table_lookup(table, local | VIDMM_HANDLE_GLOBAL_TAG, VIDMM_OBJECT_SHARED_RESOURCE, NULL));
    assert_null(handle_table_lookup(table, local | VIDMM_HANDLE_GLOBAL_TAG, VIDMM_OBJECT_RESOURCE, NULL));
    assert_null(handle_table_remove(table, global, VIDMM_OBJECT_RESOURCE));
    assert_null(handle_table_remove(table, global & ~0x3fu, VIDMM_OBJECT_SHARED_RESOURCE));

    assert_ptr_equal(handle_table_remove(table, global, VIDMM_OBJECT_SHARED_RESOURCE), &shared);
    assert_dead(table, global);
    assert_ptr_equal(handle_table_lookup(table, local, VIDMM_OBJECT_RESOURCE, NULL), &resource);
}

/* handle_table.h: handle_table_type() gives "the type a handle currently
 * refers to, VIDMM_OBJECT_NONE if none".  Fails: handle_table.c
 * handle_table_type() picks the tag from the handle's low bits but never
 * checks that the entry's type goes with that tag, so a local handle with the
 * global tag reports the local object's type, and a global handle with the
 * tag cleared reports SHARED_RESOURCE, although no lookup finds either. */
static void test_type_of_retagged_handle(void **state)
{
    struct handle_table *table = *state;
    uint32_t local, global;
    int resource, shared;

    local = insert_ok(table, &resource, VIDMM_OBJECT_RESOURCE);
    global = insert_ok(table, &shared, VIDMM_OBJECT_SHARED_RESOURCE);
    assert_not_found(table, local | VIDMM_HANDLE_GLOBAL_TAG);
    assert_not_found(table, global & ~0x3fu);
    assert_int_equal(handle_table_type(table, local | VIDMM_HANDLE_GLOBAL_TAG), VIDMM_OBJECT_NONE);
    assert_int_equal(handle_table_type(table, global & ~0x3fu), VIDMM_OBJECT_NONE);
}

static void test_insert_out_of_memory(void **state)
{
    struct handle_table *table = *state;
    static int objects[300];
    uint32_t handles[300], h;
    int sticky;
    size_t i;

    /* The first insert allocates the entry array. */
    vidmm_alloc_fail_after(0, 0);
    assert_int_equal(handle_table_insert(table, &objects[0], VIDMM_OBJECT_DEVICE, &h), STATUS_NO_MEMORY);
    assert_int_equal(table->live, 0);

    /* Fill the first array (slots 1..255); the next insert must grow it. */
    for (i = 0; i < 255; i++) handles[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    for (sticky = 0; sticky <= 1; sticky++)
    {
        vidmm_alloc_fail_after(0, sticky);
        h = 0xdeadbeef;
        assert_int_equal(handle_table_insert(table, &objects[255], VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
        assert_int_equal(h, 0xdeadbeef);
        vidmm_alloc_fail_after(-1, 0);
    }
    /* Unchanged and usable: every handle still works, removal needs no memory. */
    assert_int_equal(table->live, 255);
    for (i = 0; i < 255; i++)
        assert_ptr_equal(handle_table_lookup(table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL), &objects[i]);
    vidmm_alloc_fail_after(0, 1);
    assert_ptr_equal(handle_table_remove(table, handles[10], VIDMM_OBJECT_ALLOCATION), &objects[10]);
    vidmm_alloc_fail_after(-1, 0);
    /* No slot was burnt by the failures: the counter goes on by 0x40. */
    handles[255] = insert_ok(table, &objects[255], VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(handles[255], handles[254] + 0x40);
    for (i = 256; i < 300; i++) handles[i] = insert_ok(table, &objects[i], VIDMM_OBJECT_ALLOCATION);
    for (i = 0; i < 300; i++)
        if (i != 10)
            assert_ptr_equal(handle_table_lookup(table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL), &objects[i]);
}

static void test_table_full(void **state)
{
    struct handle_table *table = *state;
    uint32_t h, first = 0, last = 0, reused;
    int object;
    size_t i;

    /* Every slot but 0 can be handed out, then the table is full. */
    for (i = 1; i < VIDMM_HANDLE_MAX_SLOTS; i++)
    {
        h = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
        if (i == 1) first = h;
        last = h;
    }
    assert_int_equal(SLOT_OF(last), VIDMM_HANDLE_MAX_SLOTS - 1);
    assert_int_equal(handle_table_insert(table, &object, VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
    /* Once fresh slots are gone a freed one is reused at once, with a new generation. */
    assert_non_null(handle_table_remove(table, first, VIDMM_OBJECT_ALLOCATION));
    reused = insert_ok(table, &object, VIDMM_OBJECT_ALLOCATION);
    assert_int_equal(SLOT_OF(reused), SLOT_OF(first));
    assert_int_not_equal(reused, first);
    assert_dead(table, first);
    assert_int_equal(handle_table_insert(table, &object, VIDMM_OBJECT_ALLOCATION, &h), STATUS_NO_MEMORY);
}

/* Threads insert, look up and remove at once; a handle is never handed out twice while live. */
struct thread_arg
{
    struct handle_table *table;
    int id;
    int failures;
};

static void *table_thread(void *param)
{
    struct thread_arg *arg = param;
    uint32_t handles[64];
    int objects[64], round, i;

    for (round = 0; round < 200; round++)
    {
        for (i = 0; i < 64; i++)
            if (handle_table_insert(arg->table, &objects[i], VIDMM_OBJECT_ALLOCATION, &handles[i])) arg->failures++;
        for (i = 0; i < 64; i++)
            if (handle_table_lookup(arg->table, handles[i], VIDMM_OBJECT_ALLOCATION, NULL) != &objects[i])
                arg->failures++;
        for (i = 0; i < 64; i++)
            if (handle_table_remove(arg->table, handles[i], VIDMM_OBJECT_ALLOCATION) != &objects[i])
                arg->failures++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    struct thread_arg args[4];
    pthread_t threads[4];
    int i;

    for (i = 0; i < 4; i++)
    {
        args[i].table = *state;
        args[i].id = i;
        args[i].failures = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, table_thread, &args[i]), 0);
    }
    for (i = 0; i < 4; i++)
    {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
    assert_int_equal(((struct handle_table *)*state)->live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test_setup_teardown(test_handle_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_type_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_global_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_of_retagged_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
