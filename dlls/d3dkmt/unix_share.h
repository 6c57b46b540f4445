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
 * The share-file primitive under Wine (unix_share.c), for the Unix side:
 * the core reaches it through wine_share_ops; the NT-handle calls use the
 * functions directly.  Include after the Windows headers.
 */
#ifndef D3DKMT_UNIX_SHARE_H
#define D3DKMT_UNIX_SHARE_H

#include "private/vidmm_share.h"

extern const struct vidmm_share_ops wine_share_ops;

/* A new zero-filled share file of `size` bytes (page multiple), mapped
 * read/write in this process; refs 1.  Free with wine_share_release (or the
 * core's reference counting, which calls it at the last reference). */
NTSTATUS wine_share_create(uint64_t size, struct vidmm_share_file **out);
void wine_share_release(struct vidmm_share_file *file);

/* The section rights a D3DKMT access mask gives (write only if `writable`). */
ACCESS_MASK wine_share_section_access(DWORD access, int writable);

/* A new section over the file: the NT handle D3DKMTShareObjects returns.
 * attr (may be NULL) is the caller's, already copied into our memory. */
NTSTATUS wine_share_make_section(struct vidmm_share_file *file, const OBJECT_ATTRIBUTES *attr, DWORD access,
                                 HANDLE *out);

/* Maps the share file behind a caller's NT handle (which it keeps; we
 * duplicate it) if it is a ready share file of `kind`: read/write when the
 * handle allows, else read-only (file->writable 0).  Not a section, or not
 * ours: STATUS_INVALID_PARAMETER; a bad handle: STATUS_INVALID_HANDLE. */
NTSTATUS wine_share_open_handle(HANDLE handle, uint32_t kind, struct vidmm_share_file **out);

/* D3DKMTOpenNtHandleFromName: opens the named section (case-insensitive)
 * with the rights `access` gives, if it is a share file of `kind`.
 * access 0: STATUS_ACCESS_DENIED; no such name, or not ours:
 * STATUS_OBJECT_NAME_NOT_FOUND. */
NTSTATUS wine_share_open_name(const OBJECT_ATTRIBUTES *attr, DWORD access, uint32_t kind, HANDLE *out);

NTSTATUS wine_share_publish_global(void *ctx, struct vidmm_share_file *file,
                                   int (*busy)(void *busy_ctx, uint32_t value), void *busy_ctx);
NTSTATUS wine_share_open_global(void *ctx, uint32_t value, uint32_t kind, struct vidmm_share_file **out);

/* Before the manager starts: global names get a private system view's name
 * ("" for the prefix-wide one), so tests side by side do not see each other's. */
void wine_share_set_scope(const char *name, size_t size);

#endif
