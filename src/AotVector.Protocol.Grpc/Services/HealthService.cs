using AotVector.Protocol.Grpc.Health;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>Standard <c>grpc.health.v1.Health</c>: the process is serving whenever it can answer.</summary>
internal sealed class HealthService : Health.Health.HealthBase
{
    private static readonly HealthCheckResponse s_serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(s_serving);

    /// <summary>The status never changes while the process runs, so one message, then hold the stream until the client leaves.</summary>
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(s_serving).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away or the server is stopping: the normal end of a watch.
        }
    }
}
