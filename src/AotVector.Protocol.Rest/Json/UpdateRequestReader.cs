using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Bodies of the point write endpoints, each read into one <see cref="UpdateOperation"/>.</summary>
internal static class UpdateRequestReader
{
    private const string BatchOperations = "`upsert`, `delete`, `set_payload`, `overwrite_payload`, `delete_payload`, `clear_payload`, `update_vectors`, `delete_vectors`";

    /// <summary>{"points":[...]} or {"batch":{"ids","vectors","payloads"}}, plus update_filter and update_mode.</summary>
    public static UpsertPoints ReadUpsert(JsonElement root, string path)
    {
        JsonRead.Object(root, path, "an object with `points` or `batch`");
        List<PointStruct>? points = null;
        Filter? updateFilter = null;
        var mode = RequestDefaults.UpsertMode;
        foreach (var p in root.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "points" or "batch" when JsonRead.IsAbsent(p.Value):
                    break;
                case "points" or "batch" when points is not null:
                    ThrowHelper.ThrowFormat(path, "either `points` or `batch` must be given, not both");
                    break;
                case "points":
                    points = ReadPointList(p.Value, at);
                    break;
                case "batch":
                    points = ReadBatch(p.Value, at);
                    break;
                case "update_filter":
                    updateFilter = FilterReader.ReadOptional(p.Value, at);
                    break;
                case "update_mode":
                    mode = JsonRead.OptionalString(p.Value, at) switch
                    {
                        null => RequestDefaults.UpsertMode,
                        "upsert" => UpdateMode.Upsert,
                        "insert_only" => UpdateMode.InsertOnly,
                        "update_only" => UpdateMode.UpdateOnly,
                        var other => ThrowHelper.ThrowFormat<UpdateMode>(at, "unknown variant `" + other + "`, expected one of `upsert`, `insert_only`, `update_only`"),
                    };
                    break;
                default:
                    // shard_key and later additions are ignored.
                    break;
            }
        }

