namespace AotVector.Server.Hosting;

/// <summary>GET /cluster in standalone mode: {"status":"disabled"}.</summary>
internal sealed record ClusterStatusDto(string Status);
