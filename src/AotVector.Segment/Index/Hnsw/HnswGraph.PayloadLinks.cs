namespace AotVector.Segment.Index.Hnsw;

/// <summary>The payload-aware extra links (<see cref="PayloadLinks"/>) and the filtered walk that follows them.</summary>
internal sealed partial class HnswGraph<TSimilarity>
{
    private PayloadLinks? _payloadLinks;

    public PayloadLinks? PayloadLinks => _payloadLinks;

    public void AttachPayloadLinks(PayloadLinks? links)
    {
        if (links is not null && links.NodeCount != _count)
        {
            ThrowHelper.ThrowArgument("The payload links are for another node count.", nameof(links));
        }

        _payloadLinks = links;
    }

    public ReadOnlySpan<uint> Level0Neighbors(uint node) =>
        node < (uint)_count ? new Level0Links(Level0Table).Neighbors(node) : default;

    /// <summary>
    /// SEARCH-LAYER on layer 0 for a filter whose matching points have extra links among themselves. Until the walk
    /// reaches a matching node it crosses any node (from the entry the upper layers found); from then on it scores
    /// and follows only matching nodes, through their own links and their extra links, as the reference's filtered
    /// walk does: only matches cost a distance, and the block's sub-graph keeps them connected. Collects as
    /// <see cref="SearchLayer"/> does.
    /// </summary>
    private void SearchLayerLinked<TScorer, TFilter>(ref TScorer scorer, ref Level0Links links, PayloadLinks extra, uint entry, float entryScore, int ef, ref TFilter filter, ReadOnlySpan<bool> deleted, SearchContext context, CancellationToken ct)
        where TScorer : IQueryScorer, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        var visited = context.Visited;
        var candidates = context.Candidates;
        var results = context.Results;
        visited.Reset(_count);
        candidates.Clear();
        results.Clear();

        visited.TryVisit(entry);
        float lowerBound = float.NegativeInfinity;
        bool inside = filter.Matches(entry);
        if (IsCollectable(entry, ref filter, deleted))
        {
            results.Push(entryScore, entry);
            lowerBound = entryScore;
        }

        candidates.Push(-entryScore, entry);
        var fresh = context.Fresh;
        int expanded = 0;
        while (candidates.Count > 0)
        {
            var closest = candidates.Top;
            if (-closest.Score < lowerBound && results.Count == ef)
            {
                break;
            }

            if ((expanded++ & (CancellationCheckInterval - 1)) == 0 && ct.IsCancellationRequested)
            {
                break;
            }

            candidates.Pop();
            var own = links.Neighbors(closest.Offset);
            var more = inside ? extra.Neighbors(closest.Offset) : default;
            for (int pass = 0; pass < 2; pass++)
            {
                var neighbors = pass == 0 ? own : more;
                while (!neighbors.IsEmpty)
                {
                    var chunk = neighbors.Length > fresh.Length ? neighbors[..fresh.Length] : neighbors;
                    neighbors = neighbors[chunk.Length..];
                    int freshCount = 0;
                    foreach (uint neighbor in chunk)
                    {
                        // Inside the matching points, a non-matching neighbour is never scored or followed.
                        if ((!inside || filter.Matches(neighbor)) && visited.TryVisit(neighbor))
                        {
                            scorer.Prefetch(neighbor);
                            fresh[freshCount++] = neighbor;
                        }
                    }

                    for (int j = 0; j < freshCount; j++)
                    {
                        uint neighbor = fresh[j];
                        float score = scorer.Score(neighbor);
                        if (results.Count < ef || score > lowerBound)
                        {
                            candidates.Push(-score, neighbor);
                            if (IsCollectable(neighbor, ref filter, deleted))
                            {
                                if (results.Count < ef)
                                {
                                    results.Push(score, neighbor);
                                }
                                else
                                {
                                    results.ReplaceTop(score, neighbor);
                                }

                                lowerBound = results.Top.Score;
                            }

                            inside |= filter.Matches(neighbor);
                        }
                    }
                }
            }
        }
    }
}
