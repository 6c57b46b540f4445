/*
 * A Windows program that finds the D3DKMT functions the way many drivers and
 * runtimes do: GetProcAddress(GetModuleHandleA("gdi32.dll"), "D3DKMTLock").
 * It never names d3dkmt.dll; through a gdi32 that forwards them, the
 * addresses it gets must be in d3dkmt.dll and the calls must work.  Like any
 * program that draws, it imports an ordinary GDI function, so gdi32.dll is
 * loaded with it.
 */
#include "gdi32_d3dkmt.h"

START_TEST(gdi32_getproc)
{
    HMODULE gdi32 = GetModuleHandleA("gdi32.dll");
    struct gdi32_d3dkmt f;

    ok(GetStockObject(WHITE_BRUSH) != NULL, "GetStockObject failed\n");
    ok(gdi32 != NULL, "gdi32.dll is not loaded\n");
    if (!gdi32) return;
#define GET(field, name) \
    f.field = (void *)GetProcAddress(gdi32, name); \
    check_module(name, f.field); \
    if (!f.field) return;
    GET(open_adapter, "D3DKMTOpenAdapterFromGdiDisplayName");
    GET(create_device, "D3DKMTCreateDevice");
    GET(create_allocation2, "D3DKMTCreateAllocation2");
    GET(lock, "D3DKMTLock");
    GET(unlock, "D3DKMTUnlock");
    GET(destroy_allocation, "D3DKMTDestroyAllocation");
    GET(destroy_device, "D3DKMTDestroyDevice");
    GET(close_adapter, "D3DKMTCloseAdapter");
#undef GET
    run_gdi32_d3dkmt(&f);
}
