using System.Text.Json.Serialization;
using AotVector.Common.Model;

namespace AotVector.Engine.Files;

/// <summary>
/// The engine's own JSON files, serialized by generated code (no reflection). Indented for the operator who opens
/// them; a null where the type says non-null, or a missing required member, fails the read with a JsonException.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    Converters = [typeof(JsonStringEnumConverter<Distance>)])]
[JsonSerializable(typeof(CollectionConfigFile))]
[JsonSerializable(typeof(AliasesFile))]
[JsonSerializable(typeof(VectorParamsFile))]
[JsonSerializable(typeof(Dictionary<string, VectorParamsFile>))]
internal sealed partial class EngineFilesJsonContext : JsonSerializerContext;
