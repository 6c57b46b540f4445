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
 * Conformance: handle values (spec A.2) and standard allocations with
 * per-allocation private driver data (spec B.3.1).
 *
 *  - a destroyed handle stays stale through heavy create/destroy churn;
 *  - [WIN] after a CreateShared resource, OpenResource gets the very next
 *    local values: the global share handle uses up none;
 *  - [WIN] an EXISTINGHEAP standard allocation accepts 6 bytes of
 *    per-allocation private driver data, with and without CreateResource and
 *    CreateShared, and the shared one opens.
 */
#include "d3dkmt_test.h"

static D3DKMT_HANDLE adapter, device;
static BOOL have_escape;

static BOOL is_global_handle(D3DKMT_HANDLE h)
{
    return (h & 0xc0000000) == 0xc0000000 && (h & 0x3f) == 2;
}

static NTSTATUS destroy_resource(D3DKMT_HANDLE dev, D3DKMT_HANDLE resource)
{
    D3DKMT_DESTROYALLOCATION desc;

    memset(&desc, 0, sizeof(desc));
    desc.hDevice = dev;
    desc.hResource = resource;
    return pDestroyAllocation(&desc);
}

/* Issue 8: the old table reused a slot with a 5-bit generation, so after
 * 131,104 cycles the destroyed handle named a new allocation. */
