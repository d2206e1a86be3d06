using System.Net;
using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Grpc.P2p;
using AotVector.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Tests.P2p;

/// <summary>
/// One peer for the p2p tests: a real engine in its own temp directory holding collection <see cref="Collection"/>
/// (a dense and a sparse vector, seeded points), and the p2p services on Kestrel at a random loopback port (h2c).
/// </summary>
internal sealed class PeerHost : IAsyncDisposable
{
    public const string Collection = "c";
    public const int Dim = 4;

    private readonly TempDirectory _dir = new("p2p");
    private WebApplication? _app;

    private PeerHost()
    {
        Engine = VectorEngine.Open(EngineOptions.Defaults(_dir.Combine("storage")) with { MinFreeSpaceMb = 0, SnapshotsPath = _dir.Combine("snapshots") });
    }

    public VectorEngine Engine { get; }

    public Uri Address { get; private set; } = null!;

    /// <summary>A peer whose collection holds <paramref name="points"/> seeded points (payload n = index, tag = even/odd).</summary>
    public static async Task<PeerHost> StartAsync(int points)
    {
        var host = new PeerHost();
        var create = new CreateCollectionRequest(Collection, new VectorsConfig(null, new Dictionary<string, VectorParams> { ["dense"] = new(Dim, Distance.Cosine) }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["text"] = new() },
        };
        Assert.True((await host.Engine.CreateAsync(AccessContext.Full, create, default)).IsOk);
        if (points > 0)
        {
            Assert.True((await host.Engine.UpdateAsync(AccessContext.Full, Collection, new UpsertPoints(Points(0, points)), new WriteOptions(true), default)).IsOk);
            Assert.True((await host.Engine.UpdateAsync(AccessContext.Full, Collection, new CreateFieldIndex("n", PayloadSchemaType.Integer), new WriteOptions(true), default)).IsOk);
        }

        await host.ServeAsync();
        return host;
    }

    /// <summary>Seeded points <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1.</summary>
    public static PointStruct[] Points(int from, int count)
    {
        var dense = SeededRandom.Vectors(17 + from, count, Dim);
        var rng = new Random(5 + from);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var n = from + i;
            var vectors = new Dictionary<string, VectorData> { ["dense"] = dense[i] };
            if (n % 3 != 0)
            {
                // Distinct ascending dimensions drawn from a small range, so documents share terms.
                var dims = Enumerable.Range(0, 20).OrderBy(_ => rng.Next()).Take(4).Order().Select(d => (uint)d).ToArray();
                vectors["text"] = new SparseVector(dims, [.. dims.Select(_ => (float)rng.NextDouble() + 0.1f)]);
            }

            return new PointStruct((ulong)n, vectors, new Payload { ["n"] = PayloadValue.FromInteger(n), ["tag"] = PayloadValue.FromString(n % 2 == 0 ? "even" : "odd") });
        })];
    }

    public async Task ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<ILocalShards>(Engine);
        builder.Services.AddPeerServices();
        var app = builder.Build();
        app.MapPeerServices();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address);
        _app = app;
    }

    /// <summary>Stops serving (the peer goes away); the engine stays open.</summary>
    public async Task StopServingAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopServingAsync();
        Engine.Dispose();
        _dir.Dispose();
    }
}
