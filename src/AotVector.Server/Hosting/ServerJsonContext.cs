using System.Text.Json.Serialization;

namespace AotVector.Server.Hosting;

/// <summary>The server's own JSON results (/cluster), serialized by generated code.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterStatusDto))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
