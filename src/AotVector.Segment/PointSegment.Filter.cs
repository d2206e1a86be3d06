using AotVector.Common.Filtering;
using AotVector.Segment.Filters;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    // Offsets sampled to estimate how many points an unindexed (or partly indexed) filter matches.
    private const int EstimateSample = 2048;

    /// <summary>
    /// The plan <see cref="Search"/> would follow for <paramref name="filter"/> on <paramref name="vectorName"/> now
    /// (no search is run): for tests, the bench and diagnostics.
    /// </summary>
    public SearchPlan PlanFor(string vectorName, Filter? filter, SegmentSearchOptions options)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column))
        {
            ThrowHelper.ThrowArgument($"Segment has no vector named \"{vectorName}\".", nameof(vectorName));
        }

        return Plan(column!, filter, options).Kind;
    }

    /// <summary>
    /// Chooses how to search <paramref name="column"/> under <paramref name="filter"/>. Cardinality decides: matches
    /// that take less than the full-scan threshold are scored exactly (found through the smallest indexed must-condition
    /// when one is that small, else by one columnar pass over all points); more go through the graph with the filter
    /// checked per node, or with ACORN's two-hop expansion when the request asks for it and the filter is selective
    /// enough. Index statistics bound the matches without building a set; a sample checked with the compiled filter
    /// estimates the rest (must, should and must_not together).
    /// </summary>
    private FilterPlan Plan(VectorColumn column, Filter? filter, SegmentSearchOptions options)
    {
        var hasGraph = !options.Exact && column.Graph is { Count: > 0 };
        if (filter is null)
        {
            return new FilterPlan(hasGraph ? SearchPlan.Graph : SearchPlan.FullScan, null, 1);
        }

        var predicate = Compile(filter);
        var bytesPerVector = column.IsMulti
            ? column.LiveRowBytes() / Math.Max(1, column.PresentCount)
            : (ulong)column.RecordBytes;
        var threshold = (int)Math.Min(int.MaxValue - 1, options.FullScanThresholdKb * 1024 / Math.Max(1, bytesPerVector));
        var indexed = SmallestIndexedCount(filter, threshold);
        if (indexed <= threshold && !hasGraph)
        {
            return new FilterPlan(SearchPlan.IndexedScan, predicate, 0);
        }

        var present = Math.Max(1, column.PresentCount);
        var selectivity = EstimateSelectivity(predicate, column);
        if (!hasGraph)
        {
            return new FilterPlan(SearchPlan.FullScan, predicate, selectivity);
        }

        // Under the full-scan threshold (the reference's rule: never an exact scan of more), the matches are scored
        // exactly unless the estimated cost says a filtered walk is cheaper (a few percent of a large segment).
        var graph = column.Graph!;
        var walk = SearchCost.GraphFiltered(Math.Max(options.Ef ?? graph.Parameters.EfConstruct, 1), graph.Parameters.M0, selectivity);
        if (indexed <= threshold && SearchCost.Exact(indexed, 0) <= walk)
        {
            return new FilterPlan(SearchPlan.IndexedScan, predicate, selectivity);
        }

        if (selectivity * present <= threshold && SearchCost.Exact(selectivity * present, _ids.Count) <= walk)
        {
            return new FilterPlan(SearchPlan.FilteredScan, predicate, selectivity);
        }

        if (options.Acorn is { Enable: true } acorn && selectivity <= acorn.MaxSelectivity)
        {
            return new FilterPlan(SearchPlan.GraphAcorn, predicate, selectivity);
        }

        return new FilterPlan(HasPayloadLinksFor(column, filter, selectivity * present) ? SearchPlan.GraphLinked : SearchPlan.GraphFiltered, predicate, selectivity);
    }

    // Candidates of the most selective indexed (or has_id) must-condition, counted up to a little past `cap`.
    private int SmallestIndexedCount(Filter filter, int cap)
    {
        var smallest = _indexes.TryCountSmallest(filter, cap, out var count) ? count : int.MaxValue;
        foreach (var condition in filter.Must ?? [])
        {
            if (condition is HasIdCondition hasId)
            {
                smallest = Math.Min(smallest, hasId.Ids.Count);
            }
        }

        return smallest;
    }

    // The share of points with the vector that match, from an evenly spread sample (deterministic, so a query's plan is stable).
    private double EstimateSelectivity(OffsetPredicate predicate, VectorColumn column)
    {
        var count = _ids.Count;
        if (count == 0)
        {
            return 0;
        }

        var step = Math.Max(1u, count / EstimateSample);
        uint sampled = 0, matched = 0;
        for (uint offset = step / 2; offset < count; offset += step)
        {
            if (_ids.IsDeleted(offset) || !column.Has(offset))
            {
                continue;
            }

            sampled++;
            if (predicate.Matches(offset))
            {
                matched++;
            }
        }

        return sampled == 0 ? 0 : matched / (double)sampled;
    }

    /// <summary>The live offsets having the vector that match, ascending, found by the plan's route (index candidates or a columnar pass).</summary>
    private List<uint> MatchingOffsets(VectorColumn column, Filter filter, OffsetPredicate predicate, SearchPlan plan, CancellationToken ct)
    {
        var matching = new List<uint>();
        var probe = new CancellationProbe(ct);
        if (plan == SearchPlan.IndexedScan && TryGetCandidates(filter, out var candidates))
        {
            foreach (var offset in candidates)
            {
                if (probe.Stop())
                {
                    return [];
                }

                if (offset < _ids.Count && !_ids.IsDeleted(offset) && column.Has(offset) && predicate.Matches(offset))
                {
                    matching.Add(offset);
                }
            }

            matching.Sort();
            return matching;
        }

        for (uint offset = 0; offset < _ids.Count; offset++)
        {
            if ((offset & 4095) == 0 && probe.Stop())
            {
                return [];
            }

            if (!_ids.IsDeleted(offset) && column.Has(offset) && predicate.Matches(offset))
            {
                matching.Add(offset);
            }
        }

        return matching;
    }

    /// <summary>Compiles <paramref name="filter"/> against this segment's field columns (building those it lacks).</summary>
    private OffsetPredicate Compile(Filter filter)
    {
        var fallback = new OffsetMatcher(this);
        return Compile(filter, fallback);
    }

    private OffsetPredicate Compile(Filter filter, OffsetMatcher fallback)
    {
        var clauses = new List<OffsetPredicate>(4);
        if (filter.Must is { } must)
        {
            clauses.Add(OffsetPredicate.AllOf([.. must.Select(c => Compile(c, fallback))]));
        }

        if (filter.MustNot is { } mustNot)
        {
            clauses.Add(new OffsetPredicate.None([.. mustNot.Select(c => Compile(c, fallback))]));
        }

        if (filter.Should is { } should)
        {
            clauses.Add(new OffsetPredicate.Any([.. should.Select(c => Compile(c, fallback))]));
        }

        if (filter.MinShould is { } minShould)
        {
            clauses.Add(new OffsetPredicate.AtLeast([.. minShould.Conditions.Select(c => Compile(c, fallback))], minShould.MinCount));
        }

        return clauses.Count == 0 ? new OffsetPredicate.Constant(true) : OffsetPredicate.AllOf(clauses);
    }

    private OffsetPredicate Compile(Condition condition, OffsetMatcher fallback)
    {
        switch (condition)
        {
            case FieldCondition field when CompileField(field) is { } compiled:
                return compiled;
            case FilterCondition inner:
                return Compile(inner.Filter, fallback);
            case HasIdCondition hasId:
                return new OffsetPredicate.Slow(offset => hasId.Ids.Contains(_ids.IdAt(offset)));
            case SliceCondition slice:
                return new OffsetPredicate.Slow(offset => slice.Contains(_ids.IdAt(offset)));
            case NestedCondition nested:
                return CompileNested(nested, fallback);
            default:
                // Nested filters, emptiness and text matches are checked on the payload, one condition at a time.
                var alone = new Filter(Must: [condition]);
                return new OffsetPredicate.Slow(offset => fallback.Matches(alone, offset));
        }
    }

    // A nested filter must hold for one and the same array element, which a column of each field cannot tell; but each
    // of its must field conditions must then hold for some element, so those are checked on the columns of
    // "key[].field" first and the payload is walked only for points that pass them all.
    private OffsetPredicate CompileNested(NestedCondition nested, OffsetMatcher fallback)
    {
        // Every inner condition answered by a column over the array's elements: checked element by element, no payload walk.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!nested.Key.Contains('[', StringComparison.Ordinal) && CollectInnerKeys(nested.Filter, keys)
            && _fieldColumns.Nested.GetOrBuild(nested.Key, keys, _payloads) is { } elements
            && CompileOnElements(nested.Filter, elements) is { } onElements)
        {
            return new NestedOnColumn(elements, onElements);
        }

        var alone = new Filter(Must: [nested]);
        var parts = new List<OffsetPredicate> { new OffsetPredicate.Slow(offset => fallback.Matches(alone, offset)) };
        foreach (var inner in nested.Key.Contains('[', StringComparison.Ordinal) ? [] : nested.Filter.Must ?? [])
        {
            if (inner is FieldCondition field && CompileField(field with { Key = nested.Key + "[]." + field.Key }) is { } necessary)
            {
                parts.Add(necessary);
            }
        }

        return OffsetPredicate.AllOf(parts);
    }

    // The keys of the field conditions of a filter made only of field conditions and inner filters; false otherwise.
    private static bool CollectInnerKeys(Filter filter, HashSet<string> keys)
    {
        foreach (var condition in (filter.Must ?? []).Concat(filter.Should ?? []).Concat(filter.MustNot ?? []).Concat(filter.MinShould?.Conditions ?? []))
        {
            switch (condition)
            {
                case FieldCondition field:
                    keys.Add(field.Key);
                    break;
                case FilterCondition inner when CollectInnerKeys(inner.Filter, keys):
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    // The filter compiled over element numbers of a nested column, or null when a condition has no column answer.
    private OffsetPredicate? CompileOnElements(Filter filter, NestedColumn elements)
    {
        OffsetPredicate[]? Each(IReadOnlyList<Condition>? conditions)
        {
            var compiled = new OffsetPredicate[conditions?.Count ?? 0];
            for (var i = 0; i < compiled.Length; i++)
            {
                var part = conditions![i] switch
                {
                    FieldCondition field => CompileField(field, elements.Field(field.Key)),
                    FilterCondition inner => CompileOnElements(inner.Filter, elements),
                    _ => null,
                };
                if (part is null)
                {
                    return null;
                }

                compiled[i] = part;
            }

            return compiled;
        }

        var clauses = new List<OffsetPredicate>(4);
        if (filter.Must is { } must)
        {
            if (Each(must) is not { } parts)
            {
                return null;
            }

            clauses.Add(OffsetPredicate.AllOf([.. parts]));
        }

        if (filter.MustNot is { } mustNot)
        {
            if (Each(mustNot) is not { } parts)
            {
                return null;
            }

            clauses.Add(new OffsetPredicate.None(parts));
        }

        if (filter.Should is { } should)
        {
            if (Each(should) is not { } parts)
            {
                return null;
            }

            clauses.Add(new OffsetPredicate.Any(parts));
        }

        if (filter.MinShould is { } minShould)
        {
            if (Each(minShould.Conditions) is not { } parts)
            {
                return null;
            }

            clauses.Add(new OffsetPredicate.AtLeast(parts, minShould.MinCount));
        }

        return clauses.Count == 0 ? new OffsetPredicate.Constant(true) : OffsetPredicate.AllOf(clauses);
    }

    // A field condition made only of parts a column answers, or null.
    private OffsetPredicate? CompileField(FieldCondition c) =>
        IsColumnable(c) ? CompileField(c, _fieldColumns.GetOrBuild(c.Key, _payloads)) : null;

    private static bool IsColumnable(FieldCondition c) =>
        c.IsEmpty is null && c.IsNull is null && c.ValuesCount is null && (c.Match is not { } m || OffsetPredicate.MatchOnColumn.Handles(m));

    // The same on a given column (of the segment's points or of a nested array's elements).
    private OffsetPredicate? CompileField(FieldCondition c, FieldColumn? onColumn)
    {
        if (!IsColumnable(c) || onColumn is not { } column)
        {
            return null;
        }

        var parts = new List<OffsetPredicate>(2);
        if (c.Match is { } match)
        {
            parts.Add(new OffsetPredicate.MatchOnColumn(column, match));
        }

        if (c.Range is { } range)
        {
            parts.Add(new OffsetPredicate.RangeOnColumn(column, range));
        }

        if (c.DatetimeRange is { } datetime)
        {
            parts.Add(new OffsetPredicate.DatetimeOnColumn(column, datetime));
        }

        if (c.GeoRadius is { } radius)
        {
            parts.Add(new OffsetPredicate.GeoOnColumn(column, p => GeoMath.WithinLatitudeBand(radius, p) && GeoMath.InRadius(radius, p)));
        }

        if (c.GeoBoundingBox is { } box)
        {
            parts.Add(new OffsetPredicate.GeoOnColumn(column, p => GeoMath.InBoundingBox(box, p)));
        }

        if (c.GeoPolygon is { } polygon)
        {
            parts.Add(new OffsetPredicate.GeoOnColumn(column, p => GeoMath.InPolygon(polygon, p)));
        }

        // A condition with no parts set matches nothing, as in FilterEvaluator.
        return parts.Count == 0 ? new OffsetPredicate.Constant(false) : OffsetPredicate.AllOf(parts);
    }

    // ACORN's breadth: ef times the square root of the reference's default max_selectivity over the filter's, between 1 and 4.
    private static int AcornEf(int ef, double selectivity) =>
        (int)Math.Min(int.MaxValue / 4, ef * Math.Clamp(Math.Sqrt(AcornSearch.DefaultMaxSelectivity / Math.Max(selectivity, 1e-6)), 1, 4));

    private readonly record struct FilterPlan(SearchPlan Kind, OffsetPredicate? Predicate, double Selectivity);
}
