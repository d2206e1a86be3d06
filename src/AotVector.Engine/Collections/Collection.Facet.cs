using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

/// <summary>
/// Facet counts: for each value of an indexed field, the points (matching the filter) holding it, counted once per
/// point however often the value repeats in its array. The index decides which values count: strings for a keyword
/// index, integers for an integer one, booleans for a bool one, UUID strings for a uuid one.
/// </summary>
internal sealed partial class Collection
{
    // Ids read per page while counting, so a large collection is not held in memory at once.
    private const int FacetPage = 1024;

    public Result<IReadOnlyList<FacetHit>> Facet(FacetRequest request, CancellationToken ct)
    {
        var indexed = Info().PayloadSchema.TryGetValue(request.Key, out var info) ? info.DataType : (PayloadSchemaType?)null;
        if (indexed is not (PayloadSchemaType.Keyword or PayloadSchemaType.Integer or PayloadSchemaType.Bool or PayloadSchemaType.Uuid))
        {
            return AvError.BadRequest(
                $"No appropriate index for faceting: `{request.Key}`. Please create one to facet on this field. " +
                "Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Match conditions");
        }

        if (!JsonPath.TryParse(request.Key, out var path, out var pathError))
        {
            return AvError.BadRequest(pathError);
        }

        var counts = new Dictionary<PayloadValue, ulong>();
        var distinct = new HashSet<PayloadValue>();
        var selector = new WithPayload(true, Include: [request.Key]);
        PointId? offset = null;
        while (true)
        {
            var ids = ScrollIds(request.Filter, offset, FacetPage + 1, ct);
            if (ct.IsCancellationRequested)
            {
                return CancelledRead;
            }

            var page = ids.Count > FacetPage ? ids.Take(FacetPage).ToArray() : ids;
            foreach (var record in ShardRouting.Retrieve(_placement, page, selector, WithVector.None))
            {
                distinct.Clear();
                foreach (var value in path.Evaluate(record.Payload ?? new Payload()))
                {
                    if (value.Kind == PayloadKind.Array)
                    {
                        foreach (var item in value.AsArray)
                        {
                            AddFacetValue(item, indexed.Value, distinct);
                        }
                    }
                    else
                    {
                        AddFacetValue(value, indexed.Value, distinct);
                    }
                }

                foreach (var value in distinct)
                {
                    counts[value] = counts.GetValueOrDefault(value) + 1;
                }
            }

            if (ids.Count <= FacetPage)
            {
                break;
            }

            offset = ids[FacetPage];
        }

        return counts
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, FacetValueOrder.Instance)
            .Take((int)Math.Min(request.Limit, int.MaxValue))
            .Select(c => new FacetHit(c.Key, c.Value))
            .ToList();
    }

    private static void AddFacetValue(PayloadValue value, PayloadSchemaType index, HashSet<PayloadValue> into)
    {
        switch (index)
        {
            case PayloadSchemaType.Keyword when value.Kind == PayloadKind.String:
            case PayloadSchemaType.Integer when value.Kind == PayloadKind.Integer:
            case PayloadSchemaType.Bool when value.Kind == PayloadKind.Bool:
                into.Add(value);
                break;
            case PayloadSchemaType.Uuid when value.Kind == PayloadKind.String && Guid.TryParse(value.AsString, out var uuid):
                // One value however the UUID was spelled (case, braces), written back in its canonical form.
                into.Add(PayloadValue.FromString(uuid.ToString("D")));
                break;
        }
    }

    /// <summary>Ties in count go to the smaller value: strings by their bytes, integers by value, false before true.</summary>
    private sealed class FacetValueOrder : IComparer<PayloadValue>
    {
        public static readonly FacetValueOrder Instance = new();

        public int Compare(PayloadValue? x, PayloadValue? y) => (x!.Kind, y!.Kind) switch
        {
            (PayloadKind.String, PayloadKind.String) => string.CompareOrdinal(x.AsString, y.AsString),
            (PayloadKind.Integer, PayloadKind.Integer) => x.AsInteger.CompareTo(y.AsInteger),
            (PayloadKind.Bool, PayloadKind.Bool) => x.AsBool.CompareTo(y.AsBool),
            _ => x.Kind.CompareTo(y.Kind),
        };
    }
}
