using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Issues;

/// <summary>
/// The reference's UNINDEXED_FIELD issue: a slow query filtered on a payload field with no index that could serve
/// the condition. The fix offered is the index to create, one choice per index type that would serve it (a range
/// on numbers: float or integer). The texts are the reference's, so tools that read them keep working.
/// </summary>
internal static class UnindexedFieldIssues
{
    public const string Code = "UNINDEXED_FIELD";

    // What a condition needs, in the reference's terms; an index type serves some of these.
    [Flags]
    private enum Need
    {
        None = 0,
        IntMatch = 1 << 0,
        IntRange = 1 << 1,
        KeywordMatch = 1 << 2,
        KeywordPrefix = 1 << 3,
        FloatRange = 1 << 4,
        Text = 1 << 5,
        TextPhrase = 1 << 6,
        BoolMatch = 1 << 7,
        UuidMatch = 1 << 8,
        UuidRange = 1 << 9,
        DatetimeRange = 1 << 10,
        Geo = 1 << 11,
        Any = (1 << 12) - 1,
    }

    public static string IssueId(string collection, string field) => $"{Code}/{collection}/{field}";

    /// <summary>The issues for <paramref name="filter"/>'s unindexed fields, in the order they appear.</summary>
    public static IReadOnlyList<IssueRecord> Find(string collection, Filter filter, IReadOnlyDictionary<string, PayloadSchemaType> indexed, DateTimeOffset now)
    {
        var needs = new List<(string Field, Need Need)>();
        Walk(filter, null, indexed, needs);
        var issues = new List<IssueRecord>();
        foreach (var (field, need) in needs)
        {
            var schemas = Schemas(need);
            if (schemas.Count == 0)
            {
                continue;
            }

            var uri = "/collections/" + Uri.EscapeDataString(collection) + "/index";
            var solutions = schemas.Select(schema => new IssueSolution(
                $"Create an index on field '{field}' of schema \"{schema}\" in collection '{collection}'. Check the documentation for more details: https://qdrant.tech/documentation/concepts/indexing/#payload-index",
                "PUT",
                uri,
                [new("field_name", field), new("field_schema", schema)])).ToList();
            issues.Add(new IssueRecord(
                IssueId(collection, field),
                $"Unindexed field '{field}' might be slowing queries down in collection '{collection}'",
                solutions,
                null,
                now,
                collection));
        }

        return issues;
    }

    /// <summary>
    /// Whether <paramref name="filter"/> may have a condition no index of its field serves: the check before
    /// <see cref="Find"/> on every filtered search, which allocates nothing (true, to be safe, for nested filters).
    /// </summary>
    public static bool MayTouchUnindexed(Filter filter, IReadOnlyDictionary<string, PayloadSchemaType> indexed) =>
        AnyUnindexed(filter.Must, indexed) || AnyUnindexed(filter.Should, indexed) || AnyUnindexed(filter.MustNot, indexed)
        || AnyUnindexed(filter.MinShould?.Conditions, indexed);

