using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Services;

public sealed class ResponseCompressionTests
{
    [Fact]
    public void SkipWhenSmall_SmallResponse_SetsNoCompress()
    {
        var context = TestServerCallContext.Create();
        var response = new Wire.QueryResponse();
        response.Result.Add(new Wire.ScoredPoint { Id = new Wire.PointId { Num = 1 }, Score = 0.5f });

        var returned = ResponseCompression.SkipWhenSmall(response, context);

        Assert.Same(response, returned);
        Assert.Equal(WriteFlags.NoCompress, context.WriteOptions!.Flags);
    }

    [Fact]
    public void SkipWhenSmall_LargeResponse_LeavesCompressionOn()
    {
        var context = TestServerCallContext.Create();
        var response = new Wire.QueryResponse();
        var point = new Wire.ScoredPoint { Id = new Wire.PointId { Num = 1 }, Vectors = new Wire.VectorsOutput { Vector = new Wire.VectorOutput { Dense = new Wire.DenseVector() } } };
        point.Vectors.Vector.Dense.Data.Add(new float[ResponseCompression.MinCompressedBytes / sizeof(float)]);
        response.Result.Add(point);

        ResponseCompression.SkipWhenSmall(response, context);

        Assert.Null(context.WriteOptions);
    }
}
