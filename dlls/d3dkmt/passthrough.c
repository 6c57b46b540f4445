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
 * D3DKMT calls this module does not implement itself (PE side).
 *
 * gdi32 forwards every D3DKMT function of this module here, so adapter and
 * device handles a program holds are ours.  The calls below are Wine's own
 * business (VidPN source ownership, which Wine's display driver keeps for
 * fullscreen, present queue limits; statistics.c passes on what it does not
 * answer): they go to Wine's
 * implementation in win32u, with each of our handles replaced by the Wine
 * handle that our adapter or device object keeps.  A handle that is not one
 * of ours is passed on unchanged, so Wine judges it as it always did; a NULL
 * argument is passed on too, for the same answer Wine gives.
 *
 * Nothing here calls a gdi32 D3DKMT export: gdi32 forwards to this module.
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

NTSTATUS WINAPI NtGdiDdDDISetVidPnSourceOwner(const D3DKMT_SETVIDPNSOURCEOWNER *desc);
NTSTATUS WINAPI NtGdiDdDDICheckVidPnExclusiveOwnership(const D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP *desc);
NTSTATUS WINAPI NtGdiDdDDISetQueuedLimit(D3DKMT_SETQUEUEDLIMIT *desc);

/* Wine's handle of one of our adapters, else the handle itself. */
static D3DKMT_HANDLE host_adapter(D3DKMT_HANDLE handle)
{
    D3DKMT_HANDLE host;

    if (!handle || d3dkmt_host_adapter(handle, &host)) return handle;
    TRACE("adapter %#x -> Wine's %#x\n", handle, host);
    return host;
}

/* Wine's handle of one of our devices, else the handle itself. */
static D3DKMT_HANDLE host_device(D3DKMT_HANDLE handle)
{
    D3DKMT_HANDLE host;

    if (!handle || d3dkmt_host_device(handle, &host)) return handle;
    TRACE("device %#x -> Wine's %#x\n", handle, host);
    return host;
}

/* More VidPN sources than any adapter has (our choice; Wine has no limit). */
#define MAX_SOURCES_PER_CALL 64

/* A copy of a caller array for Wine; a NULL array stays NULL, for Wine to judge. */
static NTSTATUS copy_array(const void *src, UINT count, SIZE_T size, void **copy)
{
    *copy = NULL;
    if (!src) return STATUS_SUCCESS;
    return d3dkmt_copy_array(src, count, size, MAX_SOURCES_PER_CALL, copy);
}

/******************************************************************************
 *           D3DKMTSetVidPnSourceOwner    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTSetVidPnSourceOwner(const D3DKMT_SETVIDPNSOURCEOWNER *desc)
{
    D3DKMT_SETVIDPNSOURCEOWNER copy;
    void *types = NULL, *ids = NULL;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    if (!desc) return NtGdiDdDDISetVidPnSourceOwner(NULL);
    COPY_IN(copy, desc);
    /* Wine's display driver reads both arrays; hand it copies, so a bad
     * pointer is a status here rather than a fault there. */
    if ((status = copy_array(copy.pType, copy.VidPnSourceCount, sizeof(*copy.pType), &types))) return status;
    if ((status = copy_array(copy.pVidPnSourceId, copy.VidPnSourceCount, sizeof(*copy.pVidPnSourceId), &ids)))
    {
        d3dkmt_free(types);
        return status;
    }
    if (types) copy.pType = types;
    if (ids) copy.pVidPnSourceId = ids;
    /* Ownership is recorded under Wine's device handle, the one Wine's own
     * DestroyDevice (called by ours) releases. */
    copy.hDevice = host_device(copy.hDevice);
    status = NtGdiDdDDISetVidPnSourceOwner(&copy);
    d3dkmt_free(types);
    d3dkmt_free(ids);
    TRACE("-> %#lx\n", status);
    return status;
}

/******************************************************************************
 *           D3DKMTCheckVidPnExclusiveOwnership    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTCheckVidPnExclusiveOwnership(const D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP *desc)
{
    D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    if (!desc) return NtGdiDdDDICheckVidPnExclusiveOwnership(NULL);
    COPY_IN(copy, desc);
    copy.hAdapter = host_adapter(copy.hAdapter);
    status = NtGdiDdDDICheckVidPnExclusiveOwnership(&copy);
    TRACE("-> %#lx\n", status);
    return status;
}

/******************************************************************************
 *           D3DKMTSetQueuedLimit    (d3dkmt.@)
 */
NTSTATUS WINAPI D3DKMTSetQueuedLimit(const D3DKMT_SETQUEUEDLIMIT *desc)
{
    D3DKMT_SETQUEUEDLIMIT copy;
    NTSTATUS status;

    TRACE("(%p)\n", desc);
    RETURN_IF_UNAVAILABLE();

    if (!desc) return NtGdiDdDDISetQueuedLimit(NULL);
    COPY_IN(copy, desc);
    copy.hDevice = host_device(copy.hDevice);
    status = NtGdiDdDDISetQueuedLimit(&copy);
    /* A "get" answers in QueuedPresentLimit. */
    if (!status && copy.Type == D3DKMT_GET_QUEUEDLIMIT_PRESENT &&
        !d3dkmt_copy_to_user((void *)&desc->QueuedPresentLimit, &copy.QueuedPresentLimit,
                             sizeof(copy.QueuedPresentLimit)))
        return STATUS_ACCESS_VIOLATION;
    TRACE("-> %#lx\n", status);
    return status;
}

