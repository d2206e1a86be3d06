using AotVector.Common.Model;
using AotVector.Segment.Index.Payloads;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Builds a graph's <see cref="PayloadLinks"/> after the main graph, as the reference does: for each payload block
/// larger than the full-scan threshold (a smaller one is scanned exactly, never walked) and small enough that the main
/// graph may not keep its points connected, an HNSW over the block's points alone with <c>payload_m</c>; its layer-0
/// links become extra links of the main graph.
/// </summary>
internal static class PayloadLinksBuilder
{
    // The reference's percolation bound: a random subset of more than 1/avg-links of the nodes stays connected through
    // the main graph's own links; a margin of 4 on top.
    private const int PercolationMultiplier = 4;

    // A block mostly of points without the vector (or deleted) is left out, as in the reference.
    private const int MissingPointsFactor = 4;

    /// <param name="blocks">Offsets below the graph's count that have the vector and are live, ascending.</param>
    /// <param name="fullScanThreshold">The full-scan threshold in vectors.</param>
    public static PayloadLinks? Build(IHnswIndex main, bool multi, IVectorSource vectors, IReadOnlyList<PayloadBlock> blocks, HnswParameters parameters, int fullScanThreshold, int threads, CancellationToken ct)
    {
        var count = (int)main.Count;
        if (blocks.Count == 0 || count == 0)
        {
            return null;
        }

        long links = 0, linked = 0;
        for (uint node = 0; node < count; node++)
        {
            var n = main.Level0Neighbors(node).Length;
            if (n > 0)
            {
                links += n;
                linked++;
            }
        }

        var averageLinks = Math.Max(1, linked == 0 ? 1 : (int)(links / linked));
        var maxBlock = (long)count / averageLinks * PercolationMultiplier;
        var extra = new List<uint>?[count];
        var kept = new List<(string, PayloadValue)>();
        foreach (var block in blocks)
        {
            var points = block.Offsets;
            if (points.Length > maxBlock || points.Length <= fullScanThreshold / MissingPointsFactor || points.Length < 2)
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            using var sub = HnswIndex.Build(main.Distance, multi, new SubsetVectorSource(vectors, points), parameters, threads, null, ct);
            for (uint i = 0; i < points.Length; i++)
            {
                var node = points[i];
                var own = main.Level0Neighbors(node);
                foreach (var j in sub.Level0Neighbors(i))
                {
                    var target = points[j];
                    if (own.Contains(target))
                    {
                        continue;
                    }

                    var list = extra[node] ??= [];
                    if (!list.Contains(target))
                    {
                        list.Add(target);
                    }
                }
            }

            kept.Add((block.Field, block.Value));
        }

        if (kept.Count == 0)
        {
            return null;
        }

        var starts = new uint[count + 1];
        long total = 0;
        for (int node = 0; node < count; node++)
        {
            total += extra[node]?.Count ?? 0;
            starts[node + 1] = checked((uint)total);
        }

        var targets = new uint[total];
        for (int node = 0; node < count; node++)
        {
            extra[node]?.CopyTo(targets, (int)starts[node]);
        }

        return new PayloadLinks(kept, starts, targets);
    }
}
