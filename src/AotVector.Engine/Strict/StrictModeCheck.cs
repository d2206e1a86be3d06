using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Issues;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Strict;

/// <summary>
/// The reference's strict mode verification: each request kind against an enabled <see cref="StrictModeConfig"/>, in
/// the reference's order (the request's own checks, its limit, its filters, exact, its search params), with the
/// reference's messages. A limit refusal is "Bad request: … Help: …" (REST 400, gRPC INVALID_ARGUMENT), as the
/// reference turns its strict mode error into a bad request.
/// </summary>
internal static class StrictModeCheck
{
    /// <summary>What a check needs to know of the collection.</summary>
    public interface ITarget
    {
        CollectionConfig Config { get; }

        IReadOnlyDictionary<string, PayloadSchemaType> IndexedFields();

        StrictModeState.SizeStats SizeStats();
    }

    public static AvError Refusal(string error, string help) => new(ErrorKind.BadRequest, $"Bad request: {error}. Help: {help}");

    private static AvError BadRequest(string detail) => new(ErrorKind.BadRequest, "Bad request: " + detail);

    public static AvError? Limit(ulong? value, ulong? limit, string name) =>
        value is { } v && limit is { } l && v > l
            ? Refusal($"Limit exceeded {v} > {l} for \"{name}\"", $"Reduce the \"{name}\" parameter to or below {l}.")
            : null;

    private static AvError? Limit(double? value, double? limit, string name) =>
        value is { } v && limit is { } l && v > l
            ? Refusal($"Limit exceeded {RustFloat.Format(v)} > {RustFloat.Format(l)} for \"{name}\"", $"Reduce the \"{name}\" parameter to or below {RustFloat.Format(l)}.")
            : null;

    private static AvError? Exact(bool? requested, StrictModeConfig config) =>
        config.SearchAllowExact == false && requested == true ? Refusal("Exact search disabled!", "Set exact=false.") : null;

    /// <summary>A timeout in seconds over max_timeout.</summary>
    public static AvError? Timeout(TimeSpan? timeout, StrictModeConfig config) =>
        timeout is { } t ? Limit((ulong)Math.Ceiling(t.TotalSeconds), config.MaxTimeout, "timeout") : null;

    /// <summary>The number of searches of a batch over search_max_batchsize.</summary>
    public static AvError? Batch(int count, StrictModeConfig config) => Limit((ulong)count, config.SearchMaxBatchsize, "search batch size");

    public static AvError? Query(QueryRequest r, StrictModeConfig config, ITarget target)
    {
        foreach (var prefetch in r.Prefetch ?? [])
        {
            if (Prefetch(prefetch, config, target) is { } inner)
            {
                return inner;
            }
        }

        if (r.Query is not null && r.Prefetch is not { Count: > 0 } && FullScan(r.Query, r.Using, config, target) is { } scan)
        {
            return scan;
        }

        return Limit(r.Limit, config.MaxQueryLimit, "limit")
            ?? ReadFilter(r.Filter, config, target)
            ?? Params(r.Params, config);
    }

    private static AvError? Prefetch(Prefetch p, StrictModeConfig config, ITarget target)
    {
        foreach (var inner in p.Prefetches)
        {
            if (Prefetch(inner, config, target) is { } error)
            {
                return error;
            }
        }

        if (p.Query is not null && FullScan(p.Query, p.Using, config, target) is { } scan)
        {
            return scan;
        }

        return Limit(p.Limit, config.MaxQueryLimit, "limit")
            ?? ReadFilter(p.Filter, config, target)
            ?? Params(p.Params, config);
    }

    /// <summary>A grouped query: its limit is limit × group_size, and the group key must have an index that can match.</summary>
    public static AvError? Groups(GroupsRequest g, StrictModeConfig config, ITarget target)
    {
        var r = g.Source;
        if (r.Query is not null && r.Prefetch is not { Count: > 0 } && FullScan(r.Query, r.Using, config, target) is { } scan)
        {
            return scan;
        }

        if (GroupingField(g.GroupBy, config, target) is { } grouping)
        {
            return grouping;
        }

        return Limit((ulong)r.Limit * g.GroupSize, config.MaxQueryLimit, "limit")
            ?? ReadFilter(r.Filter, config, target)
            ?? Params(r.Params, config);
    }

