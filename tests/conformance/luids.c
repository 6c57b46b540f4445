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

/* Prints the adapters' LUIDs, one "luid" line each, for luid-32-64.sh to
 * compare between a 32-bit and a 64-bit run: both must see the same ones. */
#include <stdio.h>
#include "d3dkmt_test.h"

static void print_luids(void)
{
    D3DKMT_ADAPTERINFO infos[16];
    D3DKMT_ENUMADAPTERS2 enum2 = { 16, infos };
    D3DKMT_HANDLE adapter;
    NTSTATUS status;
    LUID luid;
    ULONG i;

    status = open_display1(&adapter, &luid);
    ok(status == STATUS_SUCCESS, "OpenAdapterFromGdiDisplayName: %#lx\n", status);
    if (status) return;
    printf("luid display1 %08lx:%08lx\n", luid.HighPart, luid.LowPart);
    close_adapter(adapter);

    status = pEnumAdapters2(&enum2);
    ok(status == STATUS_SUCCESS, "EnumAdapters2: %#lx\n", status);
    if (status) return;
    ok(enum2.NumAdapters > 0, "no adapters\n");
    for (i = 0; i < enum2.NumAdapters; i++)
    {
        printf("luid enum %lu %08lx:%08lx\n", i, infos[i].AdapterLuid.HighPart, infos[i].AdapterLuid.LowPart);
        close_adapter(infos[i].hAdapter);
    }
}

START_TEST(luids)
{
    if (!load_d3dkmt()) return;
    ok(pEnumAdapters2 != NULL, "no D3DKMTEnumAdapters2\n");
    if (pEnumAdapters2) print_luids();
}
