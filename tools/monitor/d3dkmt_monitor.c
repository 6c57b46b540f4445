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
 * d3dkmt-monitor: the live video-memory use of every adapter and of every
 * process of the prefix on it, as text or as JSON Lines
 * (tools/monitor/snapshot.schema.json).  Segment figures come from
 * D3DKMTQueryStatistics, the per-process ones from the module's statistics
 * escape (d3dkmt_driver.h); each process' local usage is also asked of
 * D3DKMTQueryStatistics, as Task Manager would, to show the two agree.
 * Rates are the difference between two samples over the time between them.
 */
#define __USE_MINGW_ANSI_STDIO 1  /* %llu and %f as C99 has them */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wine-d3dkmt/d3dkmthk.h"
#include "wine-d3dkmt/d3dkmt_driver.h"

#define MAX_ADAPTERS 16
#define BAR_WIDTH 20

static PFND3DKMT_ENUMADAPTERS2 pEnumAdapters2;
static PFND3DKMT_OPENADAPTERFROMLUID pOpenAdapterFromLuid;
static PFND3DKMT_CLOSEADAPTER pCloseAdapter;
static PFND3DKMT_ESCAPE pEscape;
static PFND3DKMT_QUERYSTATISTICS pQueryStatistics;

struct options
{
    BOOL once, json;
    DWORD interval_ms;
    unsigned long count;  /* 0: until Ctrl-C */
};

struct proc_sample
{
    DWORD pid;
    char name[MAX_PATH * 3];  /* UTF-8 */
    D3DKMT_WINE_STATISTICS st;
    UINT64 qs_usage;
};

struct adapter_sample
{
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION seg[2];
    D3DKMT_WINE_STATISTICS sys;
    struct proc_sample *procs;
    UINT count, capacity;
};

struct adapter
{
    LUID luid;
    D3DKMT_HANDLE handle;
};

struct snapshot
{
    UINT64 time_ms;
    struct adapter_sample a[MAX_ADAPTERS];
};

static struct adapter adapters[MAX_ADAPTERS];
static UINT adapter_count;
static HANDLE stop_event;

static void usage(FILE *out)
{
    fprintf(out, "usage: d3dkmt-monitor [--once] [--json] [--interval MS] [--count N] [--help]\n"
                 "  --once         two samples 500 ms apart, one snapshot, then exit\n"
                 "  --json         one JSON object per snapshot and line (JSON Lines)\n"
                 "  --interval MS  time between snapshots (default 1000)\n"
                 "  --count N      stop after N snapshots\n");
}

