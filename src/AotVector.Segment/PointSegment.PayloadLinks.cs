using AotVector.Common.Filtering;
using AotVector.Segment.Index.Payloads;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>
    /// The payload blocks a graph build links (<see cref="Index.Hnsw.PayloadLinks"/>): each value of an indexed keyword,
    /// integer or bool field (unless created with <c>enable_hnsw: false</c>) held by at least the full-scan threshold of points, narrowed to the live points with the
    /// vector that the build covers. None when the policy's <c>payload_m</c> is 0 or the vector is a multivector.
    /// </summary>
    private List<PayloadBlock> LinkBlocks(VectorColumn column, IndexingPolicy policy, bool[] exclude)
    {
        var blocks = new List<PayloadBlock>();
        if (policy.PayloadM <= 0 || column.IsMulti)
        {
            return blocks;
        }

        var threshold = FullScanThresholdVectors(column, policy.FullScanThresholdKb);
        var found = new List<PayloadBlock>();
        foreach (var index in _indexes.Indexes)
        {
            if (FieldIndexParams.LinksFor(index.IndexParams))
            {
                index.ValueBlocks(Math.Max(1, threshold), found);
            }
        }

        foreach (var block in found)
        {
            var offsets = Array.FindAll(block.Offsets, o => o < exclude.Length && !exclude[o] && !_ids.IsDeleted(o));
            blocks.Add(block with { Offsets = offsets });
        }

        return blocks;
    }

    // The full-scan threshold in vectors of this column, as the planner counts it.
    private static int FullScanThresholdVectors(VectorColumn column, ulong thresholdKb)
    {
        var bytesPerVector = column.IsMulti
            ? column.LiveRowBytes() / Math.Max(1, column.PresentCount)
            : (ulong)column.Dimension * sizeof(float);
        return (int)Math.Min(int.MaxValue - 1, thresholdKb * 1024 / Math.Max(1, bytesPerVector));
    }

    /// <summary>
    /// Whether a must condition of <paramref name="filter"/> is a value the graph has payload links for, and the whole
    /// filter keeps at least half of that value's points (the links connect the value's points, not any subset of them).
    /// </summary>
    private bool HasPayloadLinksFor(VectorColumn column, Filter filter, double estimatedMatches)
    {
        if (column.Graph?.PayloadLinks is not { } links)
        {
            return false;
        }

        foreach (var condition in filter.Must ?? [])
        {
            if (condition is FieldCondition field && links.Covers(field)
                && (!_indexes.TryGet(field.Key, out var index) || !index.TryCount(field, int.MaxValue - 1, out var holding) || estimatedMatches * 2 >= holding))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value blocks the graph of <paramref name="vectorName"/> has extra links for (tests and diagnostics).</summary>
    public IReadOnlyList<(string Field, Common.Model.PayloadValue Value)> PayloadLinkBlocks(string vectorName)
    {
        ThrowIfDisposed();
        return _columns.TryGetValue(vectorName, out var column) && column.Graph?.PayloadLinks is { } links ? links.Blocks : [];
    }
}
