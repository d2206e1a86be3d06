using System.Buffers;
using System.IO.Pipelines;
using AotVector.Protocol.Grpc.Decoding;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Protocol.Grpc.Tests.Decoding;

public sealed class MessagePrefixReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 8, 1 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0x7f, 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[0])]
    public async Task A_well_formed_or_short_prefix_reads_unchanged(byte[] body)
    {
        var reader = await ReaderOverAsync(body);

        var result = await reader.ReadAsync();

        Assert.Equal(body, result.Buffer.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0, 0, 0 }, StatusCode.InvalidArgument, "compressed flag 2")]
    [InlineData(new byte[] { 0xff }, StatusCode.InvalidArgument, "compressed flag 255")]
    [InlineData(new byte[] { 0, 0x80, 0, 0, 0 }, StatusCode.ResourceExhausted, "exceeds the maximum")]
    [InlineData(new byte[] { 1, 0xff, 0xff, 0xff, 0xff, 1, 2 }, StatusCode.ResourceExhausted, "exceeds the maximum")]
    public async Task A_bad_prefix_is_a_status(byte[] body, StatusCode status, string text)
    {
        var reader = await ReaderOverAsync(body);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());

        Assert.Equal(status, e.StatusCode);
        Assert.Contains(text, e.Status.Detail);
    }

    [Fact]
    public async Task The_prefix_is_checked_once_it_has_arrived_in_pieces()
    {
        var pipe = new Pipe();
        var reader = Wrap(pipe.Reader);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0x80 });

        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0 });

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync());
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    private static async Task<PipeReader> ReaderOverAsync(byte[] body)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(body);
        await pipe.Writer.CompleteAsync();
        return Wrap(pipe.Reader);
    }

    /// <summary>The reader the wrapped endpoint installs, as the handler sees it.</summary>
    private static PipeReader Wrap(PipeReader body)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IRequestBodyPipeFeature>(new BodyFeature(body));
        PipeReader? seen = null;
        MessagePrefixReader.Wrap(c => { seen = c.Request.BodyReader; return Task.CompletedTask; }, "/test.Service/Method", NullLogger.Instance)(context);
        Assert.IsType<MessagePrefixReader>(seen);
        return seen!;
    }

    private sealed class BodyFeature(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }
}
