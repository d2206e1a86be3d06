using System.Text.Json.Serialization;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// Every fixed-shape result, serialized by generated code in Qdrant's snake_case names. Results are written into
/// the envelope's own Utf8JsonWriter (<see cref="Json.ResponseWriter"/>), whose encoder decides escaping.
/// Scored points and records, whose ids, payloads and vectors are unions, keep their hand-written writer
/// (<see cref="Json.ResultWriter"/>). No converters in the options: any there turns off the generated fast path
/// for every type of the context; the two unions of collection info carry their own on their type.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorResponseDto))]
[JsonSerializable(typeof(VersionInfoDto))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(CollectionInfoDto))]
[JsonSerializable(typeof(VectorParamsDto))]
[JsonSerializable(typeof(Dictionary<string, VectorParamsDto>))]
[JsonSerializable(typeof(CollectionsResponseDto))]
[JsonSerializable(typeof(AliasesResponseDto))]
[JsonSerializable(typeof(CollectionExistenceDto))]
[JsonSerializable(typeof(CountResultDto))]
[JsonSerializable(typeof(CollectionClusterInfoDto))]
[JsonSerializable(typeof(UpdateResultDto))]
[JsonSerializable(typeof(UpdateResultDto[]))]
[JsonSerializable(typeof(SnapshotDescriptionDto))]
[JsonSerializable(typeof(SnapshotDescriptionDto[]))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
