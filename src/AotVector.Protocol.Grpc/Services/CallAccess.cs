using AotVector.Engine.Api;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>The caller's rights, put on the HTTP context by the server's security layer.</summary>
internal static class CallAccess
{
    /// <summary>No security layer (or no credentials configured) means full access, as in Qdrant without an API key.</summary>
    public static AccessContext Of(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<AccessContext>() ?? AccessContext.Full;
}
