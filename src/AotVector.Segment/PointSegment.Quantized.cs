using System.Runtime.InteropServices;
using System.Text;
using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>
    /// Whether <paramref name="vectorName"/> has codes, and the quantile its int8 codes were built at (null: min and
    /// max, or codes of another kind) (tests, info).
    /// </summary>
    public (bool Quantized, float? Quantile) QuantizationState(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column) && column.Quantized is { } codes
            ? (true, (codes as ScalarQuantizedVectors)?.Quantile)
            : (false, null);

    /// <summary>The config the codes of <paramref name="vectorName"/> were built under, or null without codes (tests).</summary>
    public QuantizationSettings? QuantizationOf(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column) ? column.Quantized?.Settings : null;

    /// <summary>Bytes of quantized codes held in memory, over all named vectors.</summary>
    public long QuantizedBytes => _columns.Values.Sum(c => c.Quantized?.Bytes ?? 0);

    private string QuantizedPath(string vectorName) =>
        Path.Combine(_directory, "quant-" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(vectorName)) + ".bin");

    // Codes go with a graph over single vectors; multivectors and m 0 have none.
    private static QuantizationSettings? WantedQuantization(VectorColumn column, IndexingPolicy policy) =>
        column.IsMulti || policy.M == 0 ? null : policy.Quantization;

    // A graph in service whose codes are missing, were built under another config, or cover other offsets.
    private static bool NeedsQuantized(VectorColumn column, IndexingPolicy policy) =>
        WantedQuantization(column, policy) is { } wanted && column.Graph is { } graph
        && (column.Quantized is not { } codes || !wanted.SameCodes(codes.Settings) || codes.Count != graph.Count);

    // The saved codes of a column whose graph was just adopted; damaged or mismatched ones are deleted, so the
    // optimizer builds them again.
    private void LoadQuantized(VectorColumn column)
    {
        var path = QuantizedPath(column.Name);
        if (!File.Exists(path) || column.IsMulti)
        {
            return;
        }

        var opened = QuantizedVectors.Open(path, column.Distance, column.Dimension);
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
    private static QuantizedVectors? SearchCodes(VectorColumn column, IHnswIndex? graph, SegmentSearchOptions options) =>
        options.Exact || options.Quantization.Ignore || column.Quantized is not { } codes || graph is null || codes.Count < graph.Count
            ? null
            : codes;

    // Scores offsets known to match by their codes, keeps the oversampled best and rescores those with their
    // float32 vectors when the request (or the codes' default) asks; stale offsets and those past the codes are
    // scored from their float32 vectors and join the result as they are.
    private List<SearchHit> ScanQuantized<TSimilarity>(VectorColumn column, QuantizedVectors codes, ReadOnlySpan<float> query, List<uint> offsets, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var byCodes = new List<uint>(offsets.Count);
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

            if (offset < codes.Count && !column.IsStale(offset))
            {
                byCodes.Add(offset);
            }
            else
            {
                top.Add(new SearchHit(_ids.IdAt(offset), TSimilarity.Similarity(encoded, column.GetRecord(offset), column.Dimension), _ids.VersionAt(offset)));
            }
        }

        var scores = new float[byCodes.Count];
        codes.Score(QuantizationInput.Query(column.Datatype, column.Distance, codes is BinaryQuantizedVectors, query), CollectionsMarshal.AsSpan(byCodes), scores);
        var candidates = new TopHits(options.Quantization.Candidates(limit));
        for (var i = 0; i < scores.Length; i++)
        {
            candidates.Add(new SearchHit(_ids.IdAt(byCodes[i]), scores[i], _ids.VersionAt(byCodes[i])));
        }

        foreach (var hit in Rescored<TSimilarity>(column, query, candidates.ToSortedList(), limit, options.Quantization.Rescore ?? codes.RescoreByDefault))
        {
            top.Add(hit);
        }

        return top.ToSortedList();
    }

    // The best `limit` of quantized hits, by their float32 similarity when rescoring.
    private List<SearchHit> Rescored<TSimilarity>(VectorColumn column, ReadOnlySpan<float> query, List<SearchHit> hits, int limit, bool rescore)
        where TSimilarity : struct, IPointSimilarity
    {
        var top = new TopHits(limit);
        var encoded = column.EncodeQuery(query);
        foreach (var hit in hits)
        {
            if (rescore && _ids.TryGetOffset(hit.Id, out var offset))
            {
                top.Add(hit with { Score = TSimilarity.Similarity(encoded, column.GetRecord(offset), column.Dimension) });
            }
            else
            {
                top.Add(hit);
            }
        }

        return top.ToSortedList();
    }
}
