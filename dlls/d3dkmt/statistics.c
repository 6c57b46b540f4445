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
 * D3DKMTQueryStatistics (PE side): the manager's figures in the layouts of
 * the Windows headers, for the adapters this process has open.
 *
 * Answered: ADAPTER, PROCESS, PROCESS_ADAPTER, SEGMENT, PROCESS_SEGMENT and
 * PROCESS_SEGMENT_GROUP.  Segment 0 is the local segment, 1 the non-local
 * one (an aperture over system memory), as QueryAdapterInfo's segment sizes
 * say.  Adapter and segment figures are system-wide (every process of the
 * prefix, through the system view); the process ones are the process
 * hProcess names (NULL: this one).  What this module does not keep (nodes,
 * VidPN sources, DMA buffers, packets, preemption) goes to Wine, as do
 * LUIDs of adapters this process has not opened.
 */
#include "d3dkmt_private.h"
#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(d3dkmt);

NTSTATUS WINAPI NtGdiDdDDIQueryStatistics(const D3DKMT_QUERYSTATISTICS *stats);

#define SEGMENT_COUNT 2
/* SegmentProperties: bit 0 system memory; bits 6-7 the segment group. */
#define SEGMENT_PROPERTY_SYSTEM_MEMORY 0x1
#define SEGMENT_PROPERTY_GROUP_SHIFT   6

/* D3DKMTEscape tells the two private escapes apart by size. */
_Static_assert(sizeof(D3DKMT_WINE_STATISTICS) == 152 && sizeof(D3DKMT_WINE_STATISTICS) != sizeof(D3DKMT_WINE_ESCAPE),
               "statistics escape layout");

static BOOL is_process_type(D3DKMT_QUERYSTATISTICS_TYPE type)
{
    return type == D3DKMT_QUERYSTATISTICS_PROCESS || type == D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER
        || type == D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT || type == D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP;
}

static BOOL is_answered_type(D3DKMT_QUERYSTATISTICS_TYPE type)
{
    return is_process_type(type) || type == D3DKMT_QUERYSTATISTICS_ADAPTER || type == D3DKMT_QUERYSTATISTICS_SEGMENT;
}

static ULONG clamp32(UINT64 v) { return v > 0xffffffffu ? 0xffffffffu : (ULONG)v; }

static void fill_segment(const struct vidmm_statistics *st, ULONG seg, D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION *out)
{
    out->CommitLimit = st->segment_size[seg];
    out->BytesCommitted = st->committed[seg];
    out->BytesResident = st->resident[seg];
    out->Memory.TotalBytesEvicted = seg ? 0 : st->evicted_bytes;
    out->Memory.AllocsCommitted = st->allocations[seg];
    out->Memory.AllocsResident = st->resident_allocations[seg];
    out->Aperture = seg == 1;
    out->SegmentProperties = (seg ? SEGMENT_PROPERTY_SYSTEM_MEMORY : 0) | ((ULONGLONG)seg << SEGMENT_PROPERTY_GROUP_SHIFT);
}

static void fill_process_segment(const struct vidmm_statistics *st, ULONG seg,
                                 D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION *out)
{
    out->BytesCommitted = st->committed[seg];
    out->MaximumWorkingSet = st->budget[seg];
    out->NbReferencedAllocationEvictedInPeriod = seg ? 0 : clamp32(st->evictions);
    out->VideoMemory.AllocsCommitted = st->allocations[seg];
    out->VideoMemory.AllocsResidentInP[0].Count = st->resident_allocations[seg];
    out->VideoMemory.AllocsResidentInP[0].Bytes = st->resident[seg];
}

/* The result of one answered query; STATUS_INVALID_PARAMETER for a segment
 * or segment group that does not exist. */