    public static AvError? Facet(FacetRequest r, StrictModeConfig config, ITarget target) =>
        Limit(r.Limit, config.MaxQueryLimit, "limit") ?? ReadFilter(r.Filter, config, target) ?? Exact(r.Exact, config);

    public static AvError? Matrix(MatrixRequest r, StrictModeConfig config, ITarget target) =>
        Limit((ulong)r.Limit * r.Sample, config.MaxQueryLimit, "limit") ?? ReadFilter(r.Filter, config, target);

    public static AvError? Scroll(ScrollRequest r, StrictModeConfig config, ITarget target) =>
        Limit(r.Limit, config.MaxQueryLimit, "limit") ?? ReadFilter(r.Filter, config, target);

    public static AvError? Count(CountRequest r, StrictModeConfig config, ITarget target) =>
        ReadFilter(r.Filter, config, target) ?? Exact(r.Exact, config);

    /// <summary>Whether an update can grow memory or disk (the deprecated resident-memory limit applies to these only).</summary>
    public static bool ConsumesMemory(UpdateOperation op) =>
        op is UpsertPoints or UpdateVectors or SetPayload or OverwritePayload or CreateFieldIndex or CreateVectorName;

    public static AvError? Update(UpdateOperation op, StrictModeConfig config, ITarget target) => op switch
    {
        UpsertPoints u => Limit((ulong)u.Points.Count, config.UpsertMaxBatchsize, "upsert limit")
            ?? CollectionSize(config, target)
            ?? VectorLimits(u.Points.Select(p => p.Vectors), config),
        UpdateVectors u => Limit((ulong)u.Points.Count, config.UpsertMaxBatchsize, "update limit")
            ?? CollectionSize(config, target)
            ?? VectorLimits(u.Points.Select(p => p.Vectors), config),
        SetPayload s => WriteFilter(s.Selector.Filter, config, target) ?? PayloadSize(config, target),
        OverwritePayload s => WriteFilter(s.Selector.Filter, config, target) ?? PayloadSize(config, target),
        DeletePoints d => WriteFilter(d.Selector.Filter, config, target),
        DeletePayloadKeys d => WriteFilter(d.Selector.Filter, config, target),
        ClearPayload d => WriteFilter(d.Selector.Filter, config, target),
        DeleteVectors d => WriteFilter(d.Selector.Filter, config, target),
        CreateFieldIndex => config.MaxPayloadIndexCount is { } most && (ulong)target.IndexedFields().Count >= most
            ? Refusal($"Collection already has the maximum number of payload indices ({most})", "Please delete an existing index before creating a new one.")
            : null,
        _ => null,
    };

    /// <summary>The deprecated max_resident_memory_percent: a memory-consuming write while the process is at or over it.</summary>
    public static AvError? ResidentMemory(StrictModeConfig config, Func<uint?> usedPercent)
    {
        if (config.MaxResidentMemoryPercent is not { } limit || usedPercent() is not { } used || used < limit)
        {
            return null;
        }

        return Refusal(
            $"Resident memory usage is at {used}% of total memory, exceeding the configured limit of {limit}%",
            "Reduce memory usage (e.g. delete points or drop collections), or raise `max_resident_memory_percent` in the strict mode config of this collection.");
    }

    private static AvError? Params(SearchParams? p, StrictModeConfig config) =>
        p is null ? null
        : Limit(p.Quantization?.Oversampling, config.SearchMaxOversampling, "oversampling")
            ?? Limit(p.HnswEf, config.SearchMaxHnswEf, "hnsw_ef")
            ?? Exact(p.Exact, config);

    private static AvError? ReadFilter(Filter? filter, StrictModeConfig config, ITarget target) =>
        Filter(filter, config.UnindexedFilteringRetrieve, config, target);

    private static AvError? WriteFilter(Filter? filter, StrictModeConfig config, ITarget target) =>
        Filter(filter, config.UnindexedFilteringUpdate, config, target);

