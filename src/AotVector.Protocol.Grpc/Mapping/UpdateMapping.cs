#pragma warning disable CS0612 // Deprecated wire fields are read and written on purpose: older clients still use them.
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Grpc.Errors;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Point write requests (single RPCs and UpdateBatch operations) → engine <see cref="UpdateOperation"/>s.</summary>
internal static class UpdateMapping
{
    public static Result<UpdateOperation> ToEngine(Wire.UpsertPoints request) =>
        Upsert(request.Points, request.UpdateFilter, request.HasUpdateMode ? request.UpdateMode : null);

    public static Result<UpdateOperation> ToEngine(Wire.DeletePoints request) =>
        SelectorMapping.ToEngine(request.Points, "points").TryGet(out var selector, out var error)
            ? new DeletePoints(selector)
            : error;

    public static Result<UpdateOperation> ToEngine(Wire.UpdatePointVectors request) =>
        UpdateVectors(request.Points, request.UpdateFilter);

    public static Result<UpdateOperation> ToEngine(Wire.DeletePointVectors request) =>
        DeleteVectors(request.PointsSelector, request.Vectors);

    public static Result<UpdateOperation> ToSetPayload(Wire.SetPayloadPoints request) =>
        SetPayload(request.Payload, request.PointsSelector, request.HasKey ? request.Key : null);

    public static Result<UpdateOperation> ToOverwritePayload(Wire.SetPayloadPoints request) =>
        OverwritePayload(request.Payload, request.PointsSelector, request.HasKey ? request.Key : null);

    public static Result<UpdateOperation> ToEngine(Wire.DeletePayloadPoints request) =>
        DeletePayload(request.Keys, request.PointsSelector);

    public static Result<UpdateOperation> ToEngine(Wire.ClearPayloadPoints request) =>
        SelectorMapping.ToEngine(request.Points, "points").TryGet(out var selector, out var error)
            ? new ClearPayload(selector)
            : error;

    public static Result<UpdateOperation> ToEngine(Wire.CreateFieldIndexCollection request)
    {
        if (string.IsNullOrEmpty(request.FieldName))
        {
            return GrpcErrors.InvalidField("field_name", "must not be empty");
        }

        PayloadSchemaType schema;
        if (request.HasFieldType)
        {
            schema = ToEngine(request.FieldType);
        }
        else if (request.FieldIndexParams is { } indexParams && FromParams(indexParams.IndexParamsCase) is { } fromParams)
        {
            schema = fromParams;
        }
        else
        {
            return RequestRules.MissingFieldSchema;
        }

        var options = IndexOptionsMapping.ToEngine(request.FieldIndexParams);
        return schema == PayloadSchemaType.Text && request.FieldIndexParams?.TextIndexParams is { } text
            ? new CreateFieldIndex(request.FieldName, schema) { Text = TextParamsMapping.ToEngine(text), Options = options }
            : new CreateFieldIndex(request.FieldName, schema) { Options = options };
    }

    public static Result<UpdateOperation> ToEngine(Wire.DeleteFieldIndexCollection request) =>
        string.IsNullOrEmpty(request.FieldName)
            ? GrpcErrors.InvalidField("field_name", "must not be empty")
            : new DeleteFieldIndex(request.FieldName);

    public static Result<List<UpdateOperation>> ToEngine(RepeatedField<Wire.PointsUpdateOperation> operations)
    {
        var result = new List<UpdateOperation>(operations.Count);
        foreach (var operation in operations)
        {
            if (!ToEngine(operation).TryGet(out var mapped, out var error))
            {
                return error;
            }

            result.Add(mapped);
        }

        return result;
    }

    public static Result<UpdateOperation> ToEngine(Wire.PointsUpdateOperation operation)
    {
        switch (operation.OperationCase)
        {
            case Wire.PointsUpdateOperation.OperationOneofCase.Upsert:
            {
                var upsert = operation.Upsert;
                return Upsert(upsert.Points, upsert.UpdateFilter, upsert.HasUpdateMode ? upsert.UpdateMode : null);
            }

            case Wire.PointsUpdateOperation.OperationOneofCase.DeleteDeprecated:
                return SelectorMapping.ToEngine(operation.DeleteDeprecated, "delete").TryGet(out var selector, out var error)
                    ? new DeletePoints(selector)
                    : error;
            case Wire.PointsUpdateOperation.OperationOneofCase.DeletePoints:
                return SelectorMapping.ToEngine(operation.DeletePoints.Points, "delete_points.points").TryGet(out selector, out error)
                    ? new DeletePoints(selector)
                    : error;
            case Wire.PointsUpdateOperation.OperationOneofCase.SetPayload:
            {
                var set = operation.SetPayload;
                return SetPayload(set.Payload, set.PointsSelector, set.HasKey ? set.Key : null);
            }

            case Wire.PointsUpdateOperation.OperationOneofCase.OverwritePayload:
            {
                var overwrite = operation.OverwritePayload;
                return OverwritePayload(overwrite.Payload, overwrite.PointsSelector, overwrite.HasKey ? overwrite.Key : null);
            }

            case Wire.PointsUpdateOperation.OperationOneofCase.DeletePayload:
                return DeletePayload(operation.DeletePayload.Keys, operation.DeletePayload.PointsSelector);
            case Wire.PointsUpdateOperation.OperationOneofCase.ClearPayloadDeprecated:
                return SelectorMapping.ToEngine(operation.ClearPayloadDeprecated, "clear_payload").TryGet(out selector, out error)
                    ? new ClearPayload(selector)
                    : error;
            case Wire.PointsUpdateOperation.OperationOneofCase.ClearPayload:
                return SelectorMapping.ToEngine(operation.ClearPayload.Points, "clear_payload.points").TryGet(out selector, out error)
                    ? new ClearPayload(selector)
                    : error;
            case Wire.PointsUpdateOperation.OperationOneofCase.UpdateVectors:
                return UpdateVectors(operation.UpdateVectors.Points, operation.UpdateVectors.UpdateFilter);
            case Wire.PointsUpdateOperation.OperationOneofCase.DeleteVectors:
                return DeleteVectors(operation.DeleteVectors.PointsSelector, operation.DeleteVectors.Vectors);
            default:
                return GrpcErrors.InvalidField("operations", "an update operation has no operation set");
        }
    }