static NTSTATUS fill_result(const D3DKMT_QUERYSTATISTICS *query, const struct vidmm_query_statistics_args *args,
                            D3DKMT_QUERYSTATISTICS_RESULT *out)
{
    const struct vidmm_statistics *st = &args->stats;
    BOOL present = st->processes != 0;   /* the process uses the adapter: else all zero */

    memset(out, 0, sizeof(*out));
    switch (query->Type)
    {
    case D3DKMT_QUERYSTATISTICS_ADAPTER:
        out->AdapterInformation.NbSegments = SEGMENT_COUNT;
        out->AdapterInformation.NodeCount = 1;
        out->AdapterInformation.VidPnSourceCount = st->source_count;
        break;
    case D3DKMT_QUERYSTATISTICS_PROCESS:
        if (!present) break;
        out->ProcessInformation.NodeCount = 1;
        out->ProcessInformation.VidPnSourceCount = st->source_count;
        out->ProcessInformation.SystemMemory.BytesAllocated = st->committed[VIDMM_SEGMENT_GROUP_NON_LOCAL];
        break;
    case D3DKMT_QUERYSTATISTICS_PROCESS_ADAPTER:
        if (!present) break;
        out->ProcessAdapterInformation.NbSegments = SEGMENT_COUNT;
        out->ProcessAdapterInformation.NodeCount = 1;
        out->ProcessAdapterInformation.VidPnSourceCount = st->source_count;
        break;
    case D3DKMT_QUERYSTATISTICS_SEGMENT:
        if (query->SegmentId >= SEGMENT_COUNT) return STATUS_INVALID_PARAMETER;
        fill_segment(st, query->SegmentId, &out->SegmentInformation);
        break;
    case D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT:
        if (query->SegmentId >= SEGMENT_COUNT) return STATUS_INVALID_PARAMETER;
        if (present) fill_process_segment(st, query->SegmentId, &out->ProcessSegmentInformation);
        break;
    case D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP:
        if (query->SegmentGroup > D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL) return STATUS_INVALID_PARAMETER;
        if (!present) break;
        out->ProcessSegmentGroupInformation.Budget = st->budget[query->SegmentGroup];
        out->ProcessSegmentGroupInformation.Requested = st->committed[query->SegmentGroup];
        out->ProcessSegmentGroupInformation.Usage = st->resident[query->SegmentGroup];
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* The statistics escape (d3dkmt_driver.h); copy is the caller's D3DKMT_ESCAPE,
 * of Type DRIVERPRIVATE and a D3DKMT_WINE_STATISTICS size. */
NTSTATUS d3dkmt_statistics_escape(const D3DKMT_ESCAPE *copy)
{
    struct vidmm_query_statistics_args args = {0};
    struct d3dkmt_query_adapter_params adapter = {0};
    const struct vidmm_statistics *st = &args.stats;
    D3DKMT_WINE_STATISTICS out;
    NTSTATUS status;
    UINT g;

    if (!d3dkmt_copy_from_user(&out, copy->pPrivateDriverData, sizeof(out))) return STATUS_ACCESS_VIOLATION;
    if (out.Magic != D3DKMT_WINE_STATISTICS_MAGIC || out.Scope > D3DKMT_WINE_STATISTICS_SYSTEM || out.Reserved
        || (out.Scope == D3DKMT_WINE_STATISTICS_PROCESS && !out.ProcessId))
        return STATUS_INVALID_PARAMETER;
    if (!d3dkmt_probe_for_write(copy->pPrivateDriverData, sizeof(out))) return STATUS_ACCESS_VIOLATION;
    adapter.handle = copy->hAdapter;
    if ((status = d3dkmt_unix_call(unix_query_adapter, &adapter))) return status;
    args.luid = adapter.info.luid;
    args.scope = out.Scope;
    args.process_id = out.ProcessId;
    if (out.Scope == D3DKMT_WINE_STATISTICS_PROCESS && out.ProcessId == GetCurrentProcessId())
        args.scope = VIDMM_STATS_SELF;
    if ((status = d3dkmt_unix_call(unix_query_statistics, &args))) return status;
    out.Processes = st->processes;
    for (g = 0; g < 2; g++)
    {
        out.SegmentSize[g] = st->segment_size[g];
        out.Committed[g] = st->committed[g];
        out.Resident[g] = st->resident[g];
        out.Budget[g] = st->budget[g];
        out.Allocations[g] = st->allocations[g];
        out.ResidentAllocations[g] = st->resident_allocations[g];
    }
    out.Evictions = st->evictions;
    out.EvictedBytes = st->evicted_bytes;
    out.Restores = st->restores;
    out.RestoredBytes = st->restored_bytes;
    out.FenceSubmitted = st->fence_submitted;
    out.FenceCompleted = st->fence_completed;
    out.Locked = st->locked;
    d3dkmt_copy_to_user(copy->pPrivateDriverData, &out, sizeof(out));
    return STATUS_SUCCESS;
}

/******************************************************************************
 *           D3DKMTQueryStatistics    (d3dkmt.@)
 *
 * Windows declares the argument const and writes QueryResult all the same.
 */
NTSTATUS WINAPI D3DKMTQueryStatistics(const D3DKMT_QUERYSTATISTICS *stats)
{
    struct vidmm_query_statistics_args args = {0};
    D3DKMT_QUERYSTATISTICS copy;
    D3DKMT_QUERYSTATISTICS_RESULT result;
    UINT pid = 0;
    NTSTATUS status;

    TRACE("(%p)\n", stats);
    RETURN_IF_UNAVAILABLE();

    COPY_IN(copy, stats);
    if ((UINT)copy.Type > D3DKMT_QUERYSTATISTICS_PROCESS_NODE2) return STATUS_INVALID_PARAMETER;
    if (!is_answered_type(copy.Type)) return NtGdiDdDDIQueryStatistics(stats);
    if (is_process_type(copy.Type) && copy.hProcess && (status = d3dkmt_process_id(copy.hProcess, &pid)))
        return status;
    args.luid = luid_to_u64(copy.AdapterLuid);
    args.scope = is_process_type(copy.Type) ? (pid ? VIDMM_STATS_PROCESS : VIDMM_STATS_SELF) : VIDMM_STATS_SYSTEM;
    args.process_id = pid;
    if ((status = d3dkmt_unix_call(unix_query_statistics, &args))) return status;
    if (!args.found) return NtGdiDdDDIQueryStatistics(stats);   /* not an adapter of ours */
    if ((status = fill_result(&copy, &args, &result))) return status;
    if (!d3dkmt_copy_to_user((D3DKMT_QUERYSTATISTICS_RESULT *)&stats->QueryResult, &result, sizeof(result)))
        return STATUS_ACCESS_VIOLATION;
    TRACE("type %u, query %u: %u processes\n", copy.Type, (UINT)copy.SegmentId, args.stats.processes);
    return STATUS_SUCCESS;
}
