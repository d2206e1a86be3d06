using System.Text;
using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>The quantile the codes of <paramref name="vectorName"/> were built at, or null without codes (tests, info).</summary>
    public (bool Quantized, float? Quantile) QuantizationState(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column) && column.Quantized is { } codes ? (true, codes.Quantile) : (false, null);

    /// <summary>Bytes of int8 codes held in memory, over all named vectors.</summary>
    public long QuantizedBytes => _columns.Values.Sum(c => c.Quantized?.Bytes ?? 0);

    private string QuantizedPath(string vectorName) =>
        Path.Combine(_directory, "quant-" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(vectorName)) + ".bin");

    // Codes go with a graph over single vectors; multivectors and m 0 have none.
    private static ScalarQuantization? WantedQuantization(VectorColumn column, IndexingPolicy policy) =>
        column.IsMulti || policy.M == 0 ? null : policy.Quantization;

    // A graph in service whose codes are missing, were built at another quantile, or cover other offsets.
    private static bool NeedsQuantized(VectorColumn column, IndexingPolicy policy) =>
        WantedQuantization(column, policy) is { } wanted && column.Graph is { } graph
        && (column.Quantized is not { } codes || codes.Quantile != wanted.Quantile || codes.Count != graph.Count);

    // The saved codes of a column whose graph was just adopted; damaged or mismatched ones are deleted, so the
    // optimizer builds them again.
    private void LoadQuantized(VectorColumn column)
    {
        var path = QuantizedPath(column.Name);
        if (!File.Exists(path) || column.IsMulti)
        {
            return;
        }

        var opened = ScalarQuantizedVectors.Open(path, column.Distance, column.Dimension);
        if (opened.TryGet(out var codes, out _) && codes.Count == column.Graph?.Count)
        {
            column.InstallQuantized(codes);
        }
        else
        {
            File.Delete(path);
        }
    }

    // The codes a search of `column` may walk: present, covering the graph, and not turned off by the request.
    private static ScalarQuantizedVectors? SearchCodes(VectorColumn column, IHnswIndex? graph, SegmentSearchOptions options) =>
        options.Exact || options.Quantization.Ignore || column.Quantized is not { } codes || graph is null || codes.Count < graph.Count
            ? null
            : codes;

    // Scores offsets known to match by their codes (float32 for stale offsets and those past the codes), keeps the
    // oversampled best, and rescores those with their float32 vectors when the request asks.
    private List<SearchHit> ScanQuantized<TSimilarity>(VectorColumn column, ScalarQuantizedVectors codes, ReadOnlySpan<float> query, List<uint> offsets, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var candidates = new TopHits(options.Quantization.Candidates(limit));
        var scorer = codes.Scorer(codes.Prepare(query));
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

            var score = offset < codes.Count && !column.IsStale(offset)
                ? scorer.Score(offset)
                : TSimilarity.Similarity(query, column.Get(offset), column.Dimension);
            candidates.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
        }

        return Rescored<TSimilarity>(column, query, candidates.ToSortedList(), limit, options);
    }

    // The best `limit` of quantized hits, by their float32 similarity when rescoring.
    private List<SearchHit> Rescored<TSimilarity>(VectorColumn column, ReadOnlySpan<float> query, List<SearchHit> hits, int limit, SegmentSearchOptions options)
        where TSimilarity : struct, IPointSimilarity
    {
        var top = new TopHits(limit);
        foreach (var hit in hits)
        {
            if (options.Quantization.Rescore && _ids.TryGetOffset(hit.Id, out var offset))
            {
                top.Add(hit with { Score = TSimilarity.Similarity(query, column.Get(offset), column.Dimension) });
            }
            else
            {
                top.Add(hit);
            }
        }

        return top.ToSortedList();
    }
}
