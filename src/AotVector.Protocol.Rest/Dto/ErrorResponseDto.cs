namespace AotVector.Protocol.Rest.Dto;

/// <summary>A failure: {"status":{"error":"…"},"time":s}, with no "result" (api.md §1.2).</summary>
internal sealed record ErrorResponseDto(ErrorStatusDto Status, double Time);

internal sealed record ErrorStatusDto(string Error);
