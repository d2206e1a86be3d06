using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Index.Payloads;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>
    /// Up to <paramref name="limit"/> (value, id) entries of the live points matching <paramref name="filter"/>, ordered
    /// by the values the integer, float or datetime index on <paramref name="key"/> holds: a point comes once per
    /// distinct value, values from <paramref name="startFrom"/> on (inclusive; at most it when descending), ties by id
    /// in the same direction. False, with nothing read, when <paramref name="key"/> has no such index (or an integer
    /// index created with <c>range: false</c>). The walk starts at <paramref name="startFrom"/> in the index, not before it.
    /// </summary>
    public bool TryReadOrdered(string key, bool descending, OrderValue? startFrom, Filter? filter, int limit, CancellationToken ct, out List<(OrderValue Value, PointId Id)> page)
    {
        ThrowIfDisposed();
        page = [];
        if (!_indexes.TryGet(key, out var index) || index is not IOrderingIndex ordering || !FieldIndexParams.Ranges(index.IndexParams))
        {
            return false;
        }

        if (limit <= 0)
        {
            return true;
        }

        var probe = new CancellationProbe(ct);
        if (filter is not null && TryGetCandidates(filter, out var candidates) && (long)candidates.Count * 2 < _ids.LiveCount)
        {
            // A selective filter: read the values of its few matches instead of walking the whole index.
            var candidateMatcher = new OffsetMatcher(this);
            var values = new List<OrderValue>(2);
            foreach (var offset in candidates)
            {
                if (probe.Stop())
                {
                    break;
                }

                if (_ids.IsDeleted(offset) || !candidateMatcher.Matches(filter, offset))
                {
                    continue;
                }

                values.Clear();
                ordering.ValuesOf(offset, values);
                foreach (var value in values)
                {
                    if (From(value, startFrom, descending))
                    {
                        page.Add((value, _ids.IdAt(offset)));
                    }
                }
            }

            Cut(page, descending, limit);
            return true;
        }

        var matcher = filter is null ? null : new OffsetMatcher(this);
        OrderValue last = default;
        foreach (var (value, offset) in ordering.Ordered(descending, startFrom))
        {
            if (probe.Stop())
            {
                break;
            }

            if (!From(value, startFrom, descending))
            {
                continue;
            }

            // The index orders ties by offset; the page orders them by id, so a tie at the cut is read whole.
            if (page.Count >= limit && value != last)
            {
                break;
            }

            if (_ids.IsDeleted(offset) || (matcher is not null && !matcher.Matches(filter!, offset)))
            {
                continue;
            }

            page.Add((value, _ids.IdAt(offset)));
            last = value;
        }

        Cut(page, descending, limit);
        return true;
    }

    /// <summary>Offers every live point matching <paramref name="filter"/> to <paramref name="sample"/>.</summary>
    public void Sample(Filter? filter, ReservoirSample sample, CancellationToken ct)
    {
        ThrowIfDisposed();
        var matcher = filter is null ? null : new OffsetMatcher(this);
        var probe = new CancellationProbe(ct);
        foreach (var offset in filter is null ? _ids.LiveOffsets() : CandidateOffsets(filter))
        {
            if (probe.Stop())
            {
                break;
            }

            if (matcher is null || matcher.Matches(filter!, offset))
            {
                sample.Offer(_ids.IdAt(offset));
            }
        }
    }

    /// <summary>The order of an ordered page: by value, then by id, both ascending or both descending.</summary>
    public static int CompareOrdered((OrderValue Value, PointId Id) a, (OrderValue Value, PointId Id) b, bool descending)
    {
        var byValue = a.Value.CompareTo(b.Value);
        var order = byValue != 0 ? byValue : a.Id.CompareTo(b.Id);
        return descending ? -order : order;
    }

    private static bool From(OrderValue value, OrderValue? startFrom, bool descending) =>
        startFrom is not { } from || (descending ? value <= from : value >= from);

    private static void Cut(List<(OrderValue Value, PointId Id)> page, bool descending, int limit)
    {
        page.Sort((a, b) => CompareOrdered(a, b, descending));
        if (page.Count > limit)
        {
            page.RemoveRange(limit, page.Count - limit);
        }
    }
}
