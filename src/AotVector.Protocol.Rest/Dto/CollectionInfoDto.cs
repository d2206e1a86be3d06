using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>GET /collections/{name} (Qdrant's CollectionInfo; api.md §6).</summary>
internal sealed record CollectionInfoDto(
    string Status,
    OptimizerStatusDto OptimizerStatus,
    ulong IndexedVectorsCount,
    ulong PointsCount,
    ulong SegmentsCount,
    CollectionConfigDto Config,
    Dictionary<string, PayloadIndexInfoDto> PayloadSchema,
    UpdateQueueDto UpdateQueue)
{
    public static CollectionInfoDto From(CollectionInfo info) => new(
        WireNames.Of(info.Status),
        new OptimizerStatusDto(info.OptimizerError),
        info.IndexedVectorsCount,
        info.PointsCount,
        info.SegmentsCount,
        CollectionConfigDto.From(info.Config),
        info.PayloadSchema.ToDictionary(f => f.Key, f => new PayloadIndexInfoDto(WireNames.Of(f.Value.DataType), PayloadIndexParamsDto.Of(f.Value), f.Value.Points), StringComparer.Ordinal),
        new UpdateQueueDto(0));
}

/// <summary>"ok", or {"error": "…"} when the optimizer failed (serde's externally tagged enum).</summary>
[JsonConverter(typeof(OptimizerStatusConverter))]
internal sealed record OptimizerStatusDto(string? Error);

internal sealed record PayloadIndexInfoDto(
    string DataType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    PayloadIndexParamsDto? Params,
    ulong Points);

/// <summary>Updates wait in no queue here: writes are applied by the update workers as they arrive.</summary>
internal sealed record UpdateQueueDto(ulong Length);

internal sealed class OptimizerStatusConverter : JsonConverter<OptimizerStatusDto>
{
    public override OptimizerStatusDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("optimizer_status is only written");

    public override void Write(Utf8JsonWriter writer, OptimizerStatusDto value, JsonSerializerOptions options)
    {
        if (value.Error is null)
        {
            writer.WriteStringValue("ok"u8);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("error"u8, value.Error);
        writer.WriteEndObject();
    }
}
