using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>One peer of a test cluster: a server process with its own p2p port.</summary>
internal sealed class ClusterPeer : IAsyncDisposable
{
    private ClusterPeer(ServerProcess server, int p2pPort, string scheme)
    {
        Server = server;
        P2pPort = p2pPort;
        Uri = $"{scheme}://127.0.0.1:{p2pPort}/";
    }

    public ServerProcess Server { get; }

    public int P2pPort { get; }

    /// <summary>The p2p URI, as the cluster stores it.</summary>
    public string Uri { get; }

    public HttpClient Http => Server.Http;

    /// <summary>Prepares a peer: cluster mode on, fast ticks; <paramref name="configure"/> may add TLS files and settings.</summary>
    public static ClusterPeer Create(string? bootstrap, bool tls = false, Action<ServerProcess, ServerOptions>? configure = null)
    {
        var p2p = ServerProcess.FreePort();
        var options = new ServerOptions()
            .WithEnv("QDRANT__CLUSTER__ENABLED", "true")
            .WithEnv("QDRANT__CLUSTER__P2P__PORT", p2p.ToString(CultureInfo.InvariantCulture))
            .WithEnv("QDRANT__CLUSTER__CONSENSUS__TICK_PERIOD_MS", "50")
            .WithEnv("QDRANT__CLUSTER__CONSENSUS__BOOTSTRAP_TIMEOUT_SEC", "20");
        var server = ServerProcess.Create(options);
        var peer = new ClusterPeer(server, p2p, tls ? "https" : "http");
        options.WithArgs("--uri", peer.Uri);
        if (bootstrap is not null)
        {
            options.WithArgs("--bootstrap", bootstrap);
        }

        configure?.Invoke(server, options);
        return peer;
    }

    public async Task<JsonElement> ClusterAsync()
    {
        using var response = await Http.GetAsync("/cluster");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /cluster: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("result").Clone();
    }

    /// <summary>GET /cluster, or null while the peer does not answer.</summary>
    public async Task<JsonElement?> TryClusterAsync()
    {
        try
        {
            return await ClusterAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public async Task<HttpResponseMessage> CreateCollectionAsync(string name) =>
        await Http.PutAsJsonAsync($"/collections/{name}", new { vectors = new { size = 4, distance = "Dot" } });

    /// <summary>
    /// Whether this peer has the collection (<c>/exists</c>: collection info would also need every shard to have a
    /// replica that answers, and fails naming the shard when one has none).
    /// </summary>
    public async Task<bool> HasCollectionAsync(string name)
    {
        try
        {
            using var response = await Http.GetAsync($"/collections/{name}/exists");
            return response.StatusCode == HttpStatusCode.OK
                && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("exists").GetBoolean();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
