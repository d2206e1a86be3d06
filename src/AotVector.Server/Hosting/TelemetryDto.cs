using System.Text.Json.Serialization;

namespace AotVector.Server.Hosting;

/// <summary>GET /telemetry. <see cref="Id"/> (the host name) is left out for a caller scoped to some collections.</summary>
internal sealed record TelemetryDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    AppTelemetryDto App,
    CollectionsTelemetryDto Collections);

internal sealed record AppTelemetryDto(string Name, string Version, string Simd, double UptimeSeconds);

internal sealed record CollectionsTelemetryDto(int NumberOfCollections);

/// <summary>GET /cluster in standalone mode: {"status":"disabled"}.</summary>
internal sealed record ClusterStatusDto(string Status);
