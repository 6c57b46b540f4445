/*
 * Cross-check: the structures that Wine 8.0's own <ddk/d3dkmthk.h> also
 * defines must have the same Windows layout as ours.  This file includes
 * Wine's headers only (not include/), so it is built with winegcc:
 *
 *   winegcc -b x86_64-w64-mingw32 -Wall -Wextra -Werror -c tests/layout/layout_wine.c -o /tmp/wine64.o
 *   winegcc -b i686-w64-mingw32   -Wall -Wextra -Werror -c tests/layout/layout_wine.c -o /tmp/wine32.o
 *   winegcc                       -Wall -Wextra -Werror -c tests/layout/layout_wine.c -o /tmp/wine_unix.o
 *
 * (-b <target> makes winegcc drive the mingw cross compiler with Wine's
 * include directories, which is how Wine builds its PE modules; without -b
 * it builds for the Unix side, where the 64-bit layout must match too.)
 *
 * The expected numbers are the same hand-derived Windows values as in
 * layout_checks.c.  With -DLAYOUT_WINE_MAIN the file also links into a
 * program that prints Wine's sizes and offsets for side-by-side comparison.
 */

#include <windows.h>
#include <stddef.h>
#include <ddk/d3dkmthk.h>

#define SIZE(type, n) \
    _Static_assert(sizeof(type) == (n), "Wine sizeof(" #type ") != " #n)
#define OFF(type, field, n) \
    _Static_assert(offsetof(type, field) == (n), "Wine offsetof(" #type ", " #field ") != " #n)

/* Same on both architectures. */
SIZE(D3DKMT_HANDLE, 4);
SIZE(D3DDDI_ESCAPEFLAGS, 4);
SIZE(D3DKMT_CREATEDEVICEFLAGS, 4);
SIZE(D3DDDI_ALLOCATIONLIST, 8);
OFF(D3DDDI_ALLOCATIONLIST, Value, 4);
SIZE(D3DDDI_PATCHLOCATIONLIST, 24);
OFF(D3DDDI_PATCHLOCATIONLIST, Value, 4);
OFF(D3DDDI_PATCHLOCATIONLIST, SplitOffset, 20);
SIZE(D3DKMT_DESTROYDEVICE, 4);
SIZE(D3DKMT_CLOSEADAPTER, 4);
SIZE(D3DKMT_OPENADAPTERFROMLUID, 12);
OFF(D3DKMT_OPENADAPTERFROMLUID, hAdapter, 8);
SIZE(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME, 80);
OFF(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME, hAdapter, 64);
OFF(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME, AdapterLuid, 68);
OFF(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME, VidPnSourceId, 76);
SIZE(D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP, 8);
OFF(D3DKMT_CHECKVIDPNEXCLUSIVEOWNERSHIP, VidPnSourceId, 4);
SIZE(D3DKMT_QUERYVIDEOMEMORYINFO, 56);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, Budget, 16);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, AvailableForReservation, 40);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, PhysicalAdapterIndex, 48);

