using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Errors;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Errors;

public sealed class HttpStatusMappingTests
{
    public static TheoryData<ErrorKind, int> Kinds => new()
    {
        { ErrorKind.BadRequest, 400 },
        { ErrorKind.Validation, 422 },
        { ErrorKind.NotFound, 404 },
        { ErrorKind.AlreadyExists, 409 },
        { ErrorKind.Unauthorized, 401 },
        { ErrorKind.Forbidden, 403 },
        { ErrorKind.PreconditionFailed, 412 },
        { ErrorKind.Timeout, 408 },
        { ErrorKind.Cancelled, 499 },
        { ErrorKind.RateLimited, 429 },
        { ErrorKind.PayloadTooLarge, 413 },
        { ErrorKind.Unavailable, 503 },
        { ErrorKind.InsufficientStorage, 507 },
        { ErrorKind.DataLoss, 500 },
        { ErrorKind.Internal, 500 },
        { ErrorKind.Unimplemented, 405 },
    };

    [Fact]
    public void Kinds_CoverEveryErrorKind() => Assert.Equal(Enum.GetValues<ErrorKind>().Length, Kinds.Count);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToStatusCode_EveryKind(ErrorKind kind, int status) => Assert.Equal(status, HttpStatusMapping.ToStatusCode(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ErrorEnvelope_EveryKind_StatusAndBody(ErrorKind kind, int status)
    {
        var harness = new RestHarness();
        harness.Collections.Error = new AvError(kind, "message for " + kind);
        var response = await harness.SendAsync(CollectionsEndpoints.GetAsync);
        Assert.Equal(status, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("message for " + kind, response.Error);
        Assert.False(response.Json.TryGetProperty("result", out _));
        Assert.True(response.Json.GetProperty("time").GetDouble() >= 0);
    }

    [Fact]
    public async Task RateLimited_SetsRetryAfterRoundedUp()
    {
        var harness = new RestHarness();
        harness.Collections.Error = new AvError(ErrorKind.RateLimited, "slow down", TimeSpan.FromSeconds(2.2));
        var response = await harness.SendAsync(CollectionsEndpoints.GetAsync);
        Assert.Equal(429, response.Status);
        Assert.Equal("3", response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void RetryAfterSeconds_AtLeastOne()
    {
        Assert.Equal(1, HttpStatusMapping.RetryAfterSeconds(null));
        Assert.Equal(1, HttpStatusMapping.RetryAfterSeconds(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(5, HttpStatusMapping.RetryAfterSeconds(TimeSpan.FromSeconds(5)));
    }
}