        return new UpsertPoints(points ?? ThrowHelper.ThrowFormat<List<PointStruct>>(path, "either `points` or `batch` must be provided"), updateFilter, mode);
    }

    public static DeletePoints ReadDelete(JsonElement root, string path) =>
        new(SelectorJson.ReadPointsOrFilter(JsonRead.Object(root, path), path));

    public static ClearPayload ReadClearPayload(JsonElement root, string path) =>
        new(SelectorJson.ReadPointsOrFilter(JsonRead.Object(root, path), path));

    /// <summary>{"payload":{...}, "points"|"filter", "key"?}; a top-level null in the payload removes that key.</summary>
    public static SetPayload ReadSetPayload(JsonElement root, string path)
    {
        var payload = ReadPayloadField(root, path);
        var key = root.TryGetProperty("key", out var k) && !JsonRead.IsAbsent(k) ? JsonRead.KeyPath(k, BodyPath.Field(path, "key")) : null;
        return new SetPayload(payload, SelectorJson.ReadPointsOrFilter(root, path), key);
    }

    /// <summary>The set-payload body; its <c>key</c> is read as a JSON path (an invalid one is refused, as serde does) and passed on.</summary>
    public static OverwritePayload ReadOverwritePayload(JsonElement root, string path)
    {
        var payload = ReadPayloadField(root, path);
        var key = root.TryGetProperty("key", out var k) && !JsonRead.IsAbsent(k) ? JsonRead.KeyPath(k, BodyPath.Field(path, "key")) : null;
        return new OverwritePayload(payload, SelectorJson.ReadPointsOrFilter(root, path), key);
    }

    public static DeletePayloadKeys ReadDeletePayload(JsonElement root, string path)
    {
        JsonRead.Object(root, path);
        if (!root.TryGetProperty("keys", out var keys) || JsonRead.IsAbsent(keys))
        {
            JsonRead.Missing(path, "keys");
        }

        return new DeletePayloadKeys(JsonRead.KeyPathList(keys, BodyPath.Field(path, "keys")), SelectorJson.ReadPointsOrFilter(root, path));
    }

    /// <summary>{"points":[{"id","vector"}], "update_filter"?}: only the vectors named in each point change.</summary>
    public static UpdateVectors ReadUpdateVectors(JsonElement root, string path)
    {
        JsonRead.Object(root, path);
        if (!root.TryGetProperty("points", out var points) || JsonRead.IsAbsent(points))
        {
            JsonRead.Missing(path, "points");
        }

        var at = BodyPath.Field(path, "points");
        JsonRead.Array(points, at);
        var list = new List<PointVectors>(points.GetArrayLength());
        var i = 0;
        foreach (var point in points.EnumerateArray())
        {
            var pointPath = BodyPath.Index(at, i++);
            JsonRead.Object(point, pointPath, "a point {\"id\",\"vector\"}");
            var id = PointIdJson.Read(RequiredField(point, pointPath, "id"), BodyPath.Field(pointPath, "id"));
            var vectors = VectorJson.ReadVectorStruct(RequiredField(point, pointPath, "vector"), BodyPath.Field(pointPath, "vector"));
            list.Add(new PointVectors(id, vectors));
        }

        var filter = root.TryGetProperty("update_filter", out var f) ? FilterReader.ReadOptional(f, BodyPath.Field(path, "update_filter")) : null;
        return new UpdateVectors(list, filter);
    }

    /// <summary>{"points"|"filter", "vector":["name",...]}.</summary>
    public static DeleteVectors ReadDeleteVectors(JsonElement root, string path)
    {
        JsonRead.Object(root, path);
        if (!root.TryGetProperty("vector", out var names) || JsonRead.IsAbsent(names))
        {
            JsonRead.Missing(path, "vector");
        }

        return new DeleteVectors(SelectorJson.ReadPointsOrFilter(root, path), JsonRead.StringList(names, BodyPath.Field(path, "vector")));
    }

    /// <summary>POST /points/batch: {"operations":[{"upsert":{...}}, {"delete":{...}}, ...]}.</summary>
    public static List<UpdateOperation> ReadBatchOperations(JsonElement root)
    {
        JsonRead.Object(root, "", "an object with `operations`");
        if (!root.TryGetProperty("operations", out var operations))
        {
            JsonRead.Missing("", "operations");
        }

        JsonRead.Array(operations, "operations");
        var list = new List<UpdateOperation>(operations.GetArrayLength());
        var i = 0;
        foreach (var item in operations.EnumerateArray())
        {
            var path = BodyPath.Index("operations", i++);
            JsonRead.Object(item, path, "an operation object");
            UpdateOperation? op = null;
            foreach (var p in item.EnumerateObject())
            {
                if (op is not null)
                {
                    ThrowHelper.ThrowFormat(path, "an operation takes exactly one of " + BatchOperations);
                }

                var at = BodyPath.Field(path, p.Name);
                op = p.Name switch
                {
                    "upsert" => ReadUpsert(p.Value, at),
                    "delete" => ReadDelete(p.Value, at),
                    "set_payload" => ReadSetPayload(p.Value, at),
                    "overwrite_payload" => ReadOverwritePayload(p.Value, at),
                    "delete_payload" => ReadDeletePayload(p.Value, at),
                    "clear_payload" => ReadClearPayload(p.Value, at),
                    "update_vectors" => ReadUpdateVectors(p.Value, at),
                    "delete_vectors" => ReadDeleteVectors(p.Value, at),
                    _ => ThrowHelper.ThrowFormat<UpdateOperation>(path, "unknown variant `" + p.Name + "`, expected one of " + BatchOperations),
                };
            }

            list.Add(op ?? ThrowHelper.ThrowFormat<UpdateOperation>(path, "an operation needs one of " + BatchOperations));
        }

        return list;
    }

    private static List<PointStruct> ReadPointList(JsonElement e, string path)
    {
        JsonRead.Array(e, path, "a list of points");
        var list = new List<PointStruct>(e.GetArrayLength());
        var i = 0;
        foreach (var point in e.EnumerateArray())
        {
            var at = BodyPath.Index(path, i++);
            JsonRead.Object(point, at, "a point {\"id\",\"vector\",\"payload\"}");
            PointId? id = null;
            Dictionary<string, VectorData>? vectors = null;
            Payload? payload = null;
            foreach (var p in point.EnumerateObject())
            {
                var pat = BodyPath.Field(at, p.Name);
                switch (p.Name)
                {
                    case "id":
                        id = PointIdJson.Read(p.Value, pat);
                        break;
                    case "vector":
                        vectors = VectorJson.ReadVectorStruct(p.Value, pat);
                        break;
                    case "payload":
                        payload = PayloadJson.ReadOptionalObject(p.Value, pat);
                        break;
                    default:
                        break;
                }
            }

            if (id is null)
            {
                JsonRead.Missing(at, "id");
            }

            if (vectors is null)
            {
                JsonRead.Missing(at, "vector");
            }

            list.Add(new PointStruct(id.Value, vectors, payload));
        }

        return list;
    }

    /// <summary>The column form: ids, vectors (a list for the unnamed vector or a map name → list) and payloads.</summary>
    private static List<PointStruct> ReadBatch(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a batch {\"ids\",\"vectors\",\"payloads\"}");
        var ids = PointIdJson.ReadList(RequiredField(e, path, "ids"), BodyPath.Field(path, "ids"));
        var vectorsAt = BodyPath.Field(path, "vectors");
        var vectors = RequiredField(e, path, "vectors");
        var columns = new List<(string Name, List<VectorData> Values)>();
        if (vectors.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in vectors.EnumerateObject())
            {
                columns.Add((p.Name, VectorJson.ReadVectorList(p.Value, BodyPath.Field(vectorsAt, p.Name))));
            }
        }
        else
        {
            columns.Add((VectorsConfig.DefaultName, VectorJson.ReadVectorList(vectors, vectorsAt)));
        }

        foreach (var (name, values) in columns)
        {
            if (values.Count != ids.Count)
            {
                ThrowHelper.ThrowError(Common.Errors.AvError.BadRequest(
                    "number of ids and vectors must be equal (" + ids.Count + " ids, " + values.Count + " vectors" + (name.Length == 0 ? "" : " for `" + name + "`") + ")"));
            }
        }

        List<Payload?>? payloads = null;
        if (e.TryGetProperty("payloads", out var payloadsElement) && !JsonRead.IsAbsent(payloadsElement))
        {
            var at = BodyPath.Field(path, "payloads");
            JsonRead.Array(payloadsElement, at);
            payloads = new List<Payload?>(payloadsElement.GetArrayLength());
            var i = 0;
            foreach (var item in payloadsElement.EnumerateArray())
            {
                payloads.Add(PayloadJson.ReadOptionalObject(item, BodyPath.Index(at, i++)));
            }

            if (payloads.Count != ids.Count)
            {
                ThrowHelper.ThrowError(Common.Errors.AvError.BadRequest("number of ids and payloads must be equal (" + ids.Count + " ids, " + payloads.Count + " payloads)"));
            }
        }

        var points = new List<PointStruct>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var pointVectors = new Dictionary<string, VectorData>(columns.Count, StringComparer.Ordinal);
            foreach (var (name, values) in columns)
            {
                pointVectors[name] = values[i];
            }

            points.Add(new PointStruct(ids[i], pointVectors, payloads?[i]));
        }

        return points;
    }

    private static Payload ReadPayloadField(JsonElement root, string path)
    {
        JsonRead.Object(root, path);
        return PayloadJson.ReadObject(RequiredField(root, path, "payload"), BodyPath.Field(path, "payload"));
    }

    private static JsonElement RequiredField(JsonElement obj, string path, string field)
    {
        if (!obj.TryGetProperty(field, out var value) || JsonRead.IsAbsent(value))
        {
            JsonRead.Missing(path, field);
        }

        return value;
    }
}