    private static bool AnyUnindexed(IReadOnlyList<Condition>? conditions, IReadOnlyDictionary<string, PayloadSchemaType> indexed)
    {
        for (var i = 0; i < (conditions?.Count ?? 0); i++)
        {
            var unserved = conditions![i] switch
            {
                FieldCondition f => Unserved(f.Key, Needs(f), indexed),
                IsEmptyCondition e => Unserved(e.Key, Need.Any, indexed),
                IsNullCondition n => Unserved(n.Key, Need.Any, indexed),
                FilterCondition inner => MayTouchUnindexed(inner.Filter, indexed),
                NestedCondition => true,
                _ => false,
            };
            if (unserved)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Unserved(string key, Need need, IReadOnlyDictionary<string, PayloadSchemaType> indexed) =>
        need != Need.None && !(indexed.TryGetValue(key, out var type) && (Serves(type) & need) != 0);

    /// <summary>
    /// The first field of <paramref name="filter"/> with no index that could serve its condition, with the index schemas
    /// that would (sorted, as the reference's strict mode names them); null when every field is served.
    /// </summary>
    public static (string Field, IReadOnlyList<string> Schemas)? FirstUnindexed(Filter filter, IReadOnlyDictionary<string, PayloadSchemaType> indexed)
    {
        var needs = new List<(string Field, Need Need)>();

        // The reference's order of the top-level clauses, stopping at the first condition that needs an index.
        foreach (var list in new[] { filter.Must, filter.MustNot, filter.Should, filter.MinShould?.Conditions })
        {
            foreach (var condition in list ?? [])
            {
                Visit(condition, null, indexed, needs);
                if (needs.Count > 0)
                {
                    return (needs[0].Field, StrictSchemas(needs[0].Need));
                }
            }
        }

        return null;
    }

    // Every schema that would serve the need, in the reference's display names, sorted (uuid included).
    private static List<string> StrictSchemas(Need need)
    {
        var schemas = new SortedSet<string>(StringComparer.Ordinal);
        void Add(Need mask, string schema)
        {
            if ((need & mask) != 0)
            {
                schemas.Add(schema);
            }
        }

        Add(Need.IntMatch | Need.IntRange, "integer");
        Add(Need.KeywordMatch, "keyword");
        Add(Need.KeywordPrefix, "keyword (with prefix: true)");
        Add(Need.FloatRange, "float");
        Add(Need.Text, "text");
        Add(Need.TextPhrase, "text (with phrase_matching: true)");
        Add(Need.BoolMatch, "bool");
        Add(Need.UuidMatch | Need.UuidRange, "uuid");
        Add(Need.DatetimeRange, "datetime");
        Add(Need.Geo, "geo");
        return [.. schemas];
    }

    private static void Walk(Filter filter, string? prefix, IReadOnlyDictionary<string, PayloadSchemaType> indexed, List<(string, Need)> needs)
    {
        foreach (var list in new[] { filter.Must, filter.Should, filter.MustNot, filter.MinShould?.Conditions })
        {
            foreach (var condition in list ?? [])
            {
                Visit(condition, prefix, indexed, needs);
            }
        }
    }

    private static void Visit(Condition condition, string? prefix, IReadOnlyDictionary<string, PayloadSchemaType> indexed, List<(string, Need)> needs)
    {
        (string Key, Need Need) found;
        switch (condition)
        {
            case FieldCondition f:
                found = (f.Key, Needs(f));
                break;
            case IsEmptyCondition e:
                found = (e.Key, Need.Any);
                break;
            case IsNullCondition n:
                found = (n.Key, Need.Any);
                break;
            case FilterCondition inner:
                Walk(inner.Filter, prefix, indexed, needs);
                return;
            case NestedCondition nested:
                Walk(nested.Filter, Join(prefix, nested.Key + "[]"), indexed, needs);
                return;
            default:
                return; // has_id and has_vector need no index
        }

        if (found.Need == Need.None)
        {
            return;
        }

        var key = Join(prefix, found.Key);
        if (indexed.TryGetValue(key, out var type) && (Serves(type) & found.Need) != 0)
        {
            return;
        }

        var at = needs.FindIndex(n => n.Item1 == key);
        if (at < 0)
        {
            needs.Add((key, found.Need));
        }
        else
        {
            needs[at] = (key, needs[at].Item2 | found.Need);
        }
    }

    private static string Join(string? prefix, string key) => prefix is null ? key : prefix + "." + key;

    private static Need Needs(FieldCondition f)
    {
        var need = f.Match switch
        {
            MatchValue { Value.Kind: PayloadKind.String } v => (Guid.TryParse(v.Value.AsString, out _) ? Need.UuidMatch : Need.None) | Need.KeywordMatch,
            MatchValue { Value.Kind: PayloadKind.Integer } => Need.IntMatch,
            MatchValue { Value.Kind: PayloadKind.Bool } => Need.BoolMatch,
            MatchText or MatchTextAny => Need.Text,
            MatchPhrase => Need.TextPhrase,
            MatchPrefix => Need.KeywordPrefix,
            MatchAny a => Variants(a.Keywords, a.Integers),
            MatchExcept e => Variants(e.Keywords, e.Integers),
            _ => Need.None,
        };
        if (f.Range is not null)
        {
            need |= Need.FloatRange | Need.IntRange;
        }

        if (f.DatetimeRange is not null)
        {
            need |= Need.DatetimeRange;
        }

        if (f.GeoBoundingBox is not null || f.GeoRadius is not null || f.GeoPolygon is not null)
        {
            need |= Need.Geo;
        }

        if (f.ValuesCount is not null || f.IsEmpty is not null || f.IsNull is not null)
        {
            need |= Need.Any;
        }

        return need;
    }

    // An empty any/except list is a no-op and needs no index.
    private static Need Variants(IReadOnlyList<string>? keywords, IReadOnlyList<long>? integers)
    {
        if (keywords is { Count: > 0 })
        {
            return (keywords.All(k => Guid.TryParse(k, out _)) ? Need.UuidMatch : Need.None) | Need.KeywordMatch;
        }

        return integers is { Count: > 0 } ? Need.IntMatch : Need.None;
    }

    private static Need Serves(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => Need.KeywordMatch,
        PayloadSchemaType.Integer => Need.IntMatch | Need.IntRange,
        PayloadSchemaType.Uuid => Need.UuidMatch | Need.UuidRange,
        PayloadSchemaType.Bool => Need.BoolMatch,
        PayloadSchemaType.Float => Need.FloatRange,
        PayloadSchemaType.Geo => Need.Geo,
        PayloadSchemaType.Text => Need.Text,
        PayloadSchemaType.Datetime => Need.DatetimeRange,
        _ => Need.None,
    };

    // The index types to suggest, by plain schema name; uuid is left out as the reference does (an advanced type).
    private static List<string> Schemas(Need need)
    {
        var schemas = new List<string>();
        void Add(Need mask, string schema)
        {
            if ((need & mask) != 0 && !schemas.Contains(schema))
            {
                schemas.Add(schema);
            }
        }

        Add(Need.IntMatch | Need.IntRange, "integer");
        Add(Need.KeywordMatch | Need.KeywordPrefix, "keyword");
        Add(Need.FloatRange, "float");
        Add(Need.Text | Need.TextPhrase, "text");
        Add(Need.BoolMatch, "bool");
        Add(Need.DatetimeRange, "datetime");
        Add(Need.Geo, "geo");
        return schemas;
    }
}
