using System.Text.Json.Serialization;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// Every fixed-shape result, serialized by generated code in Qdrant's snake_case names. Results are written into
/// the envelope's own Utf8JsonWriter (<see cref="Json.ResponseWriter"/>), whose encoder decides escaping.
/// Scored points and records, whose ids, payloads and vectors are unions, keep their hand-written writer
/// (<see cref="Json.ResultWriter"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(WireEnumConverter<CollectionStatus>), typeof(WireEnumConverter<PayloadSchemaType>), typeof(WireEnumConverter<UpdateStatus>), typeof(JsonStringEnumConverter<Distance>)])]
[JsonSerializable(typeof(ErrorResponseDto))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(CollectionInfoDto))]
[JsonSerializable(typeof(VectorParamsDto))]
[JsonSerializable(typeof(Dictionary<string, VectorParamsDto>))]
[JsonSerializable(typeof(CollectionsResponseDto))]
[JsonSerializable(typeof(AliasesResponseDto))]
[JsonSerializable(typeof(CollectionExistenceDto))]
[JsonSerializable(typeof(CountResultDto))]
[JsonSerializable(typeof(UpdateResultDto))]
[JsonSerializable(typeof(UpdateResultDto[]))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
