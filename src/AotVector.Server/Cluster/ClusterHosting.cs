using AotVector.Engine;
using AotVector.Engine.Api;

namespace AotVector.Server.Cluster;

/// <summary>What cluster mode adds to the public app: its services and its endpoints (nothing standalone).</summary>
internal static class ClusterHosting
{
    public static void Register(IServiceCollection services, ConsensusNode? node)
    {
        if (node is null)
        {
            return;
        }

        services.AddSingleton(node);
        services.AddSingleton<IClusterReadiness>(node);
        // Registered last, so it is the one resolved: collection management and payload index changes go through consensus.
        services.AddSingleton<ICollectionsApi>(sp => new ClusteredCollectionsApi(sp.GetRequiredService<VectorEngine>(), node));
        services.AddSingleton<IPointsApi>(sp => new ClusteredPointsApi(sp.GetRequiredService<VectorEngine>(), node));
    }

    public static void Map(WebApplication app, ConsensusNode? node)
    {
        if (node is not null)
        {
            ClusterEndpoints.Map(app, node);
        }
    }
}
