using AotVector.Engine.Api;
using Microsoft.Extensions.Hosting;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// What the gRPC health checks report, the same as REST's /readyz: serving once every stored collection is loaded
/// or reported broken, and no longer once the server is stopping. The reference opens its gRPC port only after
/// loading, so a client of it never sees a server that is still loading; here the port opens first and says so.
/// Either service may be absent (unit tests): then that part counts as ready.
/// </summary>
internal sealed class Readiness(IStorageStatus? storage, IHostApplicationLifetime? lifetime)
{
    public static readonly Readiness Always = new(null, null);

    public bool Stopping => lifetime?.ApplicationStopping.IsCancellationRequested == true;

    /// <summary>Null when ready; otherwise why not, in words.</summary>
    public string? NotReadyReason()
    {
        if (Stopping)
        {
            return "the server is stopping";
        }

        return storage?.Status is { Loaded: false } status ? $"loading collections: {status.Pending} to go" : null;
    }

    /// <summary>Completes once loading has ended (at once when it has).</summary>
    public Task Loaded => storage?.Loaded ?? Task.CompletedTask;

    public CancellationToken StoppingToken => lifetime?.ApplicationStopping ?? CancellationToken.None;
}
