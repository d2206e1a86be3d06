using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>The data-plane gRPC services peers call on each other's p2p port (none yet).</summary>
public static class PeerServices
{
    /// <summary>Maps the internal services on the p2p listener, which the cluster host calls once.</summary>
    public static IEndpointRouteBuilder MapPeerServices(this IEndpointRouteBuilder endpoints) => endpoints;
}