    public static PayloadSchemaType ToEngine(Wire.FieldType type) => type switch
    {
        Wire.FieldType.Integer => PayloadSchemaType.Integer,
        Wire.FieldType.Float => PayloadSchemaType.Float,
        Wire.FieldType.Geo => PayloadSchemaType.Geo,
        Wire.FieldType.Text => PayloadSchemaType.Text,
        Wire.FieldType.Bool => PayloadSchemaType.Bool,
        Wire.FieldType.Datetime => PayloadSchemaType.Datetime,
        Wire.FieldType.Uuid => PayloadSchemaType.Uuid,
        _ => PayloadSchemaType.Keyword,
    };

    private static PayloadSchemaType? FromParams(Wire.PayloadIndexParams.IndexParamsOneofCase kind) => kind switch
    {
        Wire.PayloadIndexParams.IndexParamsOneofCase.KeywordIndexParams => PayloadSchemaType.Keyword,
        Wire.PayloadIndexParams.IndexParamsOneofCase.IntegerIndexParams => PayloadSchemaType.Integer,
        Wire.PayloadIndexParams.IndexParamsOneofCase.FloatIndexParams => PayloadSchemaType.Float,
        Wire.PayloadIndexParams.IndexParamsOneofCase.GeoIndexParams => PayloadSchemaType.Geo,
        Wire.PayloadIndexParams.IndexParamsOneofCase.TextIndexParams => PayloadSchemaType.Text,
        Wire.PayloadIndexParams.IndexParamsOneofCase.BoolIndexParams => PayloadSchemaType.Bool,
        Wire.PayloadIndexParams.IndexParamsOneofCase.DatetimeIndexParams => PayloadSchemaType.Datetime,
        Wire.PayloadIndexParams.IndexParamsOneofCase.UuidIndexParams => PayloadSchemaType.Uuid,
        _ => null,
    };

    private static Result<UpdateOperation> Upsert(RepeatedField<Wire.PointStruct> points, Wire.Filter? updateFilter, Wire.UpdateMode? mode)
    {
        var mapped = new List<PointStruct>(points.Count);
        foreach (var point in points)
        {
            if (!PointIdMapping.ToEngine(point.Id).TryGet(out var id, out var error)
                || !VectorMapping.ToEngine(point.Vectors).TryGet(out var vectors, out error))
            {
                return error;
            }

            mapped.Add(new PointStruct(id, vectors, point.Payload.Count == 0 ? null : PayloadMapping.ToEngine(point.Payload)));
        }

        if (!FilterMapping.ToEngine(updateFilter).TryGet(out var filter, out var filterError))
        {
            return filterError;
        }

        var updateMode = mode switch
        {
            Wire.UpdateMode.InsertOnly => UpdateMode.InsertOnly,
            Wire.UpdateMode.UpdateOnly => UpdateMode.UpdateOnly,
            Wire.UpdateMode.Upsert => UpdateMode.Upsert,
            _ => RequestDefaults.UpsertMode,
        };
        return new UpsertPoints(mapped, filter, updateMode);
    }

    private static Result<UpdateOperation> UpdateVectors(RepeatedField<Wire.PointVectors> points, Wire.Filter? updateFilter)
    {
        var mapped = new List<PointVectors>(points.Count);
        foreach (var point in points)
        {
            if (!PointIdMapping.ToEngine(point.Id).TryGet(out var id, out var error)
                || !VectorMapping.ToEngine(point.Vectors).TryGet(out var vectors, out error))
            {
                return error;
            }

            mapped.Add(new PointVectors(id, vectors));
        }

        return FilterMapping.ToEngine(updateFilter).TryGet(out var filter, out var filterError)
            ? new UpdateVectors(mapped, filter)
            : filterError;
    }

    private static Result<UpdateOperation> DeleteVectors(Wire.PointsSelector? points, Wire.VectorsSelector? vectors)
    {
        if (!SelectorMapping.ToEngine(points, "points_selector").TryGet(out var selector, out var error))
        {
            return error;
        }

        if (vectors is null || vectors.Names.Count == 0)
        {
            return GrpcErrors.InvalidField("vectors", "must name at least one vector");
        }

        return new DeleteVectors(selector, [.. vectors.Names]);
    }

    private static Result<UpdateOperation> SetPayload(MapField<string, Wire.Value> payload, Wire.PointsSelector? points, string? key) =>
        SelectorMapping.ToEngine(points, "points_selector").TryGet(out var selector, out var error)
            ? new SetPayload(PayloadMapping.ToEngine(payload), selector, key)
            : error;

    private static Result<UpdateOperation> OverwritePayload(MapField<string, Wire.Value> payload, Wire.PointsSelector? points, string? key) =>
        SelectorMapping.ToEngine(points, "points_selector").TryGet(out var selector, out var error)
            ? new OverwritePayload(PayloadMapping.ToEngine(payload), selector, key)
            : error;

    private static Result<UpdateOperation> DeletePayload(RepeatedField<string> keys, Wire.PointsSelector? points) =>
        SelectorMapping.ToEngine(points, "points_selector").TryGet(out var selector, out var error)
            ? new DeletePayloadKeys([.. keys], selector)
            : error;
}
