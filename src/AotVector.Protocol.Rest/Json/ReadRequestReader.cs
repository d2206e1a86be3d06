using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Bodies of retrieve, scroll and count; what they leave out comes from <see cref="RequestDefaults"/>.</summary>
internal static class ReadRequestReader
{
    public static RetrieveRequest ReadRetrieve(JsonElement root)
    {
        JsonRead.Object(root, "", "an object with `ids`");
        List<PointId>? ids = null;
        var withPayload = RequestDefaults.ReadPayload;
        var withVector = RequestDefaults.Vectors;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "ids":
                    ids = PointIdJson.ReadList(p.Value, "ids");
                    break;
                case "with_payload":
                    withPayload = SelectorJson.ReadWithPayload(p.Value, p.Name, RequestDefaults.ReadPayload);
                    break;
                case "with_vector" or "with_vectors":
                    withVector = SelectorJson.ReadWithVector(p.Value, p.Name, RequestDefaults.Vectors);
                    break;
                default:
                    break;
            }
        }

        if (ids is null)
        {
            JsonRead.Missing("", "ids");
        }

        return new RetrieveRequest(ids, withPayload, withVector);
    }

    public static ScrollRequest ReadScroll(JsonElement root)
    {
        JsonRead.Object(root, "", "a scroll request object");
        Filter? filter = null;
        var limit = RequestDefaults.Limit;
        PointId? offset = null;
        var withPayload = RequestDefaults.ReadPayload;
        var withVector = RequestDefaults.Vectors;
        OrderBy? orderBy = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "limit":
                    limit = ReadLimit(p.Value, p.Name) ?? RequestDefaults.Limit;
                    break;
                case "offset":
                    offset = PointIdJson.ReadOptional(p.Value, p.Name);
                    break;
                case "with_payload":
                    withPayload = SelectorJson.ReadWithPayload(p.Value, p.Name, RequestDefaults.ReadPayload);
                    break;
                case "with_vector" or "with_vectors":
                    withVector = SelectorJson.ReadWithVector(p.Value, p.Name, RequestDefaults.Vectors);
                    break;
                case "order_by":
                    orderBy = JsonRead.IsAbsent(p.Value) ? null : QueryKindReader.ReadOrderBy(p.Value, p.Name);
                    break;
                default:
                    break;
            }
        }

        return new ScrollRequest(filter, limit, offset, withPayload, withVector, orderBy);
    }

    public static CountRequest ReadCount(JsonElement root)
    {
        JsonRead.Object(root, "", "a count request object");
        Filter? filter = null;
        var exact = RequestDefaults.ExactCount;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "exact":
                    exact = JsonRead.OptionalBool(p.Value, p.Name) ?? RequestDefaults.ExactCount;
                    break;
                default:
                    break;
            }
        }

        return new CountRequest(filter, exact);
    }

    /// <summary>A limit: an unsigned integer of at least 1 (0 is a 422, as Qdrant's validator says).</summary>
    public static uint? ReadLimit(JsonElement e, string path)
    {
        var limit = JsonRead.OptionalUInt32(e, path);
        if (limit == 0)
        {
            ThrowHelper.ThrowValidation(path, RequestRules.ZeroLimit);
        }

        return limit;
    }
}
