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
 * struct vidmm_system_ops for the native unit tests: the system view is a
 * POSIX shared memory object (shm_open) of a name the test picks, liveness
 * tokens are OFD locks on it, as under Wine.  Every provider opens the
 * object itself, so it has an open file description of its own: several
 * providers in one process behave as several processes, and a forked child
 * makes its own (after native_system_forget of the parent's).
 */
#ifndef NATIVE_SYSTEM_H
#define NATIVE_SYSTEM_H

#include <stdint.h>
#include "private/vidmm_system.h"

struct native_system
{
    char name[64];
    int fd;
    uint32_t pid;               /* process_id's answer (default getpid()) */
    /* Test hook for process_alive: NULL means the provider has none. */
    int (*alive)(struct native_system *ns, uint32_t pid);
    uint32_t poll_ms;
};

void native_system_init(struct native_system *ns, const char *name);
void native_system_ops(struct native_system *ns, struct vidmm_system_ops *ops);
/* In a forked child: closes the parent's descriptor without unlocking. */
void native_system_forget(struct native_system *ns);
/* Removes the name (the test's end). */
void native_system_unlink(const char *name);

#endif