static BOOL parse_number(const char *s, unsigned long *value)
{
    char *end;

    if (!s || *s < '0' || *s > '9') return FALSE;
    *value = strtoul(s, &end, 10);
    return !*end;
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
    unsigned long v;
    int i;

    o->once = o->json = FALSE;
    o->interval_ms = 1000;
    o->count = 0;
    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--once")) o->once = TRUE;
        else if (!strcmp(argv[i], "--json")) o->json = TRUE;
        else if (!strcmp(argv[i], "--help")) { usage(stdout); return 0; }
        else if (!strcmp(argv[i], "--interval") && parse_number(argv[i + 1], &v) && v && v < 86400000)
            { o->interval_ms = v; i++; }
        else if (!strcmp(argv[i], "--count") && parse_number(argv[i + 1], &v) && v)
            { o->count = v; i++; }
        else
        {
            fprintf(stderr, "d3dkmt-monitor: bad option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (o->once) { o->count = 1; o->interval_ms = 500; }
    return -1;
}

static BOOL load_functions(void)
{
    HMODULE module = LoadLibraryA("d3dkmt.dll");

    if (!module) return FALSE;
    pEnumAdapters2 = (void *)GetProcAddress(module, "D3DKMTEnumAdapters2");
    pOpenAdapterFromLuid = (void *)GetProcAddress(module, "D3DKMTOpenAdapterFromLuid");
    pCloseAdapter = (void *)GetProcAddress(module, "D3DKMTCloseAdapter");
    pEscape = (void *)GetProcAddress(module, "D3DKMTEscape");
    pQueryStatistics = (void *)GetProcAddress(module, "D3DKMTQueryStatistics");
    return pEnumAdapters2 && pOpenAdapterFromLuid && pCloseAdapter && pEscape && pQueryStatistics;
}

static void close_handle(D3DKMT_HANDLE handle)
{
    D3DKMT_CLOSEADAPTER close = { handle };
    pCloseAdapter(&close);
}

/* EnumAdapters2 opens a handle per adapter: those are closed, and each
 * adapter opened again by its LUID, the way a tool that keeps LUIDs does. */
static void open_adapters(void)
{
    D3DKMT_ADAPTERINFO info[MAX_ADAPTERS];
    D3DKMT_ENUMADAPTERS2 e = { MAX_ADAPTERS, info };
    D3DKMT_OPENADAPTERFROMLUID open;
    UINT i;

    memset(info, 0, sizeof(info));
    if (pEnumAdapters2(&e)) return;
    for (i = 0; i < e.NumAdapters && i < MAX_ADAPTERS; i++)
    {
        close_handle(info[i].hAdapter);
        memset(&open, 0, sizeof(open));
        open.AdapterLuid = info[i].AdapterLuid;
        if (pOpenAdapterFromLuid(&open)) continue;
        adapters[adapter_count].luid = open.AdapterLuid;
        adapters[adapter_count++].handle = open.hAdapter;
    }
}

static void close_adapters(void)
{
    while (adapter_count) close_handle(adapters[--adapter_count].handle);
}

static NTSTATUS wine_statistics(D3DKMT_HANDLE adapter, UINT scope, DWORD pid, D3DKMT_WINE_STATISTICS *st)
{
    D3DKMT_ESCAPE escape;

    memset(st, 0, sizeof(*st));
    st->Magic = D3DKMT_WINE_STATISTICS_MAGIC;
    st->Scope = scope;
    st->ProcessId = pid;
    memset(&escape, 0, sizeof(escape));
    escape.hAdapter = adapter;
    escape.Type = D3DKMT_ESCAPE_DRIVERPRIVATE;
    escape.pPrivateDriverData = st;
    escape.PrivateDriverDataSize = sizeof(*st);
    return pEscape(&escape);
}

static NTSTATUS query_statistics(D3DKMT_QUERYSTATISTICS *q, D3DKMT_QUERYSTATISTICS_TYPE type, LUID luid,
                                 HANDLE process, ULONG arg)
{
    memset(q, 0, sizeof(*q));
    q->Type = type;
    q->AdapterLuid = luid;
    q->hProcess = process;
    q->Query = arg;
    return pQueryStatistics(q);
}

static void sample_segments(const struct adapter *a, struct adapter_sample *s)
{
    D3DKMT_QUERYSTATISTICS q;
    ULONG seg;

    for (seg = 0; seg < 2; seg++)
    {
        memset(&s->seg[seg], 0, sizeof(s->seg[seg]));
        if (!query_statistics(&q, D3DKMT_QUERYSTATISTICS_SEGMENT, a->luid, NULL, seg))
            s->seg[seg] = q.QueryResult.SegmentInformation;
    }
    wine_statistics(a->handle, D3DKMT_WINE_STATISTICS_SYSTEM, 0, &s->sys);
}

/* The process' local usage as D3DKMTQueryStatistics tells it. */
static UINT64 qs_local_usage(LUID luid, DWORD pid)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, pid);
    D3DKMT_QUERYSTATISTICS q;
    UINT64 usage = 0;

    if (!process) return 0;
    if (!query_statistics(&q, D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP, luid, process,
                          D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL))
        usage = q.QueryResult.ProcessSegmentGroupInformation.Usage;
    CloseHandle(process);
    return usage;
}

static struct proc_sample *add_proc(struct adapter_sample *s)
{
    if (s->count == s->capacity)
    {
        UINT capacity = s->capacity ? s->capacity * 2 : 16;
        struct proc_sample *p = realloc(s->procs, capacity * sizeof(*p));

        if (!p) return NULL;
        s->procs = p;
        s->capacity = capacity;
    }
    return &s->procs[s->count];
}

/* Lists the process on the adapter when it uses it. */
static void sample_process(const struct adapter *a, struct adapter_sample *s, const PROCESSENTRY32W *pe)
{
    struct proc_sample *p = add_proc(s);

    if (!p) return;
    if (wine_statistics(a->handle, D3DKMT_WINE_STATISTICS_PROCESS, pe->th32ProcessID, &p->st)) return;
    if (!p->st.Processes) return;
    p->pid = pe->th32ProcessID;
    if (!WideCharToMultiByte(CP_UTF8, 0, pe->szExeFile, -1, p->name, sizeof(p->name), NULL, NULL))
        strcpy(p->name, "?");
    p->qs_usage = qs_local_usage(a->luid, p->pid);
    s->count++;
}

static void sample_processes(struct snapshot *snap)
{
    HANDLE h = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    DWORD self = GetCurrentProcessId();
    PROCESSENTRY32W pe;
    BOOL more;
    UINT i;

    if (h == INVALID_HANDLE_VALUE) return;
    pe.dwSize = sizeof(pe);
    for (more = Process32FirstW(h, &pe); more; more = Process32NextW(h, &pe))
    {
        if (pe.th32ProcessID == self || !pe.th32ProcessID) continue;
        for (i = 0; i < adapter_count; i++) sample_process(&adapters[i], &snap->a[i], &pe);
    }
    CloseHandle(h);
}