static void test_stale_handle_after_churn(void)
{
    enum { CYCLES = 140000 };
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(4096, 1, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    D3DKMT_HANDLE stale, h = 0, last = 0;
    NTSTATUS status;
    UINT i, reissued = 0;

    status = create_alloc(device, &desc, &stale);
    ok(status == STATUS_SUCCESS, "create: %#lx\n", status);
    if (status) return;
    ok(destroy_alloc(device, stale) == STATUS_SUCCESS, "destroy failed\n");
    for (i = 0; i < CYCLES; i++)
    {
        if ((status = create_alloc(device, &desc, &h))) break;
        if (h == stale && !reissued++)
            ok(FALSE, "cycle %u: the destroyed handle %#x names a new allocation\n", i, stale);
        if (i == CYCLES - 1) last = h;   /* the last one stays */
        else if ((status = destroy_alloc(device, h))) break;
    }
    ok(!status, "cycle %u: %#lx\n", i, status);
    ok(!reissued, "the destroyed handle came back %u times\n", reissued);
    status = lock_alloc(device, stale, 0, NULL);
    ok(status == STATUS_INVALID_PARAMETER, "Lock through the stale handle: got %#lx\n", status);
    if (!status) unlock_alloc(device, stale);
    ok(destroy_alloc(device, stale) == STATUS_INVALID_PARAMETER, "the stale handle destroyed something\n");
    if (last)
    {
        ok(lock_alloc(device, last, 0, NULL) == STATUS_SUCCESS, "the live allocation cannot be locked\n");
        unlock_alloc(device, last);
        ok(destroy_alloc(device, last) == STATUS_SUCCESS, "destroying the live allocation failed\n");
    }
}

struct standard_create
{
    D3DKMT_CREATESTANDARDALLOCATION standard;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO info;
    D3DDDI_ALLOCATIONINFO2 info2;
};

static const BYTE six_bytes[6] = {1, 2, 3, 4, 5, 6};

/* An EXISTINGHEAP standard allocation of 0x10000 bytes at mem, as Wine's
 * own tests create it; data/size are the per-allocation private data. */
static NTSTATUS create_standard(struct standard_create *c, BOOL v2, void *mem, UINT flags, const void *data, UINT size)
{
    memset(c, 0, sizeof(*c));
    c->standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
    c->standard.ExistingHeapData.Size = 0x10000;
    c->create.hDevice = device;
    c->create.hGlobalShare = 0xdeadbeef;
    flags |= 0x10020;   /* StandardAllocation | ExistingSysMem */
    memcpy(&c->create.Flags, &flags, sizeof(flags));
    c->create.pStandardAllocation = &c->standard;
    c->create.NumAllocations = 1;
    c->info.hAllocation = c->info2.hAllocation = 0xdeadbe00;
    c->info.pSystemMem = c->info2.pSystemMem = mem;
    c->info.pPrivateDriverData = c->info2.pPrivateDriverData = (void *)data;
    c->info.PrivateDriverDataSize = c->info2.PrivateDriverDataSize = size;
    if (v2)
    {
        c->create.pAllocationInfo2 = &c->info2;
        return pCreateAllocation2(&c->create);
    }
    c->create.pAllocationInfo = &c->info;
    return pCreateAllocation(&c->create);
}

static D3DKMT_HANDLE standard_handle(const struct standard_create *c, BOOL v2)
{
    return v2 ? c->info2.hAllocation : c->info.hAllocation;
}

struct open_buffers
{
    D3DKMT_OPENRESOURCE desc;
    D3DDDI_OPENALLOCATIONINFO info;
    D3DDDI_OPENALLOCATIONINFO2 info2;
    BYTE total[0x1000], resource[16], opaque[16];
};

/* QueryResourceInfo then OpenResource(2) of a global handle on dev. */
static NTSTATUS open_global(struct open_buffers *o, BOOL v2, D3DKMT_HANDLE dev, D3DKMT_HANDLE global)
{
    D3DKMT_QUERYRESOURCEINFO query;
    NTSTATUS status;

    memset(&query, 0, sizeof(query));
    query.hDevice = dev;
    query.hGlobalShare = global;
    if ((status = pQueryResourceInfo(&query))) return status;
    memset(o, 0xcd, sizeof(*o));
    memset(&o->desc, 0, sizeof(o->desc));
    memset(&o->info, 0, sizeof(o->info));
    memset(&o->info2, 0, sizeof(o->info2));
    o->info.pPrivateDriverData = o->info2.pPrivateDriverData = o->opaque;
    o->info.PrivateDriverDataSize = o->info2.PrivateDriverDataSize = sizeof(o->opaque);
    o->desc.hDevice = dev;
    o->desc.hGlobalShare = global;
    o->desc.NumAllocations = 1;
    if (v2) o->desc.pOpenAllocationInfo2 = &o->info2;
    else o->desc.pOpenAllocationInfo = &o->info;
    o->desc.ResourcePrivateDriverDataSize = query.ResourcePrivateDriverDataSize;
    o->desc.pResourcePrivateDriverData = o->resource;
    o->desc.pTotalPrivateDriverDataBuffer = o->total;
    o->desc.TotalPrivateDriverDataBufferSize = sizeof(o->total);
    o->desc.hResource = 0xdeadbe00;
    return v2 ? pOpenResource2(&o->desc) : pOpenResource(&o->desc);
}

static D3DKMT_HANDLE open_handle(const struct open_buffers *o, BOOL v2)
{
    return v2 ? o->info2.hAllocation : o->info.hAllocation;
}

/* Issue 13: [WIN] the resource and allocation get consecutive local handles,
 * and OpenResource the very next two: no value went to the global handle. */
static void test_open_after_create_shared(void)
{
    D3DKMT_WINE_ALLOCATION_DESC desc = make_desc(65536, 1, D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE);
    void *mem = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    struct standard_create c;
    struct open_buffers o;
    D3DKMT_CREATEALLOCATION create;
    D3DDDI_ALLOCATIONINFO2 info;
    D3DKMT_HANDLE alloc;
    NTSTATUS status;
    BOOL v2;

    for (v2 = FALSE; v2 <= TRUE; v2++)
    {
        /* The standard allocation of Wine's own test. */
        status = create_standard(&c, v2, mem, 0x3 /* CreateResource|CreateShared */, NULL, 0);
        ok(status == STATUS_SUCCESS, "v%u: shared standard allocation: %#lx\n", v2 + 1, status);
        if (status) continue;
        alloc = standard_handle(&c, v2);
        ok(is_local_handle(c.create.hResource) && alloc == c.create.hResource + 0x40,
           "v%u: resource %#x, allocation %#x\n", v2 + 1, c.create.hResource, alloc);
        ok(is_global_handle(c.create.hGlobalShare), "v%u: global %#x\n", v2 + 1, c.create.hGlobalShare);
        status = open_global(&o, v2, device, c.create.hGlobalShare);
        ok(status == STATUS_SUCCESS, "v%u: open: %#lx\n", v2 + 1, status);
        if (!status)
        {
            ok(o.desc.hResource == alloc + 0x40, "v%u: opened resource %#x, expected %#x\n", v2 + 1,
               o.desc.hResource, alloc + 0x40);
            ok(open_handle(&o, v2) == alloc + 0x80, "v%u: opened allocation %#x, expected %#x\n", v2 + 1,
               open_handle(&o, v2), alloc + 0x80);
            ok(destroy_resource(device, o.desc.hResource) == STATUS_SUCCESS, "v%u: destroy opened\n", v2 + 1);
        }
        ok(destroy_resource(device, c.create.hResource) == STATUS_SUCCESS, "v%u: destroy\n", v2 + 1);
    }

    /* The same with our driver's descriptor (not on Windows: no such driver). */
    if (!have_escape) goto done;
    memset(&create, 0, sizeof(create));
    memset(&info, 0, sizeof(info));
    create.hDevice = device;
    create.Flags.CreateResource = 1;
    create.Flags.CreateShared = 1;
    create.NumAllocations = 1;
    create.pAllocationInfo2 = &info;
    info.pPrivateDriverData = &desc;
    info.PrivateDriverDataSize = sizeof(desc);
    status = pCreateAllocation2(&create);
    ok(status == STATUS_SUCCESS, "shared allocation: %#lx\n", status);
    if (status) goto done;
    ok(info.hAllocation == create.hResource + 0x40, "resource %#x, allocation %#x\n", create.hResource,
       info.hAllocation);
    status = open_global(&o, TRUE, device, create.hGlobalShare);
    ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
    if (!status)
    {
        ok(o.desc.hResource == info.hAllocation + 0x40 && o.info2.hAllocation == info.hAllocation + 0x80,
           "opened %#x %#x after %#x\n", o.desc.hResource, o.info2.hAllocation, info.hAllocation);
        destroy_resource(device, o.desc.hResource);
    }
    destroy_resource(device, create.hResource);
done:
    VirtualFree(mem, 0, MEM_RELEASE);
}

/* Issue 12: [WIN] 6 bytes of per-allocation private driver data on an
 * EXISTINGHEAP standard allocation are accepted; the create-level
 * PrivateDriverDataSize must still be 0. */
static void test_standard_private_data(void)
{
    static const UINT forms[] = {0, 0x1 /* CreateResource */, 0x3 /* CreateResource|CreateShared */};
    void *mem = VirtualAlloc(NULL, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE), *p;
    struct standard_create c;
    struct open_buffers o, plain;
    D3DKMT_HANDLE dev2, alloc;
    UINT i, plain_total = 0;
    NTSTATUS status;
    BOOL v2;

    ok(create_device(adapter, &dev2) == STATUS_SUCCESS, "second device failed\n");
    for (v2 = FALSE; v2 <= TRUE; v2++)
    {
        set_context("CreateAllocation%s", v2 ? "2" : "");
        /* The module's descriptor size, for comparison below. */
        if (!create_standard(&c, v2, mem, 0x3, NULL, 0))
        {
            if (!open_global(&plain, v2, dev2, c.create.hGlobalShare))
            {
                plain_total = plain.desc.TotalPrivateDriverDataBufferSize;
                destroy_resource(dev2, plain.desc.hResource);
            }
            destroy_resource(device, c.create.hResource);
        }

        for (i = 0; i < ARRAY_SIZE(forms); i++)
        {
            status = create_standard(&c, v2, mem, forms[i], six_bytes, sizeof(six_bytes));
            ok(status == STATUS_SUCCESS, "flags %#x: got %#lx\n", forms[i], status);
            if (status) continue;
            alloc = standard_handle(&c, v2);
            ok(is_local_handle(alloc), "flags %#x: allocation %#x\n", forms[i], alloc);
            ok((v2 ? c.info2.PrivateDriverDataSize : c.info.PrivateDriverDataSize) == sizeof(six_bytes),
               "flags %#x: PrivateDriverDataSize changed\n", forms[i]);
            ok(c.create.PrivateDriverDataSize == 0 && c.create.PrivateRuntimeDataSize == 0,
               "flags %#x: sizes changed\n", forms[i]);
            if (forms[i] & 0x2) ok(is_global_handle(c.create.hGlobalShare), "global %#x\n", c.create.hGlobalShare);
            else ok(!c.create.hGlobalShare, "flags %#x: global %#x\n", forms[i], c.create.hGlobalShare);
            if (forms[i]) ok(is_local_handle(c.create.hResource) && alloc == c.create.hResource + 0x40,
                             "flags %#x: resource %#x, allocation %#x\n", forms[i], c.create.hResource, alloc);
            else ok(!c.create.hResource, "resource %#x\n", c.create.hResource);
            status = lock_alloc(device, alloc, 0, &p);
            ok(status == STATUS_SUCCESS && p == mem, "flags %#x: lock: %#lx, %p\n", forms[i], status, p);
            if (!status) unlock_alloc(device, alloc);

            if (forms[i] & 0x2)
            {
                status = open_global(&o, v2, dev2, c.create.hGlobalShare);
                ok(status == STATUS_SUCCESS, "open: %#lx\n", status);
                if (!status)
                {
                    UINT size = v2 ? o.info2.PrivateDriverDataSize : o.info.PrivateDriverDataSize;

                    /* [WIN] the resource data is empty, the allocation's is not. */
                    ok(o.desc.ResourcePrivateDriverDataSize == 0, "resource data %u\n",
                       o.desc.ResourcePrivateDriverDataSize);
                    ok(size > 0 && size == o.desc.TotalPrivateDriverDataBufferSize, "data size %u, total %u\n",
                       size, o.desc.TotalPrivateDriverDataBufferSize);
                    ok(o.total[0] != 0xcd, "the total buffer was not written\n");
                    ok(o.opaque[0] == 0xcd, "the caller's allocation buffer was written\n");
                    /* The module's choice: the driver data is what the kernel
                     * makes up for the standard allocation (its descriptor of
                     * the wrapped memory), not the caller's 6 bytes. */
                    if (have_escape)
                    {
                        ok(size == plain_total, "data size %u, expected the descriptor's %u\n", size, plain_total);
                        ok(!memcmp(o.total, plain.total, plain_total), "not the generated descriptor\n");
                    }
                    status = lock_alloc(dev2, open_handle(&o, v2), 0, &p);
                    ok(status == STATUS_SUCCESS && p == mem, "opener lock: %#lx, %p\n", status, p);
                    if (!status) unlock_alloc(dev2, open_handle(&o, v2));
                    ok(destroy_resource(dev2, o.desc.hResource) == STATUS_SUCCESS, "destroy opened\n");
                }
            }
            if (forms[i]) status = destroy_resource(device, c.create.hResource);
            else status = destroy_alloc(device, alloc);
            ok(status == STATUS_SUCCESS, "flags %#x: destroy: %#lx\n", forms[i], status);
        }

        /* The create-level size must still be 0 ([WIN] 64 -> INVALID_PARAMETER). */
        memset(&c, 0, sizeof(c));
        c.standard.Type = D3DKMT_STANDARDALLOCATIONTYPE_EXISTINGHEAP;
        c.standard.ExistingHeapData.Size = 0x10000;
        c.create.hDevice = device;
        c.create.Flags.StandardAllocation = 1;
        c.create.Flags.ExistingSysMem = 1;
        c.create.pStandardAllocation = &c.standard;
        c.create.PrivateDriverDataSize = 6;
        c.create.NumAllocations = 1;
        c.info2.pSystemMem = c.info.pSystemMem = mem;
        c.info2.pPrivateDriverData = c.info.pPrivateDriverData = (void *)six_bytes;
        c.info2.PrivateDriverDataSize = c.info.PrivateDriverDataSize = sizeof(six_bytes);
        if (v2) c.create.pAllocationInfo2 = &c.info2;
        else c.create.pAllocationInfo = &c.info;
        status = v2 ? pCreateAllocation2(&c.create) : pCreateAllocation(&c.create);
        ok(status == STATUS_INVALID_PARAMETER, "create-level PrivateDriverDataSize 6: got %#lx\n", status);
    }
    set_context(NULL);
    destroy_device(dev2);
    VirtualFree(mem, 0, MEM_RELEASE);
}

START_TEST(handles)
{
    D3DKMT_WINE_ESCAPE base, now;

    if (!load_d3dkmt()) return;
    if (!pQueryResourceInfo || !pOpenResource || !pOpenResource2)
    {
        skip("QueryResourceInfo or OpenResource(2) is missing\n");
        return;
    }
    if (open_display1(&adapter, NULL) || create_device(adapter, &device))
    {
        skip("no adapter or device\n");
        return;
    }
    have_escape = !wine_escape(adapter, D3DKMT_WINE_ESCAPE_QUERY_STATS, 0, &base);

    test_open_after_create_shared();
    test_standard_private_data();
    test_stale_handle_after_churn();

    if (have_escape)
    {
        now = wine_stats(adapter);
        ok(now.Resources == base.Resources && now.Allocations == base.Allocations && now.Devices == base.Devices,
           "objects left: resources %u -> %u, allocations %u -> %u, devices %u -> %u\n", base.Resources,
           now.Resources, base.Allocations, now.Allocations, base.Devices, now.Devices);
    }
    destroy_device(device);
    close_adapter(adapter);
}
