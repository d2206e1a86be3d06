using AotVector.Common.Threading;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// Runs every unary call on the thread pool: the request message may have been read to its end on the socket
/// thread, which must not carry a search or a WAL fsync (see <see cref="IoThread"/>).
/// </summary>
internal sealed class LeaveIoThreadInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await IoThread.LeaveAsync();
        return await continuation(request, context).ConfigureAwait(false);
    }
}
