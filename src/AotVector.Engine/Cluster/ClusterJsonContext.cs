using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>How metadata operations and snapshots are encoded in the consensus log (generated code, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(MetaOp))]
[JsonSerializable(typeof(ClusterMetadataSnapshot))]
[JsonSerializable(typeof(ReplicaState))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
