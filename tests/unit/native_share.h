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
 * struct vidmm_share_ops for the native unit tests: a share file is a memfd
 * mapped MAP_SHARED.  Global values live in a table of this process, which a
 * fork()ed child inherits with the descriptors, so a child made after the
 * publish can open them (a second "process" of the prefix).  Counts live
 * files so tests can check for leaks.  Thread-safe.
 */
#ifndef NATIVE_SHARE_H
#define NATIVE_SHARE_H

#include "private/vidmm_share.h"

struct native_share;

struct native_share *native_share_create(void);
void native_share_destroy(struct native_share *ns);
void native_share_ops(struct native_share *ns, struct vidmm_share_ops *ops);
/* Share files mapped now, and global values live. */
long native_share_live(struct native_share *ns);
long native_share_globals(struct native_share *ns);
/* The memfd of a mapped file (for a test to pass to a child), and a file
 * mapped from such a descriptor, read-only unless `writable`. */
int native_share_fd(struct vidmm_share_file *file);
NTSTATUS native_share_open_fd(struct native_share *ns, int fd, int writable, uint32_t kind,
                              struct vidmm_share_file **out);
/* The next create fails (once). */
void native_share_fail_next_create(struct native_share *ns);

#endif
