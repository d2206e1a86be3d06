using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// <c>qdrant.Qdrant/HealthCheck</c>: the same title and version as REST <c>GET /</c>; no auth needed. While collections
/// load at startup it answers UNAVAILABLE with the progress, which is what a client of the reference sees then (its
/// gRPC port opens after loading), so clients that check health before their first call wait as they would there.
/// </summary>
internal sealed class QdrantService(Readiness readiness) : Qdrant.Client.Grpc.Qdrant.QdrantBase
{
    public const string Title = "qdrant - vector search engine";
    public const string Version = "1.19.0";

    public QdrantService()
        : this(Readiness.Always)
    {
    }

    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context)
    {
        if (readiness.NotReadyReason() is { } reason)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, reason));
        }

        return Task.FromResult(new HealthCheckReply { Title = Title, Version = Version });
    }
}
