using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// Exact scans of points no graph covers yet (the appendable segment, a sealed one waiting for its graph, the tail
/// past a graph) by the column's <see cref="ScanCodes"/>: every point is ordered by its int8 codes, and the best
/// <see cref="ScanCandidates"/> are rescored with their float32 vectors, so hits carry exact scores. Without codes
/// (not enabled, multivectors, other datatypes), with <c>exact</c> or with quantization ignored, such points are
/// scanned in float32.
/// </summary>
public sealed partial class PointSegment
{
    /// <summary>
    /// Starts (or stops) keeping int8 codes of <paramref name="vectorName"/>'s points not covered by a graph, coding
    /// those already stored. Returns whether anything changed. Caller holds the owner's write lock.
    /// </summary>
    public bool SetScanCodes(string vectorName, bool enabled)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column) || (column.ScanCodes is not null) == enabled)
        {
            return false;
        }

        if (!enabled)
        {
            column.DisableScanCodes();
            return true;
        }

        return column.EnableScanCodes();
    }

    /// <summary>Whether <paramref name="vectorName"/> can keep scan codes: a single float32 vector.</summary>
    public bool CanKeepScanCodes(string vectorName) =>
        !_disposed && _columns.TryGetValue(vectorName, out var column) && !column.IsMulti && column.Datatype == VectorDatatype.Float32;

    /// <summary>Whether <paramref name="vectorName"/> keeps scan codes, and their bytes (tests, reports).</summary>
    public (bool Enabled, long Bytes) ScanCodesState(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column) && column.ScanCodes is { } codes ? (true, codes.Bytes) : (false, 0);

    /// <summary>Whether the column would scan by codes under these options (checked before planning a scan).</summary>
    private static ScanCodes? ScanCodesFor(VectorColumn column, SegmentSearchOptions options) =>
        options.Exact || options.Quantization.Ignore ? null : column.ScanCodes;

    // Candidates rescored with float32 per requested hit: int8 codes of one point differ from its vector by at most
    // half a step per value, so the true neighbours rank near the top of the codes' order.
    private static int ScanCandidates(int limit) => (int)Math.Min(int.MaxValue / 2, Math.Max(4L * limit, limit + 32L));

    // `offsets` scored by codes where the codes cover them (the rest in float32), the best candidates rescored.
    private List<SearchHit> ScanByCodes<TSimilarity>(VectorColumn column, ScanCodes codes, ReadOnlySpan<float> query, IEnumerable<uint> offsets, int limit, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var candidates = new CodeCandidates(codes, query, ScanCandidates(limit));
        var top = new TopHits(limit);
        var encoded = column.EncodeQuery(query);
        var probe = new CancellationProbe(ct);
        foreach (var offset in offsets)
        {
            if (probe.Stop())
            {
                break;
            }

            if (!column.Has(offset) || _ids.IsDeleted(offset))
            {
                continue;
            }

            if (codes.Covers(offset) && !column.IsStale(offset))
            {
                candidates.Add(offset);
            }
            else
            {
                top.Add(new SearchHit(_ids.IdAt(offset), TSimilarity.Similarity(encoded, column.GetRecord(offset), column.Dimension), _ids.VersionAt(offset)));
            }
        }

        return candidates.Rescore<TSimilarity>(this, column, encoded, top);
    }

    // The unfiltered scan of a segment with no graph: every stored offset, by codes where they cover it.
    private List<SearchHit> ScanAllByCodes<TSimilarity>(VectorColumn column, ScanCodes codes, ReadOnlySpan<float> query, int limit, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var candidates = new CodeCandidates(codes, query, ScanCandidates(limit));
        var top = new TopHits(limit);
        var encoded = column.EncodeQuery(query);
        var end = Math.Min(_ids.Count, column.StoredCount);
        for (uint offset = 0; offset < end; offset++)
        {
            if ((offset & 4095) == 0 && ct.IsCancellationRequested)
            {
                break;
            }

            if (!column.Has(offset))
            {
                continue;
            }

            if (codes.Covers(offset))
            {
                candidates.Add(offset);
            }
            else
            {
                top.Add(new SearchHit(_ids.IdAt(offset), TSimilarity.Similarity(encoded, column.GetRecord(offset), column.Dimension), _ids.VersionAt(offset)));
            }
        }

        return candidates.Rescore<TSimilarity>(this, column, encoded, top);
    }

    /// <summary>The best offsets by their codes' order: a min-heap whose root is the worst kept.</summary>
    private sealed class CodeCandidates(ScanCodes codes, ReadOnlySpan<float> query, int wanted)
    {
        private readonly byte[] _query = codes.Prepare(query);
        private readonly PriorityQueue<uint, float> _heap = new(Math.Min(wanted, 4096) + 1);

        public void Add(uint offset)
        {
            var score = codes.Score(_query, offset);
            if (_heap.Count < wanted)
            {
                _heap.Enqueue(offset, score);
            }
            else if (_heap.TryPeek(out _, out var worst) && score > worst)
            {
                _heap.DequeueEnqueue(offset, score);
            }
        }

        // Each candidate scored with its float32 vector into `top` (which holds the points scored in float32 already).
        public List<SearchHit> Rescore<TSimilarity>(PointSegment segment, VectorColumn column, ReadOnlySpan<byte> encoded, TopHits top)
            where TSimilarity : struct, IPointSimilarity
        {
            foreach (var (offset, _) in _heap.UnorderedItems)
            {
                top.Add(new SearchHit(segment._ids.IdAt(offset), TSimilarity.Similarity(encoded, column.GetRecord(offset), column.Dimension), segment._ids.VersionAt(offset)));
            }

            return top.ToSortedList();
        }
    }
}
