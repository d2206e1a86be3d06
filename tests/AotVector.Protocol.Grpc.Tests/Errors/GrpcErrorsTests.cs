using AotVector.Common.Errors;
using AotVector.Protocol.Grpc.Errors;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Tests.Errors;

public sealed class GrpcErrorsTests
{
    [Theory]
    [InlineData(ErrorKind.BadRequest, StatusCode.InvalidArgument)]
    [InlineData(ErrorKind.Validation, StatusCode.InvalidArgument)]
    [InlineData(ErrorKind.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorKind.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(ErrorKind.Unauthorized, StatusCode.Unauthenticated)]
    [InlineData(ErrorKind.Forbidden, StatusCode.PermissionDenied)]
    [InlineData(ErrorKind.PreconditionFailed, StatusCode.FailedPrecondition)]
    [InlineData(ErrorKind.Timeout, StatusCode.DeadlineExceeded)]
    [InlineData(ErrorKind.Cancelled, StatusCode.Cancelled)]
    [InlineData(ErrorKind.RateLimited, StatusCode.ResourceExhausted)]
    [InlineData(ErrorKind.PayloadTooLarge, StatusCode.ResourceExhausted)]
    [InlineData(ErrorKind.Unavailable, StatusCode.Unavailable)]
    [InlineData(ErrorKind.InsufficientStorage, StatusCode.ResourceExhausted)]
    [InlineData(ErrorKind.DataLoss, StatusCode.DataLoss)]
    [InlineData(ErrorKind.Internal, StatusCode.Internal)]
    [InlineData(ErrorKind.Unimplemented, StatusCode.Unimplemented)]
    public void ToStatusCode_EveryKind_MapsAsQdrant(ErrorKind kind, StatusCode expected)
    {
        Assert.Equal(expected, GrpcErrors.ToStatusCode(kind));
    }

    [Fact]
    public void ToStatusCode_CoversEveryDeclaredKind()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            Assert.NotEqual(StatusCode.OK, GrpcErrors.ToStatusCode(kind));
        }
    }

    [Fact]
    public void ToRpcException_KeepsMessageUnchanged()
    {
        var error = AvError.CollectionNotFound("books");

        var exception = GrpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.NotFound, exception.StatusCode);
        Assert.Equal("Not found: Collection `books` doesn't exist!", exception.Status.Detail);
        Assert.Empty(exception.Trailers);
    }

    [Fact]
    public void ToRpcException_RateLimited_AddsRetryAfterSeconds()
    {
        var error = new AvError(ErrorKind.RateLimited, "Rate limiting exceeded", TimeSpan.FromMilliseconds(1500));

        var exception = GrpcErrors.ToRpcException(error);

        Assert.Equal(StatusCode.ResourceExhausted, exception.StatusCode);
        Assert.Equal("2", exception.Trailers.GetValue("retry-after"));
    }

    [Fact]
    public void Unwrap_Error_ThrowsMappedStatus()
    {
        var result = Result<int>.Fail(AvError.Forbidden("no"));

        var exception = Assert.Throws<RpcException>(() => result.Unwrap());

        Assert.Equal(StatusCode.PermissionDenied, exception.StatusCode);
        Assert.Equal(5, Result<int>.Ok(5).Unwrap());
    }

    [Fact]
    public void InvalidField_NamesTheField()
    {
        var error = GrpcErrors.InvalidField("collection_name", "must not be empty");

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("Validation error in body: [collection_name: must not be empty]", error.Message);
    }
}