    private static AvError? Filter(Filter? filter, bool? allowUnindexed, StrictModeConfig config, ITarget target)
    {
        if (filter is null)
        {
            return null;
        }

        if (allowUnindexed == false && UnindexedFieldIssues.FirstUnindexed(filter, target.IndexedFields()) is { } missing)
        {
            return Refusal(
                $"Index required but not found for \"{missing.Field}\" of one of the following types: [{string.Join(", ", missing.Schemas)}]",
                "Create an index for this key or use a different filter.");
        }

        if (config.FilterMaxConditions is { } maxConditions && FilterSize.Conditions(filter) is var conditions && conditions > maxConditions)
        {
            return Refusal($"Filter condition limit reached ({conditions} > {maxConditions})", "Reduce the amount of conditions of your filter.");
        }

        if (config.ConditionMaxSize is { } maxSize && FilterSize.LargestCondition(filter) is var size && size > maxSize)
        {
            return Refusal($"Condition size limit reached ({size} > {maxSize})", "Reduce the size of your condition.");
        }

        return null;
    }

    private static AvError? GroupingField(string groupBy, StrictModeConfig config, ITarget target)
    {
        if (config.UnindexedFilteringRetrieve != false)
        {
            return null;
        }

        if (!target.IndexedFields().TryGetValue(groupBy, out var type))
        {
            return Refusal($"Index required but not found for \"{groupBy}\"", "Create an index supporting `match` for this key.");
        }

        return type is PayloadSchemaType.Keyword or PayloadSchemaType.Integer or PayloadSchemaType.Bool or PayloadSchemaType.Uuid
            ? null
            : Refusal($"Index of type \"{type}\" found for \"{groupBy}\"", "Create an index supporting `match` for this key.");
    }

    /// <summary>
    /// With exact search disallowed, a vector query over a dense vector whose graph is switched off (m = 0) would
    /// scan every point: refused. Sparse vectors always have their index. The reference lets a filter on a tenant
    /// index through when payload_m is set; tenant indexes are not built here, so no filter qualifies.
    /// </summary>
    private static AvError? FullScan(QueryInput query, string? usingName, StrictModeConfig config, ITarget target)
    {
        if (config.SearchAllowExact != false || query is FusionQuery or OrderByQuery or SampleQuery)
        {
            return null;
        }

        var name = usingName ?? VectorsConfig.DefaultName;
        var collection = target.Config;
        if (collection.Params.SparseVectors?.ContainsKey(name) == true)
        {
            return null;
        }

        var m = collection.Params.Vectors.Find(name)?.HnswConfig?.M ?? collection.HnswConfig.M;
        if (m > 0)
        {
            return null;
        }

        var label = name.Length == 0 ? "" : $" on '{name}'";
        return Refusal(
            $"Request is forbidden{label} because global vector indexing is disabled (hnsw_config.m = 0)",
            "Use tenant-specific filter, enable global vector indexing or enable strict mode `search_allow_exact` option");
    }

    private static AvError? CollectionSize(StrictModeConfig config, ITarget target)
    {
        if (config.MaxCollectionVectorSizeBytes is null && config.MaxCollectionPayloadSizeBytes is null && config.MaxPointsCount is null)
        {
            return null;
        }

        var stats = target.SizeStats();
        if (config.MaxCollectionVectorSizeBytes is { } vectorLimit && stats.VectorBytes >= vectorLimit)
        {
            return BadRequest($"Max vector storage size limit of {Megabytes(vectorLimit)}MB reached!");
        }

        if (config.MaxCollectionPayloadSizeBytes is { } payloadLimit && stats.PayloadBytes >= payloadLimit)
        {
            return BadRequest($"Max payload storage size limit of {Megabytes(payloadLimit)}MB reached!");
        }

        if (config.MaxPointsCount is { } pointsLimit && stats.Points >= pointsLimit)
        {
            return BadRequest($"Max points count limit of {pointsLimit} reached!");
        }

        return null;
    }

    private static AvError? PayloadSize(StrictModeConfig config, ITarget target) =>
        config.MaxCollectionPayloadSizeBytes is { } limit && target.SizeStats().PayloadBytes >= limit
            ? BadRequest($"Max payload storage size limit of {Megabytes(limit)}MB reached!")
            : null;

