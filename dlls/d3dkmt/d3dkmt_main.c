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
 * d3dkmt.dll PE side: module setup, the Unix call, and safe access to
 * caller memory.
 *
 * Every export copies the caller's struct and whatever it points to into
 * memory of its own (under an exception handler, so a bad pointer becomes a
 * status, never a crash), validates what can be validated here, and makes
 * one Unix call.
 */
#include "d3dkmt_private.h"

/* Wine's __TRY/__EXCEPT (with winecrt0): i386 only, see d3dkmt_guarded. */
#include "wine/exception.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

static BOOL unix_ready;
struct vidmm_fastlock_table *d3dkmt_fastlock;

BOOL d3dkmt_unavailable(void)
{
    return !unix_ready;
}

NTSTATUS d3dkmt_unix_call(enum d3dkmt_unix_call code, void *args)
{
    if (!unix_ready) return D3DKMT_STATUS_UNAVAILABLE;
    return WINE_UNIX_CALL(code, args);
}

/* Every way caller memory can fault: not mapped or protected, a PAGE_GUARD
 * page (one-shot: the fault clears it), a mapped file that cannot be paged
 * in, and misaligned access where the CPU checks it. */
LONG CALLBACK d3dkmt_user_fault_filter(EXCEPTION_POINTERS *ptrs);   /* named by the x86_64 scope below */
LONG CALLBACK d3dkmt_user_fault_filter(EXCEPTION_POINTERS *ptrs)
{
    switch (ptrs->ExceptionRecord->ExceptionCode)
    {
    case EXCEPTION_ACCESS_VIOLATION:
    case EXCEPTION_GUARD_PAGE:
    case EXCEPTION_IN_PAGE_ERROR:
    case EXCEPTION_DATATYPE_MISALIGNMENT:
        return EXCEPTION_EXECUTE_HANDLER;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

/* Every access to caller memory runs under d3dkmt_guarded.
 *
 * x86_64: a table-based frame, as MSVC's __try makes.  The call costs
 * nothing; when body faults, ntdll's __C_specific_handler finds the call's
 * return address in the scope below, asks the filter, and unwinds to
 * .Lguarded_fault, which returns STATUS_ACCESS_VIOLATION (the unwind puts
 * back every register body saved).  The nop keeps the return address inside
 * the scope.  Wine's __TRY is not used here: on x86_64 it links a frame into
 * the TEB list in plain C, and GCC drops the store of the frame's Prev link
 * when the body makes no call that could read it (a memcpy or an inlined
 * loop), so a caught fault left a stale entry there that crashed the next
 * dispatch walking that far (hostile.c checks the list around every row).
 * It also costs a setjmp, about 40 instructions, on every Lock and Unlock.
 *
 * i386: Wine's __TRY, whose push is an asm statement that keeps the link. */
#ifdef __x86_64__
__asm__(
    ".text\n"
    ".globl d3dkmt_guarded\n"
    ".def d3dkmt_guarded; .scl 2; .type 32; .endef\n"
    ".seh_proc d3dkmt_guarded\n"
    "d3dkmt_guarded:\n\t"
    "subq $0x28, %rsp\n\t"
    ".seh_stackalloc 0x28\n\t"
    ".seh_endprologue\n\t"
    ".seh_handler __C_specific_handler, @except\n\t"
    ".seh_handlerdata\n\t"
    ".long 1\n\t"   /* one scope: begin, end, filter, target */
    ".rva .Lguarded_begin, .Lguarded_end, d3dkmt_user_fault_filter, .Lguarded_fault\n\t"
    ".text\n\t"
    "movq %rcx, %rax\n\t"
    "movq %rdx, %rcx\n"
    ".Lguarded_begin:\n\t"
    "callq *%rax\n\t"
    "nop\n"
    ".Lguarded_end:\n\t"
    "addq $0x28, %rsp\n\t"
    "ret\n"
    ".Lguarded_fault:\n\t"
    "movl $0xc0000005, %eax\n\t"   /* STATUS_ACCESS_VIOLATION */
    "addq $0x28, %rsp\n\t"
    "ret\n\t"
    ".seh_endproc");
#else
NTSTATUS d3dkmt_guarded(NTSTATUS (*body)(void *ctx), void *ctx)
{
    NTSTATUS status;

    __TRY
    {
        status = body(ctx);
    }
    __EXCEPT(d3dkmt_user_fault_filter)
    {
        return STATUS_ACCESS_VIOLATION;
    }
    __ENDTRY
    return status;
}
#endif

struct user_access
{
    void *dst;
    const void *src;
    SIZE_T size;
};

static NTSTATUS copy_body(void *ctx)
{
    const struct user_access *a = ctx;

    memcpy(a->dst, a->src, a->size);
    return STATUS_SUCCESS;
}

BOOL d3dkmt_copy_user(void *dst, const void *src, SIZE_T size)
{
    struct user_access a = { dst, src, size };

    if (!size) return TRUE;
    if (!dst || !src) return FALSE;
    return !d3dkmt_guarded(copy_body, &a);
}

NTSTATUS d3dkmt_copy_in(void *copy, const void *desc, SIZE_T size)
{
    if (!desc) return STATUS_INVALID_PARAMETER;
    return d3dkmt_copy_user(copy, desc, size) ? STATUS_SUCCESS : STATUS_ACCESS_VIOLATION;
}

void d3dkmt_touch_for_write(void *dst, SIZE_T size)
{
    volatile BYTE *p = dst;
    SIZE_T i;

    if (!size) return;
    for (i = 0; i < size; i += 4096) p[i] = p[i];
    p[size - 1] = p[size - 1];
}

static NTSTATUS touch_body(void *ctx)
{
    const struct user_access *a = ctx;

    d3dkmt_touch_for_write(a->dst, a->size);
    return STATUS_SUCCESS;
}

BOOL d3dkmt_probe_for_write(void *dst, SIZE_T size)
{
    struct user_access a = { dst, NULL, size };

    if (!size) return TRUE;
    if (!dst) return FALSE;
    return !d3dkmt_guarded(touch_body, &a);
}

void *d3dkmt_alloc(SIZE_T size)
{
    return HeapAlloc(GetProcessHeap(), 0, size ? size : 1);
}

void d3dkmt_free(void *ptr)
{
    HeapFree(GetProcessHeap(), 0, ptr);
}

NTSTATUS d3dkmt_copy_array_into(const void *src, UINT count, SIZE_T elem_size, UINT max, void *buffer,
                                SIZE_T buffer_size, void **out)
{
    void *copy;

    *out = NULL;
    if (!count) return STATUS_SUCCESS;
    if (!src || count > max) return STATUS_INVALID_PARAMETER;
    if (count * elem_size <= buffer_size) copy = buffer;
    else if (!(copy = d3dkmt_alloc(count * elem_size))) return STATUS_NO_MEMORY;
    if (!d3dkmt_copy_from_user(copy, src, count * elem_size))
    {
        if (copy != buffer) d3dkmt_free(copy);
        return STATUS_ACCESS_VIOLATION;
    }
    *out = copy;
    return STATUS_SUCCESS;
}

NTSTATUS d3dkmt_copy_array(const void *src, UINT count, SIZE_T elem_size, UINT max, void **out)
{
    return d3dkmt_copy_array_into(src, count, elem_size, max, NULL, 0, out);
}

/* The test-control escape is for our tests and benchmark: it answers only in
 * a process whose environment has WINE_D3DKMT_TEST_CONTROL=1 (the Windows
 * environment, which CreateProcess may set per process). */
static UINT32 manager_flags(void)
{
    WCHAR value[2];

    if (GetEnvironmentVariableW(L"WINE_D3DKMT_TEST_CONTROL", value, ARRAY_SIZE(value)) != 1 || value[0] != '1')
        return 0;
    TRACE("test control enabled\n");
    return VIDMM_CREATE_TEST_CONTROL;
}

/* Which system view the process joins (unix_system.c): the prefix-wide one,
 * or the one WINE_D3DKMT_SYSTEM_VIEW names.  A process under test control
 * without that setting gets one of its own, so that tests running side by
 * side in one prefix do not share budgets; a two-process test sets the name
 * for itself and its children. */
static void system_view_name(char *name, size_t size, UINT32 flags)
{
    char value[32];
    DWORD len = GetEnvironmentVariableA("WINE_D3DKMT_SYSTEM_VIEW", value, sizeof(value));
    DWORD i;

    name[0] = 0;
    if (len && len < sizeof(value))
    {
        for (i = 0; i < len; i++)
            if (!isalnum((unsigned char)value[i]) && value[i] != '-' && value[i] != '_') break;
        if (i == len)
        {
            lstrcpynA(name, value, size);
            return;
        }
        WARN("ignoring WINE_D3DKMT_SYSTEM_VIEW=%s\n", debugstr_a(value));
    }
    if (flags & VIDMM_CREATE_TEST_CONTROL) snprintf(name, size, "test-%lu", GetCurrentProcessId());
}

/* Fault injection for application developers (vidmm_faults.h): the setting
 * from WINE_D3DKMT_FAULTS, else from the registry value "Faults" (a string)
 * of HKCU\Software\Wine\AppDefaults\<program>.exe\d3dkmt, else of
 * HKCU\Software\Wine\d3dkmt.  The environment wins, even when empty, so one
 * run can turn off what the prefix sets.  The Unix side parses it and reports
 * a bad item; a setting too long or not a string is reported here. */
static BOOL faults_from_key(const WCHAR *path, char *text, DWORD size)
{
    DWORD type, bytes = size - 1;
    LONG ret;
    HKEY key;

    if (RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_QUERY_VALUE, &key)) return FALSE;
    ret = RegQueryValueExA(key, "Faults", NULL, &type, (BYTE *)text, &bytes);
    RegCloseKey(key);
    if (ret == ERROR_FILE_NOT_FOUND) return FALSE;
    if (ret == ERROR_MORE_DATA)
        ERR("ignoring the registry value Faults of %s: longer than %lu characters\n", debugstr_w(path), size - 1);
    else if (ret || (type != REG_SZ && type != REG_EXPAND_SZ))
        ERR("ignoring the registry value Faults of %s: not a string\n", debugstr_w(path));
    else
    {
        text[bytes] = 0;
        TRACE("%s Faults=%s\n", debugstr_w(path), debugstr_a(text));
        return TRUE;
    }
    text[0] = 0;
    return TRUE;
}

static void faults_setting(char *text, DWORD size)
{
    WCHAR exe[MAX_PATH], path[MAX_PATH + 64];
    const WCHAR *name;
    DWORD len;

    text[0] = 0;
    SetLastError(ERROR_SUCCESS);
    len = GetEnvironmentVariableA("WINE_D3DKMT_FAULTS", text, size);
    if (len >= size)
    {
        ERR("ignoring WINE_D3DKMT_FAULTS: longer than %lu characters\n", size - 1);
        text[0] = 0;
        return;
    }
    if (len || GetLastError() != ERROR_ENVVAR_NOT_FOUND)
    {
        text[len] = 0;
        TRACE("WINE_D3DKMT_FAULTS=%s\n", debugstr_a(text));
        return;
    }
    len = GetModuleFileNameW(NULL, exe, ARRAY_SIZE(exe));
    if (len && len < ARRAY_SIZE(exe))
    {
        name = exe + len;
        while (name > exe && name[-1] != '\\' && name[-1] != '/') name--;
        swprintf(path, ARRAY_SIZE(path), L"Software\\Wine\\AppDefaults\\%s\\d3dkmt", name);
        if (faults_from_key(path, text, size)) return;
    }
    faults_from_key(L"Software\\Wine\\d3dkmt", text, size);
}

NTSTATUS d3dkmt_host_adapter(D3DKMT_HANDLE handle, D3DKMT_HANDLE *host)
{
    struct d3dkmt_query_adapter_params params = {0};
    NTSTATUS status;

    params.handle = handle;
    if ((status = d3dkmt_unix_call(unix_query_adapter, &params))) return status;
    *host = params.info.host_handle;
    return STATUS_SUCCESS;
}

NTSTATUS d3dkmt_host_device(D3DKMT_HANDLE handle, D3DKMT_HANDLE *host)
{
    struct d3dkmt_query_device_params params = {0};
    NTSTATUS status;

    params.handle = handle;
    if ((status = d3dkmt_unix_call(unix_query_device, &params))) return status;
    *host = params.info.host_handle;
    return STATUS_SUCCESS;
}

/* Without the Unix side (d3dkmt.so not found, or the manager could not
 * start) the module still loads, so whatever imports it through gdi32 loads
 * too; every export then fails with D3DKMT_STATUS_UNAVAILABLE. */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    struct d3dkmt_process_attach_params attach = {0};
    NTSTATUS status;

    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        DisableThreadLibraryCalls(instance);
        if ((status = __wine_init_unix_call()))
        {
            ERR("d3dkmt.so not found (status %#lx); is the module installed as a builtin? "
                "Every D3DKMT call will fail.\n", status);
            break;
        }
        attach.flags = manager_flags();
        system_view_name(attach.system_view, sizeof(attach.system_view), attach.flags);
        faults_setting(attach.faults, sizeof(attach.faults));
        /* Ours for the whole process: the manager arms its slots in it. */
        if ((d3dkmt_fastlock = VirtualAlloc(NULL, sizeof(*d3dkmt_fastlock), MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)))
            d3dkmt_fastlock->slot_bits = VIDMM_FASTLOCK_SLOT_BITS;
        attach.fastlock_table = (ULONG_PTR)d3dkmt_fastlock;
        TRACE("system view %s\n", debugstr_a(attach.system_view));
        if ((status = WINE_UNIX_CALL(unix_process_attach, &attach)))
        {
            ERR("the video memory manager could not start, status %#lx; every D3DKMT call will fail.\n", status);
            break;
        }
        unix_ready = TRUE;
        break;
    }
    return TRUE;
}
