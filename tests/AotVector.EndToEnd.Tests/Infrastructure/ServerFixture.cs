namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>One server shared by the tests of a class (each test uses its own collection names).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("fixture not initialized");

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
