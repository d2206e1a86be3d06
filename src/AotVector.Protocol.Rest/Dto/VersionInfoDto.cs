namespace AotVector.Protocol.Rest.Dto;

/// <summary>GET /: {"title":"qdrant - vector search engine","version":"…"}, outside the envelope.</summary>
internal sealed record VersionInfoDto(string Title, string Version);
