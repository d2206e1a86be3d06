using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// One debug line per refused request message, without a stack trace: anyone who can reach the port can send
/// malformed messages, so each must cost the log little.
/// </summary>
internal static partial class RequestDecodeLog
{
    public const string Category = "AotVector.Protocol.Grpc";

    [LoggerMessage(301, LogLevel.Debug, "gRPC {Method}: request message of {Length} bytes refused: {Reason}")]
    public static partial void Refused(ILogger logger, string method, int length, string reason);

    [LoggerMessage(303, LogLevel.Debug, "gRPC request message refused: {Reason}")]
    public static partial void RefusedCompressed(ILogger logger, string reason);
}
