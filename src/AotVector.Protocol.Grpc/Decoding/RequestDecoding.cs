using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// Request messages that cannot be decoded are the caller's fault: the call ends with INVALID_ARGUMENT naming the
/// problem and one debug line, not with UNKNOWN and an error-level stack trace (which is what gRPC does with any
/// exception a deserializer throws). The reference answers such messages with "failed to decode Protobuf message".
/// </summary>
internal static class RequestDecoding
{
    public const string Prefix = "failed to decode Protobuf message: ";

    /// <summary>The same method with a request marshaller whose failures are statuses.</summary>
    public static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method, ILogger logger)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var fullName = method.FullName;
        var requests = new Marshaller<TRequest>(inner.ContextualSerializer, context => Decode(inner, context, fullName, logger));
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
    }

    private static T Decode<T>(Marshaller<T> inner, DeserializationContext context, string method, ILogger logger)
    {
        try
        {
            return inner.ContextualDeserializer(context);
        }
        catch (Exception e)
        {
            // The whole message is in memory, so whatever the parser throws is about its bytes.
            var reason = Reason(e);
            RequestDecodeLog.Refused(logger, method, context.PayloadLength, reason);
            throw new RpcException(new Status(StatusCode.InvalidArgument, Prefix + reason));
        }
    }

    /// <summary>The parser's own words, on one line; invalid UTF-8 said plainly.</summary>
    internal static string Reason(Exception e) => e switch
    {
        DecoderFallbackException or { InnerException: DecoderFallbackException } => "a string field is not valid UTF-8",
        _ => OneLine(e.Message),
    };

    private static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
