using System.Text;
using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>GET / (raw version object, read by the JS client's constructor check) and the plain-text probes.</summary>
internal static class ServiceEndpoints
{
    /// <summary>We report Qdrant's version so clients' compatibility checks pass; no extra fields.</summary>
    public const string QdrantVersion = "1.19.0";

    private static readonly byte[] s_rootBody =
        JsonSerializer.SerializeToUtf8Bytes(new VersionInfoDto("qdrant - vector search engine", QdrantVersion), RestJsonContext.Default.VersionInfoDto);

    public static Task RootAsync(RestCall call) => ResponseWriter.WriteRawJsonAsync(call.Context, s_rootBody);

    public static Task HealthzAsync(RestCall call) => ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status200OK, "healthz check passed");

    /// <summary>
    /// Ready once the host has started (Kestrel opens its listeners one after another and serves each as soon as it
    /// is bound, so this port can answer before the gRPC port accepts connections) and every stored collection is
    /// loaded or reported broken. A broken collection does not hold readiness back (every other one serves); it is
    /// named in the answer, which Kubernetes ignores and an operator reads.
    /// </summary>
    public static Task ReadyzAsync(RestCall call)
    {
        if (call.Context.RequestServices.GetService<IHostApplicationLifetime>() is { ApplicationStarted.IsCancellationRequested: false })
        {
            return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status503ServiceUnavailable, "the server is starting");
        }

        if (call.Context.RequestServices.GetService<IClusterReadiness>()?.NotReadyReason is { } notJoined)
        {
            return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status503ServiceUnavailable, notJoined);
        }

        if (call.Context.RequestServices.GetService<IStorageStatus>()?.Status is not { } status)
        {
            return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status200OK, "all shards are ready");
        }

        if (!status.Loaded)
        {
            return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status503ServiceUnavailable, $"loading collections: {status.Pending} to go");
        }

        if (status.Broken.Count == 0)
        {
            return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status200OK, "all shards are ready");
        }

        var detail = new StringBuilder("all shards are ready except the collections that could not be loaded:");
        foreach (var broken in status.Broken)
        {
            detail.Append('\n').Append(broken.Name).Append(": ").Append(broken.Reason);
        }

        return ResponseWriter.WriteTextAsync(call.Context, StatusCodes.Status200OK, detail.ToString());
    }
}