#ifdef _WIN64
SIZE(D3DKMT_CREATEDEVICE, 64);
OFF(D3DKMT_CREATEDEVICE, Flags, 8);
OFF(D3DKMT_CREATEDEVICE, hDevice, 12);
OFF(D3DKMT_CREATEDEVICE, pCommandBuffer, 16);
OFF(D3DKMT_CREATEDEVICE, CommandBufferSize, 24);
OFF(D3DKMT_CREATEDEVICE, pAllocationList, 32);
OFF(D3DKMT_CREATEDEVICE, AllocationListSize, 40);
OFF(D3DKMT_CREATEDEVICE, pPatchLocationList, 48);
OFF(D3DKMT_CREATEDEVICE, PatchLocationListSize, 56);
SIZE(D3DKMT_OPENADAPTERFROMHDC, 24);
OFF(D3DKMT_OPENADAPTERFROMHDC, hAdapter, 8);
OFF(D3DKMT_OPENADAPTERFROMHDC, AdapterLuid, 12);
OFF(D3DKMT_OPENADAPTERFROMHDC, VidPnSourceId, 20);
SIZE(D3DKMT_OPENADAPTERFROMDEVICENAME, 24);
OFF(D3DKMT_OPENADAPTERFROMDEVICENAME, hAdapter, 8);
OFF(D3DKMT_OPENADAPTERFROMDEVICENAME, AdapterLuid, 12);
SIZE(D3DKMT_SETVIDPNSOURCEOWNER, 32);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, pType, 8);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, pVidPnSourceId, 16);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, VidPnSourceCount, 24);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, hAdapter, 8);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, MemorySegmentGroup, 12);
SIZE(D3DKMT_ESCAPE, 32);
OFF(D3DKMT_ESCAPE, Flags, 12);
OFF(D3DKMT_ESCAPE, pPrivateDriverData, 16);
OFF(D3DKMT_ESCAPE, PrivateDriverDataSize, 24);
OFF(D3DKMT_ESCAPE, hContext, 28);
#else
SIZE(D3DKMT_CREATEDEVICE, 36);
OFF(D3DKMT_CREATEDEVICE, Flags, 4);
OFF(D3DKMT_CREATEDEVICE, hDevice, 8);
OFF(D3DKMT_CREATEDEVICE, pCommandBuffer, 12);
OFF(D3DKMT_CREATEDEVICE, CommandBufferSize, 16);
OFF(D3DKMT_CREATEDEVICE, pAllocationList, 20);
OFF(D3DKMT_CREATEDEVICE, AllocationListSize, 24);
OFF(D3DKMT_CREATEDEVICE, pPatchLocationList, 28);
OFF(D3DKMT_CREATEDEVICE, PatchLocationListSize, 32);
SIZE(D3DKMT_OPENADAPTERFROMHDC, 20);
OFF(D3DKMT_OPENADAPTERFROMHDC, hAdapter, 4);
OFF(D3DKMT_OPENADAPTERFROMHDC, AdapterLuid, 8);
OFF(D3DKMT_OPENADAPTERFROMHDC, VidPnSourceId, 16);
SIZE(D3DKMT_OPENADAPTERFROMDEVICENAME, 16);
OFF(D3DKMT_OPENADAPTERFROMDEVICENAME, hAdapter, 4);
OFF(D3DKMT_OPENADAPTERFROMDEVICENAME, AdapterLuid, 8);
SIZE(D3DKMT_SETVIDPNSOURCEOWNER, 16);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, pType, 4);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, pVidPnSourceId, 8);
OFF(D3DKMT_SETVIDPNSOURCEOWNER, VidPnSourceCount, 12);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, hAdapter, 4);
OFF(D3DKMT_QUERYVIDEOMEMORYINFO, MemorySegmentGroup, 8);
SIZE(D3DKMT_ESCAPE, 28);
OFF(D3DKMT_ESCAPE, Flags, 12);
OFF(D3DKMT_ESCAPE, pPrivateDriverData, 16);
OFF(D3DKMT_ESCAPE, PrivateDriverDataSize, 20);
OFF(D3DKMT_ESCAPE, hContext, 24);
#endif

#ifdef LAYOUT_WINE_MAIN
#include <stdio.h>

#define PS(type) printf("%-40s size %3u\n", #type, (unsigned)sizeof(type))
#define PO(type, field) printf("  %-38s %3u\n", #field, (unsigned)offsetof(type, field))

int main(void)
{
    PS(D3DKMT_CREATEDEVICE);
    PO(D3DKMT_CREATEDEVICE, Flags);
    PO(D3DKMT_CREATEDEVICE, hDevice);
    PO(D3DKMT_CREATEDEVICE, pCommandBuffer);
    PO(D3DKMT_CREATEDEVICE, pAllocationList);
    PO(D3DKMT_CREATEDEVICE, pPatchLocationList);
    PO(D3DKMT_CREATEDEVICE, PatchLocationListSize);
    PS(D3DKMT_OPENADAPTERFROMHDC);
    PO(D3DKMT_OPENADAPTERFROMHDC, hAdapter);
    PO(D3DKMT_OPENADAPTERFROMHDC, AdapterLuid);
    PO(D3DKMT_OPENADAPTERFROMHDC, VidPnSourceId);
    PS(D3DKMT_OPENADAPTERFROMDEVICENAME);
    PO(D3DKMT_OPENADAPTERFROMDEVICENAME, hAdapter);
    PO(D3DKMT_OPENADAPTERFROMDEVICENAME, AdapterLuid);
    PS(D3DKMT_OPENADAPTERFROMGDIDISPLAYNAME);
    PS(D3DKMT_OPENADAPTERFROMLUID);
    PS(D3DKMT_SETVIDPNSOURCEOWNER);
    PO(D3DKMT_SETVIDPNSOURCEOWNER, VidPnSourceCount);
    PS(D3DKMT_QUERYVIDEOMEMORYINFO);
    PO(D3DKMT_QUERYVIDEOMEMORYINFO, hAdapter);
    PO(D3DKMT_QUERYVIDEOMEMORYINFO, Budget);
    PO(D3DKMT_QUERYVIDEOMEMORYINFO, PhysicalAdapterIndex);
    PS(D3DKMT_ESCAPE);
    PO(D3DKMT_ESCAPE, pPrivateDriverData);
    PO(D3DKMT_ESCAPE, hContext);
    PS(D3DDDI_ALLOCATIONLIST);
    PS(D3DDDI_PATCHLOCATIONLIST);
    return 0;
}
#endif
