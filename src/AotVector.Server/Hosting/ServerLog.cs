using Microsoft.Extensions.Logging;

namespace AotVector.Server.Hosting;

/// <summary>Source-generated server log events with stable ids (100-199).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "AotVector {Version} starting; SIMD: {Simd}; {Cores} cores")]
    public static partial void Starting(ILogger logger, string version, string simd, int cores);

    [LoggerMessage(101, LogLevel.Information, "REST listening on http://{Host}:{Port}")]
    public static partial void RestListening(ILogger logger, string host, int port);

    [LoggerMessage(102, LogLevel.Information, "gRPC listening on http://{Host}:{Port}")]
    public static partial void GrpcListening(ILogger logger, string host, int port);

    [LoggerMessage(103, LogLevel.Warning, "Configuration: {Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(104, LogLevel.Information, "Storage at {Path}: {Collections} collections, {Points} points loaded")]
    public static partial void StorageLoaded(ILogger logger, string path, int collections, ulong points);

    [LoggerMessage(105, LogLevel.Information, "Shutting down: flushing collections")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(106, LogLevel.Information, "gRPC disabled (service.grpc_port is null)")]
    public static partial void GrpcDisabled(ILogger logger);

    [LoggerMessage(107, LogLevel.Information, "HTTP/2 scheduling: inline (short reads from one-at-a-time clients run on the socket thread)")]
    public static partial void InlineHttp2Scheduling(ILogger logger);

    [LoggerMessage(108, LogLevel.Warning, "HTTP/2 scheduling: thread pool (this Kestrel version has no inline scheduler to select; every HTTP/2 request is handed over)")]
    public static partial void PoolHttp2Scheduling(ILogger logger);

    [LoggerMessage(120, LogLevel.Warning, "{Method} {Path}: request body not read to the end ({Reason}); the request was dropped")]
    public static partial void BodyReadFailed(ILogger logger, string method, string path, string reason);

    [LoggerMessage(121, LogLevel.Debug, "{Method} {Path}: the client went away while sending the request body")]
    public static partial void BodyAborted(ILogger logger, string method, string path);
}
