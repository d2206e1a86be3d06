using AotVector.Protocol.Grpc.Health;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// Standard <c>grpc.health.v1.Health</c>, for any service name (as the reference): SERVING when the server is ready
/// (see <see cref="Readiness"/>), NOT_SERVING while collections load at startup and once it is stopping.
/// </summary>
internal sealed class HealthService(Readiness readiness) : Health.Health.HealthBase
{
    private static readonly HealthCheckResponse s_serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };
    private static readonly HealthCheckResponse s_notServing = new() { Status = HealthCheckResponse.Types.ServingStatus.NotServing };

    public HealthService()
        : this(Readiness.Always)
    {
    }

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(Current());

    /// <summary>The status now, then SERVING once loading ends, until the client leaves or the server stops.</summary>
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var sent = Current();
        await responseStream.WriteAsync(sent).ConfigureAwait(false);
        try
        {
            using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, readiness.StoppingToken);
            if (sent == s_notServing && !readiness.Stopping)
            {
                await readiness.Loaded.WaitAsync(ends.Token).ConfigureAwait(false);
                sent = Current();
                await responseStream.WriteAsync(sent).ConfigureAwait(false);
            }

            await Task.Delay(Timeout.Infinite, ends.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away or the server is stopping: the normal end of a watch.
        }
    }

    private HealthCheckResponse Current() => readiness.NotReadyReason() is null ? s_serving : s_notServing;
}