static void take_sample(struct snapshot *snap)
{
    UINT i;

    for (i = 0; i < adapter_count; i++)
    {
        snap->a[i].count = 0;
        sample_segments(&adapters[i], &snap->a[i]);
    }
    sample_processes(snap);
    snap->time_ms = GetTickCount64();
}

static const struct proc_sample *find_proc(const struct adapter_sample *s, DWORD pid)
{
    UINT i;

    for (i = 0; i < s->count; i++)
        if (s->procs[i].pid == pid) return &s->procs[i];
    return NULL;
}

/* Events per second between the previous sample and this one; 0 for a
 * process new since then (or a counter that went back: a new process with
 * a reused id). */
static double rate(UINT64 now, UINT64 before, UINT64 elapsed_ms)
{
    if (!elapsed_ms || now < before) return 0.0;
    return (double)(now - before) * 1000.0 / (double)elapsed_ms;
}

struct rates { double evictions, restores; };

static struct rates proc_rates(const struct proc_sample *p, const struct adapter_sample *prev, UINT64 elapsed_ms)
{
    const struct proc_sample *old = prev ? find_proc(prev, p->pid) : NULL;
    struct rates r = { 0.0, 0.0 };

    if (!old) return r;
    r.evictions = rate(p->st.Evictions, old->st.Evictions, elapsed_ms);
    r.restores = rate(p->st.Restores, old->st.Restores, elapsed_ms);
    return r;
}

/* ---- JSON ---- */

/* A JSON string: quotes, backslashes and control characters escaped; the
 * rest is UTF-8 as WideCharToMultiByte made it. */
static void json_string(const char *s)
{
    const unsigned char *c;

    putchar('"');
    for (c = (const unsigned char *)s; *c; c++)
    {
        if (*c == '"' || *c == '\\') printf("\\%c", *c);
        else if (*c < 0x20) printf("\\u%04x", *c);
        else putchar(*c);
    }
    putchar('"');
}

static void json_segments(const struct adapter_sample *s)
{
    static const char *names[2] = { "local", "nonlocal" };
    UINT seg;

    printf("\"segments\":[");
    for (seg = 0; seg < 2; seg++)
    {
        const D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION *info = &s->seg[seg];

        printf("%s{\"id\":%u,\"name\":\"%s\",\"size\":%llu,\"committed\":%llu,\"resident\":%llu,"
               "\"budget\":%llu,\"allocations\":%lu}", seg ? "," : "", seg, names[seg], info->CommitLimit,
               info->BytesCommitted, info->BytesResident, s->sys.Budget[seg], info->Memory.AllocsCommitted);
    }
    printf("]");
}

static void json_process(const struct proc_sample *p, struct rates r)
{
    const D3DKMT_WINE_STATISTICS *st = &p->st;

    printf("{\"pid\":%lu,\"name\":", p->pid);
    json_string(p->name);
    printf(",\"local_usage\":%llu,\"nonlocal_usage\":%llu,\"local_budget\":%llu,\"allocations\":%u,"
           "\"evictions_per_s\":%.3f,\"restores_per_s\":%.3f,\"evictions\":%llu,\"restores\":%llu,"
           "\"fence_submitted\":%llu,\"fence_completed\":%llu,\"locked\":%u,\"qs_local_usage\":%llu}",
           st->Resident[0], st->Resident[1], st->Budget[0], st->Allocations[0] + st->Allocations[1],
           r.evictions, r.restores, st->Evictions, st->Restores, st->FenceSubmitted, st->FenceCompleted,
           st->Locked, p->qs_usage);
}

static void print_json(const struct snapshot *snap, const struct snapshot *prev)
{
    UINT64 elapsed = snap->time_ms - prev->time_ms;
    UINT i, j;

    printf("{\"version\":1,\"time_ms\":%llu,\"adapters\":[", snap->time_ms);
    for (i = 0; i < adapter_count; i++)
    {
        const struct adapter_sample *s = &snap->a[i];

        printf("%s{\"luid\":\"0x%08lx%08lx\",", i ? "," : "", (unsigned long)adapters[i].luid.HighPart,
               adapters[i].luid.LowPart);
        json_segments(s);
        printf(",\"processes\":[");
        for (j = 0; j < s->count; j++)
        {
            if (j) putchar(',');
            json_process(&s->procs[j], proc_rates(&s->procs[j], &prev->a[i], elapsed));
        }
        printf("]}");
    }
    printf("]}\n");
}

/* ---- text ---- */

static double mib(UINT64 bytes) { return (double)bytes / (1024.0 * 1024.0); }