    // As the reference prints it: the limit in MB as a 32-bit float.
    private static string Megabytes(ulong bytes) => RustFloat.Format((float)(bytes / (1024.0 * 1024.0)));

    private static AvError? VectorLimits(IEnumerable<IReadOnlyDictionary<string, VectorData>> points, StrictModeConfig config)
    {
        var multi = config.MultivectorConfig?.Where(kv => kv.Value.MaxVectors is not null).ToDictionary(kv => kv.Key, kv => kv.Value.MaxVectors!.Value, StringComparer.Ordinal);
        var sparse = config.SparseConfig?.Where(kv => kv.Value.MaxLength is not null).ToDictionary(kv => kv.Key, kv => kv.Value.MaxLength!.Value, StringComparer.Ordinal);
        if (multi is not { Count: > 0 } && sparse is not { Count: > 0 })
        {
            return null;
        }

        // Multivectors first over every point, then sparse vectors, as the reference checks them.
        foreach (var vectors in points)
        {
            foreach (var (name, vector) in vectors)
            {
                if (vector is MultiDenseVector m && multi?.TryGetValue(name, out var most) == true && (ulong)m.Count > most)
                {
                    return BadRequest($"Multivector '{name}' has a limit of {most} vectors, but {m.Count} were provided!");
                }
            }
        }

        foreach (var vectors in points)
        {
            foreach (var (name, vector) in vectors)
            {
                if (vector is SparseVector s && sparse?.TryGetValue(name, out var most) == true && (ulong)Math.Max(s.Indices.Length, s.Values.Length) > most)
                {
                    return BadRequest($"Sparse vector '{name}' has a limit of {most} indices, but {s.Indices.Length} were provided!");
                }
            }
        }

        return null;
    }
}

/// <summary>The reference's measures of a filter: its conditions counted through nested filters, and its largest condition.</summary>
internal static class FilterSize
{
    public static ulong Conditions(Filter filter)
    {
        ulong total = 0;
        foreach (var condition in All(filter))
        {
            total += condition switch
            {
                NestedCondition n => Conditions(n.Filter),
                FilterCondition f => Conditions(f.Filter),
                _ => 1,
            };
        }

        return total;
    }

    /// <summary>The items of the largest any/except list or has_id set, through nested filters.</summary>
    public static ulong LargestCondition(Filter filter)
    {
        ulong largest = 0;
        foreach (var condition in All(filter))
        {
            var size = condition switch
            {
                FieldCondition { Match: MatchAny a } => (ulong)((a.Keywords?.Count ?? 0) + (a.Integers?.Count ?? 0)),
                FieldCondition { Match: MatchExcept e } => (ulong)((e.Keywords?.Count ?? 0) + (e.Integers?.Count ?? 0)),
                HasIdCondition h => (ulong)h.Ids.Count,
                NestedCondition n => LargestCondition(n.Filter),
                FilterCondition f => LargestCondition(f.Filter),
                _ => 0UL,
            };
            largest = Math.Max(largest, size);
        }

        return largest;
    }

    private static IEnumerable<Condition> All(Filter filter) =>
        (filter.Must ?? []).Concat(filter.MustNot ?? []).Concat(filter.Should ?? []).Concat(filter.MinShould?.Conditions ?? []);
}

/// <summary>Numbers printed as Rust's Display prints them: the shortest digits that read back, never in exponent form.</summary>
internal static class RustFloat
{
    public static string Format(float value) => Expand(value.ToString("R", CultureInfo.InvariantCulture));

    public static string Format(double value) => Expand(value.ToString("R", CultureInfo.InvariantCulture));

    private static string Expand(string text)
    {
        var e = text.IndexOfAny(['E', 'e']);
        if (e < 0)
        {
            return text;
        }

        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = text[..e];
        var negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        var point = (mantissa.TrimStart('-').IndexOf('.') is var i and >= 0 ? i : mantissa.TrimStart('-').Length) + exponent;
        var expanded = point <= 0
            ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length) : digits[..point] + "." + digits[point..];
        return negative ? "-" + expanded : expanded;
    }
}
