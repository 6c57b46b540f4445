/*
 * Compile test: the two example programs from the seed documents (the .txt
 * files in /work/shared/seeds) must build against include/d3dkmthk.h with a
 * plain mingw-w64 compiler.  The examples themselves live, unchanged apart
 * from the one documented typo fix (LockData.hAllocation -> hAllocation in
 * the Lock example), in seed_lock_example.h and seed_createalloc_example.h;
 * this file only supplies the names they take for granted.
 *
 *   x86_64-w64-mingw32-gcc -Iinclude -c tests/seeds/seed_examples.c
 *   i686-w64-mingw32-gcc   -Iinclude -c tests/seeds/seed_examples.c
 *
 * As written the CreateAllocation2 example assigns a D3DDDI_ALLOCATIONINFO2 *
 * to pAllocationInfo and NULL to D3DKMT_HANDLE (UINT) variables, which gcc 12
 * reports under -Wincompatible-pointer-types and -Wint-conversion (warnings
 * by default, errors with gcc >= 14).  A warning-free build, even with
 * -Wall -Wextra -Werror, needs:
 *
 *   -Wno-incompatible-pointer-types -Wno-int-conversion
 */

#include <windows.h>
#include <stdlib.h>
#include <string.h>
#include <d3dkmthk.h>

/* ---- prelude: what the examples expect to exist ---- */

/* Thunk entry points the examples call through. */
PFND3DKMT_LOCK              pfnKTLock             = D3DKMTLock;
PFND3DKMT_CREATEALLOCATION2 pfnKTCreateAllocation = D3DKMTCreateAllocation2;

/* System-memory helpers of the CreateSysmemResource example. */
static VOID *MemAlloc(SIZE_T size)
{
    return malloc(size);
}

static VOID MemFree(VOID *ptr)
{
    free(ptr);
}

/* ---- the examples ---- */

#include "seed_lock_example.h"
#include "seed_createalloc_example.h"
