/*
 * Shared by the Unix-side files of d3dkmt.so.
 */
#ifndef D3DKMT_UNIX_PRIVATE_H
#define D3DKMT_UNIX_PRIVATE_H

#include "private/vidmm.h"

extern const struct vidmm_memory_ops wine_memory_ops;
uint32_t wine_max_reservations(void);

#endif
