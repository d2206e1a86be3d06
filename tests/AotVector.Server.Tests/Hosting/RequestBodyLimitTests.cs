using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using AotVector.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using GrpcBody = AotVector.Server.Hosting.RequestBodyLimit.GrpcBody;

namespace AotVector.Server.Tests.Hosting;

public sealed class RequestBodyLimitTests
{
    [Fact]
    public async Task GrpcBody_WaitsForTheEndAndConsumesNothing()
    {
        var pipe = new Pipe();
        var body = Message(3000, fill: 7);
        var buffering = RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1 << 20);

        // The body arrives in pieces; each read only waits for more.
        foreach (var chunk in body.Chunk(1000))
        {
            await pipe.Writer.WriteAsync(chunk);
            await Task.Delay(10);
            Assert.False(buffering.IsCompleted, "still waiting for the end of the body");
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal(GrpcBody.Complete, (await buffering.WaitAsync(TimeSpan.FromSeconds(10))).Body);

        // The reader that comes next (gRPC) gets the whole body at once.
        var result = await pipe.Reader.ReadAsync();
        Assert.True(result.IsCompleted);
        Assert.Equal(body, result.Buffer.ToArray());
    }

    [Fact]
    public async Task GrpcBody_StopsAtAPrefixOverTheLimit_WithoutWaitingForTheRest()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Message(5000, fill: 1).AsMemory(0, 100));

        var (body, _) = await RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GrpcBody.TooLarge, body);
    }

    [Fact]
    public async Task GrpcBody_StopsWhenTheBytesPassTheLimit_WhateverThePrefixSays()
    {
        // A small announced message followed by a stream of bytes: the running count ends it, not the prefix.
        var pipe = new Pipe();
        var buffering = RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1000);
        await pipe.Writer.WriteAsync(Message(16, fill: 0));
        for (var i = 0; i < 10 && !buffering.IsCompleted; i++)
        {
            await pipe.Writer.WriteAsync(new byte[200]);
            await Task.Delay(5);
        }

        Assert.Equal(GrpcBody.TooLarge, (await buffering.WaitAsync(TimeSpan.FromSeconds(10))).Body);
    }

    [Theory]
    [InlineData(0, 0, "Incomplete message")]
    [InlineData(3, 0, "Incomplete message")]
    [InlineData(5 + 9, 10, "Incomplete message")]
    [InlineData(5 + 11, 10, "Additional data")]
    public async Task GrpcBody_NotExactlyOneMessage_IsMalformed(int length, int announced, string problem)
    {
        var bytes = new byte[length];
        if (length >= 5)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)announced);
        }

        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        var (body, message) = await RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GrpcBody.Malformed, body);
        Assert.StartsWith(problem, message);
    }

    [Fact]
    public async Task GrpcBody_ACompressedFlagOtherThan0Or1_IsMalformed_WithoutWaitingForTheRest()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 2, 0, 0, 0, 100, 1, 2 });
        var (body, problem) = await RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GrpcBody.Malformed, body);
        Assert.Equal("invalid gRPC message prefix: compressed flag 2, expected 0 or 1", problem);
    }

    [Fact]
    public async Task GrpcBody_AFailedRead_IsUnreadable()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0 });
        await pipe.Writer.CompleteAsync(new IOException("stream reset"));

        var (body, problem) = await RequestBodyLimit.BufferGrpcBodyAsync(pipe.Reader, maxMessageBytes: 1000).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GrpcBody.Unreadable, body);
        Assert.Equal("stream reset", problem);
    }

    [Fact]
    public async Task Rest_DeclaredLengthOverTheLimit_Is413_WithoutReadingTheBody()
    {
        var context = Context(grpc: false, contentLength: 2_000_000_000);
        var reached = false;
        await new RequestBodyLimit(_ => { reached = true; return Task.CompletedTask; }, 1024 * 1024, null, NullLogger.Instance).InvokeAsync(context);

        Assert.False(reached);
        Assert.Equal(413, context.Response.StatusCode);
        Assert.Equal("""{"status":{"error":"Payload too large: the request body exceeds max_request_size_mb (1 MB)"},"time":0.0}""", Body(context));
    }

    [Fact]
    public async Task GrpcContentTypeOverHttp1_IsHeldToTheRestRule()
    {
        var context = Context(grpc: false, contentLength: 2_000_000_000);
        context.Request.ContentType = "application/grpc";
        await new RequestBodyLimit(_ => Task.CompletedTask, 1024 * 1024, null, NullLogger.Instance).InvokeAsync(context);
        Assert.Equal(413, context.Response.StatusCode);
    }

    [Fact]
    public async Task Grpc_DeclaredLengthOverTheLimit_IsResourceExhausted_WithoutReadingTheBody()
    {
        var context = Context(grpc: true, contentLength: 1024 * 1024 + 6);
        var reached = false;
        await new RequestBodyLimit(_ => { reached = true; return Task.CompletedTask; }, 1024 * 1024, null, NullLogger.Instance).InvokeAsync(context);

        Assert.False(reached);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("8", context.Response.Headers["grpc-status"].ToString());
        Assert.StartsWith("Payload too large", context.Response.Headers["grpc-message"].ToString());
    }

    private static DefaultHttpContext Context(bool grpc, long contentLength)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.Request.Body = new ThrowingStream();
        context.Request.ContentLength = contentLength;
        context.Request.Method = "POST";
        if (grpc)
        {
            context.Request.ContentType = "application/grpc";
            context.Request.Protocol = "HTTP/2";
        }
        else
        {
            context.Request.ContentType = "application/json";
            context.Request.Protocol = "HTTP/1.1";
        }

        return context;
    }

    private static string Body(HttpContext context) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static byte[] Message(int payloadBytes, byte fill)
    {
        var message = new byte[5 + payloadBytes];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)payloadBytes);
        message.AsSpan(5).Fill(fill);
        return message;
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("body read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("body read");
    }
}
