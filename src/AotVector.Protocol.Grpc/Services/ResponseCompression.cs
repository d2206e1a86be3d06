using Google.Protobuf;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// Sends small read responses uncompressed even when the client accepts gzip. A typical search answer
/// (ten ids and scores) is a few hundred bytes that gzip barely shrinks, but every compressed message
/// costs a fresh deflate state (a few hundred KB allocated and zeroed). The per-message compressed flag
/// is standard gRPC, so clients that asked for gzip read both forms; large answers stay gzipped.
/// </summary>
internal static class ResponseCompression
{
    /// <summary>Serialized size below which a response goes out uncompressed.</summary>
    public const int MinCompressedBytes = 4096;

    private static readonly WriteOptions s_uncompressed = new(WriteFlags.NoCompress);

    public static T SkipWhenSmall<T>(T response, ServerCallContext context)
        where T : IMessage
    {
        if (response.CalculateSize() < MinCompressedBytes)
        {
            context.WriteOptions = s_uncompressed;
        }

        return response;
    }
}
