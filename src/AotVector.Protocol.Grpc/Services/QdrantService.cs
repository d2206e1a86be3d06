using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary><c>qdrant.Qdrant/HealthCheck</c>: the same title and version as REST <c>GET /</c>; no auth needed.</summary>
internal sealed class QdrantService : Qdrant.Client.Grpc.Qdrant.QdrantBase
{
    public const string Title = "qdrant - vector search engine";
    public const string Version = "1.19.0";

    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckReply { Title = Title, Version = Version });
}
