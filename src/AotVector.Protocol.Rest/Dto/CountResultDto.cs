namespace AotVector.Protocol.Rest.Dto;

/// <summary>POST /points/count: {"count":N}.</summary>
internal readonly record struct CountResultDto(ulong Count);
