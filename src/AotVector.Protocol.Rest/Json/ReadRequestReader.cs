using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Bodies of retrieve, scroll and count, with Qdrant's defaults (payload on, vectors off, limit 10, exact count).</summary>
internal static class ReadRequestReader
{
    public const uint DefaultLimit = 10;

    public static RetrieveRequest ReadRetrieve(JsonElement root)
    {
        JsonRead.Object(root, "", "an object with `ids`");
        List<PointId>? ids = null;
        var withPayload = WithPayload.All;
        var withVector = WithVector.None;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "ids":
                    ids = PointIdJson.ReadList(p.Value, "ids");
                    break;
                case "with_payload":
                    withPayload = SelectorJson.ReadWithPayload(p.Value, p.Name, WithPayload.All);
                    break;
                case "with_vector" or "with_vectors":
                    withVector = SelectorJson.ReadWithVector(p.Value, p.Name, WithVector.None);
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
        var limit = DefaultLimit;
        PointId? offset = null;
        var withPayload = WithPayload.All;
        var withVector = WithVector.None;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "limit":
                    limit = ReadLimit(p.Value, p.Name) ?? DefaultLimit;
                    break;
                case "offset":
                    offset = PointIdJson.ReadOptional(p.Value, p.Name);
                    break;
                case "with_payload":
                    withPayload = SelectorJson.ReadWithPayload(p.Value, p.Name, WithPayload.All);
                    break;
                case "with_vector" or "with_vectors":
                    withVector = SelectorJson.ReadWithVector(p.Value, p.Name, WithVector.None);
                    break;
                case "order_by":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        ThrowHelper.ThrowError(Common.Errors.AvError.BadRequest("order_by is not supported yet"));
                    }

                    break;
                default:
                    break;
            }
        }

        return new ScrollRequest(filter, limit, offset, withPayload, withVector);
    }

    public static CountRequest ReadCount(JsonElement root)
    {
        JsonRead.Object(root, "", "a count request object");
        Filter? filter = null;
        var exact = true;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "exact":
                    exact = JsonRead.OptionalBool(p.Value, p.Name) ?? true;
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
            ThrowHelper.ThrowValidation(path, "value 0 invalid, must be 1 or larger");
        }

        return limit;
    }
}
