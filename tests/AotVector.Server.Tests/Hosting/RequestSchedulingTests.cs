using System.Buffers;
using System.IO.Pipelines;
using AotVector.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AotVector.Server.Tests.Hosting;

public sealed class RequestSchedulingTests
{
    [Theory]
    [InlineData("/qdrant.Points/Query", true)]
    [InlineData("/qdrant.Points/Search", true)]
    [InlineData("/qdrant.Points/Get", true)]
    [InlineData("/qdrant.Points/Upsert", false)]
    [InlineData("/qdrant.Points/QueryBatch", false)]
    [InlineData("/qdrant.Points/Scroll", false)]
    [InlineData("/qdrant.Collections/Create", false)]
    [InlineData("/collections/c/points/query", false)]
    [InlineData(null, false)]
    public void OnlySingleQueryReadsAreShort(string? path, bool expected) =>
        Assert.Equal(expected, RequestScheduling.IsShortGrpcRead(path));

    [Theory]
    [InlineData("POST", "/collections/c/points/search", true)]
    [InlineData("POST", "/collections/my-coll/points/query", true)]
    [InlineData("POST", "/collections/c/points/recommend", true)]
    [InlineData("POST", "/collections/c/points/count", true)]
    [InlineData("POST", "/collections/c/points/search/batch", false)]
    [InlineData("POST", "/collections/c/points/query/groups", false)]
    [InlineData("POST", "/collections/c/points/scroll", false)]
    [InlineData("PUT", "/collections/c/points", false)]
    [InlineData("GET", "/collections/c/points/search", false)]
    [InlineData("POST", "/collections//points/search", false)]
    [InlineData("POST", "/collections/c/x/points/search", false)]
    [InlineData("POST", "/qdrant.Points/Query", false)]
    public void OnlySingleRestReadsAreShort(string method, string path, bool expected) =>
        Assert.Equal(expected, RequestScheduling.IsShortRestRead(method, path));

    [Fact]
    public async Task BufferBody_WaitsForTheEndAndConsumesNothing()
    {
        var pipe = new Pipe();
        var body = Message(3000, fill: 7);
        var buffering = RequestScheduling.BufferBodyAsync(pipe.Reader, maxMessageBytes: 1 << 20);

        // The body arrives in pieces; each read only waits for more.
        foreach (var chunk in body.Chunk(1000))
        {
            await pipe.Writer.WriteAsync(chunk);
            await Task.Delay(10);
            Assert.False(buffering.IsCompleted, "still waiting for the end of the body");
        }

        await pipe.Writer.CompleteAsync();
        await buffering.WaitAsync(TimeSpan.FromSeconds(10));

        // The reader that comes next (gRPC) gets the whole body at once.
        var result = await pipe.Reader.ReadAsync();
        Assert.True(result.IsCompleted);
        Assert.Equal(body, result.Buffer.ToArray());
    }

    [Fact]
    public async Task BufferBody_StopsAtAPrefixOverTheLimit()
    {
        var pipe = new Pipe();
        var body = Message(5000, fill: 1);
        await pipe.Writer.WriteAsync(body.AsMemory(0, 100));

        // 5,000 announced, 1,000 allowed: no waiting for the rest, gRPC reads the prefix and refuses.
        await RequestScheduling.BufferBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        await pipe.Writer.WriteAsync(body.AsMemory(100));
        var result = await pipe.Reader.ReadAsync();
        Assert.Equal(body, result.Buffer.ToArray());
    }

    [Fact]
    public async Task BufferBody_LeavesAFailedReadToTheNextReader()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0 });
        await pipe.Writer.CompleteAsync(new IOException("stream reset"));

        await RequestScheduling.BufferBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<IOException>(async () => await pipe.Reader.ReadAsync());
    }

    [Fact]
    public void KestrelScheduling_SelectsInlineOnThisKestrel_AndLeavesOtherServersAlone()
    {
        // Fails when an ASP.NET Core update renames the internal member: the server would then log a warning and
        // hand every HTTP/2 request over, which is correct but slower.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore();
        using var app = builder.Build();
        Assert.True(KestrelScheduling.TryUseInline(app.Services.GetRequiredService<IServer>()));
        Assert.False(KestrelScheduling.TryUseInline(new NotKestrel()));
    }

    private static byte[] Message(int payloadBytes, byte fill)
    {
        var message = new byte[5 + payloadBytes];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)payloadBytes);
        message.AsSpan(5).Fill(fill);
        return message;
    }

    private sealed class NotKestrel : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
