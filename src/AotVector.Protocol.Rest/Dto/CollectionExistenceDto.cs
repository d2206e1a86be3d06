namespace AotVector.Protocol.Rest.Dto;

/// <summary>GET /collections/{name}/exists: {"exists":true}.</summary>
internal readonly record struct CollectionExistenceDto(bool Exists);