static void print_bar(UINT64 used, UINT64 size)
{
    UINT percent = size ? (UINT)(used >= size ? 100 : used * 100 / size) : 0;
    UINT fill = percent * BAR_WIDTH / 100, i;

    putchar('[');
    for (i = 0; i < BAR_WIDTH; i++) putchar(i < fill ? '#' : '.');
    printf("] %3u%%", percent);
}

static void text_segments(const struct adapter_sample *s)
{
    static const char *names[2] = { "0 local (video memory)", "1 non-local (system memory aperture)" };
    UINT seg;

    for (seg = 0; seg < 2; seg++)
    {
        const D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION *info = &s->seg[seg];

        printf("  segment %s\n", names[seg]);
        printf("    size %10.1f MiB  committed %8.1f MiB  resident %8.1f MiB  allocations %lu committed, %lu resident\n",
               mib(info->CommitLimit), mib(info->BytesCommitted), mib(info->BytesResident),
               info->Memory.AllocsCommitted, info->Memory.AllocsResident);
        printf("    system: size %10.1f MiB  usage %8.1f MiB  budget %8.1f MiB  ", mib(s->sys.SegmentSize[seg]),
               mib(s->sys.Resident[seg]), mib(s->sys.Budget[seg]));
        print_bar(s->sys.Resident[seg], s->sys.SegmentSize[seg]);
        putchar('\n');
    }
}

static void text_process(const struct proc_sample *p, struct rates r)
{
    const D3DKMT_WINE_STATISTICS *st = &p->st;
    char fence[48];

    snprintf(fence, sizeof(fence), "%llu/%llu", st->FenceCompleted, st->FenceSubmitted);
    printf("  %6lu %-20.20s %9.1f %9.1f %9.1f %6u %8.1f %8.1f %13s %6u %9.1f\n", p->pid, p->name,
           mib(st->Resident[0]), mib(st->Resident[1]), mib(st->Budget[0]), st->Allocations[0] + st->Allocations[1],
           r.evictions, r.restores, fence, st->Locked, mib(p->qs_usage));
}

static void print_text(const struct snapshot *snap, const struct snapshot *prev, BOOL clear)
{
    UINT64 elapsed = snap->time_ms - prev->time_ms;
    UINT i, j;

    if (clear) printf("\x1b[H\x1b[2J");
    printf("d3dkmt-monitor: %u adapter(s), %llu ms between samples\n", adapter_count, elapsed);
    for (i = 0; i < adapter_count; i++)
    {
        const struct adapter_sample *s = &snap->a[i];

        printf("\nadapter 0x%08lx%08lx\n", (unsigned long)adapters[i].luid.HighPart, adapters[i].luid.LowPart);
        text_segments(s);
        printf("  processes (MiB; fence completed/submitted):\n");
        printf("  %6s %-20s %9s %9s %9s %6s %8s %8s %13s %6s %9s\n", "PID", "NAME", "LOCAL", "NONLOCAL", "BUDGET",
               "ALLOCS", "EVICT/s", "RESTO/s", "FENCE", "LOCKED", "QS-USAGE");
        for (j = 0; j < s->count; j++)
            text_process(&s->procs[j], proc_rates(&s->procs[j], &prev->a[i], elapsed));
        if (!s->count) printf("  (none)\n");
    }
    if (!adapter_count) printf("\n(no adapter)\n");
}

/* ---- main loop ---- */

static BOOL WINAPI ctrl_handler(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT) return FALSE;
    SetEvent(stop_event);
    return TRUE;
}

/* ANSI sequences on a real console; no harm when it is a pipe. */
static void setup_console(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;

    SetConsoleOutputCP(CP_UTF8);
    if (GetConsoleMode(out, &mode)) SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

static void run(const struct options *o)
{
    static struct snapshot snaps[2];
    unsigned long printed = 0;
    UINT cur = 0, i;

    take_sample(&snaps[cur]);
    while (WaitForSingleObject(stop_event, o->interval_ms) == WAIT_TIMEOUT)
    {
        cur ^= 1;
        take_sample(&snaps[cur]);
        if (o->json) print_json(&snaps[cur], &snaps[cur ^ 1]);
        else print_text(&snaps[cur], &snaps[cur ^ 1], !o->once);
        fflush(stdout);
        if (o->count && ++printed >= o->count) break;
    }
    for (i = 0; i < MAX_ADAPTERS; i++) { free(snaps[0].a[i].procs); free(snaps[1].a[i].procs); }
}

int main(int argc, char **argv)
{
    struct options o;
    int ret = parse_options(argc, argv, &o);

    if (ret >= 0) return ret;
    setup_console();
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SetConsoleCtrlHandler(ctrl_handler, TRUE);
    /* Without the module there is nothing to show: an empty snapshot. */
    if (load_functions()) open_adapters();
    run(&o);
    close_adapters();
    return 0;
}
