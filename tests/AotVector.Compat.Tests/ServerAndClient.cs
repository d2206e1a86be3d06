using AotVector.Testing;
using Qdrant.Client;

namespace AotVector.Compat.Tests;

/// <summary>One published server and an official client on its gRPC port, per test.</summary>
public abstract class ServerAndClient : IAsyncLifetime
{
    protected ServerProcess Server { get; private set; } = null!;

    protected QdrantClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync();
        Client = new QdrantClient("127.0.0.1", Server.GrpcPort);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
