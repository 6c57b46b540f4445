/*
 * The private-data formats of the Wine D3DKMT display "driver".
 *
 * On Windows the kernel-mode display driver decides an allocation's size and
 * placement by parsing the user-mode driver's opaque per-allocation private
 * data.  Under Wine this module is that driver, so it defines the format here.
 * Plain C with fixed-width fields: the same layout on x86_64 and i686, and
 * usable from Windows programs as well as from the Unix side.
 */
#ifndef D3DKMT_DRIVER_H
#define D3DKMT_DRIVER_H

#ifdef _WIN32
#include <windows.h>
typedef UINT32 D3DKMT_WINE_U32;
typedef UINT64 D3DKMT_WINE_U64;
#else
#include <stdint.h>
typedef uint32_t D3DKMT_WINE_U32;
typedef uint64_t D3DKMT_WINE_U64;
#endif

/* ---- Per-allocation private driver data ("WKMA" descriptor) ----
 *
 *  offset 0  Magic         D3DKMT_WINE_ALLOC_MAGIC
 *  offset 4  Version       D3DKMT_WINE_ALLOC_VERSION
 *  offset 8  Size          bytes; rounded up to a multiple of 4096
 *  offset 16 Alignment     0 or a power of two >= 4096
 *  offset 20 SegmentGroup  0 = local (video memory), 1 = non-local (system memory aperture)
 *  offset 24 Flags         D3DKMT_WINE_ALLOC_FLAG_*; other bits must be 0
 *  offset 28 Priority      0 = normal, else a D3DDDI_ALLOCATIONPRIORITY value
 *
 * PrivateDriverDataSize must be at least sizeof(D3DKMT_WINE_ALLOCATION_DESC)
 * (32) and at most D3DKMT_WINE_MAX_PRIVATE_DATA; bytes after the descriptor
 * are kept for the caller (returned by OpenResource) and otherwise ignored.
 * Anything else is STATUS_INVALID_PARAMETER.
 */
#define D3DKMT_WINE_ALLOC_MAGIC    0x414d4b57u  /* "WKMA" in memory order */
#define D3DKMT_WINE_ALLOC_VERSION  1u

#define D3DKMT_WINE_SEGMENT_GROUP_LOCAL     0u
#define D3DKMT_WINE_SEGMENT_GROUP_NON_LOCAL 1u

#define D3DKMT_WINE_ALLOC_FLAG_CPU_VISIBLE  0x1u  /* may be locked while in video memory */
#define D3DKMT_WINE_ALLOC_FLAG_PINNED       0x2u  /* never moves once placed */
#define D3DKMT_WINE_ALLOC_FLAG_SWIZZLED     0x4u  /* locking in video memory needs an aperture */
#define D3DKMT_WINE_ALLOC_FLAGS_VALID       0x7u

typedef struct _D3DKMT_WINE_ALLOCATION_DESC
{
    D3DKMT_WINE_U32 Magic;
    D3DKMT_WINE_U32 Version;
    D3DKMT_WINE_U64 Size;
    D3DKMT_WINE_U32 Alignment;
    D3DKMT_WINE_U32 SegmentGroup;
    D3DKMT_WINE_U32 Flags;
    D3DKMT_WINE_U32 Priority;
} D3DKMT_WINE_ALLOCATION_DESC;

/* Largest private driver data (per allocation, per resource, runtime data)
 * the module accepts; larger sizes are STATUS_INVALID_PARAMETER. */
#define D3DKMT_WINE_MAX_PRIVATE_DATA   (64u * 1024u)

/* Most allocations one CreateAllocation call may create. */
#define D3DKMT_WINE_MAX_ALLOCATIONS_PER_CALL 1024u

/* Most nested locks (Lock and Lock2 together) of one allocation; one more is
 * STATUS_GRAPHICS_TOO_MANY_REFERENCES. */
#define D3DKMT_WINE_MAX_LOCK_REFERENCES 0xffffu

/* Local segment size when neither a setting nor the host tells it:
 * WINE_D3DKMT_VIDMEM_MB in the environment, or the DWORD value
 * HKCU\Software\Wine\D3DKMT\VideoMemorySizeMB, overrides it. */
#define D3DKMT_WINE_DEFAULT_LOCAL_SEGMENT_MB 1024u

#endif /* D3DKMT_DRIVER_H */
