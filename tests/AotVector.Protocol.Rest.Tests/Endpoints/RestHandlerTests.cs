using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class RestHandlerTests
{
    [Fact]
    public async Task Run_EngineThrows_500EnvelopeWithoutStackTrace()
    {
        var harness = new RestHarness();
        harness.Points.Throw = new InvalidOperationException("boom");
        var response = await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}");
        Assert.Equal(500, response.Status);
        Assert.Equal("Service internal error: boom", response.Error);
        Assert.DoesNotContain("   at ", response.Body);
    }

    [Fact]
    public async Task Run_AccessFeature_PassedToEngine()
    {
        var harness = new RestHarness();
        await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}", access: AccessContext.ReadOnly);
        Assert.Same(AccessContext.ReadOnly, harness.Points.LastAccess);
        await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}");
        Assert.Same(AccessContext.Full, harness.Points.LastAccess);
    }

    [Fact]
    public async Task Run_MalformedJson_400WithLineAndColumn()
    {
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, "{\"points\":\n [1,}");
        Assert.Equal(400, response.Status);
        Assert.StartsWith("Format error in JSON body: ", response.Error);
        Assert.EndsWith("at line 2 column 5", response.Error);
    }

    [Fact]
    public async Task Run_EmptyBodyWhereRequired_400()
    {
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, "");
        Assert.Equal(400, response.Status);
        Assert.Equal("Format error in JSON body: EOF while parsing a value at line 1 column 0", response.Error);
    }

    [Fact]
    public async Task Run_TooDeepJson_400()
    {
        var body = "{\"points\":[{\"id\":1,\"vector\":[1],\"payload\":" + new string('[', 200) + new string(']', 200) + "}]}";
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, body);
        Assert.Equal(400, response.Status);
        Assert.StartsWith("Format error in JSON body: ", response.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0x6b, 0xff, 0x22, 0x3a, 0x31, 0x7d }, "invalid unicode code point at line 1 column 4")]
    [InlineData(new byte[] { 0x7b, 0x0a, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d }, "invalid unicode code point at line 2 column 6")]
    public async Task Run_InvalidUtf8InAStringOrName_400(byte[] body, string problem)
    {
        var response = await new RestHarness().SendAsync(PointsReadEndpoints.CountAsync, bodyStream: new MemoryStream(body));
        Assert.Equal(400, response.Status);
        Assert.Equal("Format error in JSON body: " + problem, response.Error);
    }

    [Theory]
    [InlineData("""{"filter":{"must":[{"key":"\ud800","match":{"value":1}}]}}""", "column 27")]
    [InlineData("""{"\udc00x":1}""", "column 2")]
    [InlineData("""{"filter":{"must":[{"key":"a","match":{"value":"\udfff\ud800"}}]}}""", "column 48")]
    public async Task Run_LoneSurrogateEscape_400(string body, string column)
    {
        var response = await new RestHarness().SendAsync(PointsReadEndpoints.CountAsync, body);
        Assert.Equal(400, response.Status);
        Assert.Equal("Format error in JSON body: lone surrogate in hex escape at line 1 " + column, response.Error);
    }

    [Fact]
    public async Task Run_PairedSurrogateEscape_IsText()
    {
        var harness = new RestHarness();
        var response = await harness.SendAsync(PointsReadEndpoints.CountAsync, """{"filter":{"must":[{"key":"city","match":{"value":"\ud83d\ude00\u00e9"}}]}}""");
        Assert.True(response.Status == 200, response.Body);
    }

    [Fact]
    public async Task Run_BodyCutShort_400WithoutStackTrace()
    {
        var body = new ThrowingStream(new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest));
        var response = await new RestHarness().SendAsync(PointsReadEndpoints.CountAsync, bodyStream: body);
        Assert.Equal(400, response.Status);
        Assert.Equal("Bad request body: Unexpected end of request content", response.Error);
    }

    [Fact]
    public async Task Run_BodyOverKestrelsLimit_413()
    {
        var body = new ThrowingStream(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));
        var response = await new RestHarness().SendAsync(PointsReadEndpoints.CountAsync, bodyStream: body);
        Assert.Equal(413, response.Status);
        Assert.StartsWith("Payload too large: the request body exceeds max_request_size_mb", response.Error);
    }

    [Fact]
    public async Task Run_BodyTooSlow_408()
    {
        var body = new ThrowingStream(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.", StatusCodes.Status408RequestTimeout));
        var response = await new RestHarness().SendAsync(PointsReadEndpoints.CountAsync, bodyStream: body);
        Assert.Equal(408, response.Status);
        Assert.StartsWith("Timeout: the request body was not received: Reading the request body timed out", response.Error);
    }

    /// <summary>A request body whose reads fail the way Kestrel's do on a broken or oversized body.</summary>
    private sealed class ThrowingStream(Exception failure) : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw failure;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw failure;
    }
}
