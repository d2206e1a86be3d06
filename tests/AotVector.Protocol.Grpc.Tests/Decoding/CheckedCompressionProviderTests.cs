using System.IO.Compression;
using AotVector.Protocol.Grpc.Decoding;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Protocol.Grpc.Tests.Decoding;

public sealed class CheckedCompressionProviderTests
{
    private readonly CheckedCompressionProvider _gzip = new(new GzipCompressionProvider(CompressionLevel.Fastest), 1 << 20, NullLogger.Instance);

    [Fact]
    public void Compressed_data_round_trips()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 7)).ToArray();
        var compressed = new MemoryStream();
        using (var writer = _gzip.CreateCompressionStream(compressed, null))
        {
            writer.Write(data);
        }

        compressed.Position = 0;
        var output = new MemoryStream();
        using (var reader = _gzip.CreateDecompressionStream(compressed))
        {
            reader.CopyTo(output);
        }

        Assert.Equal("gzip", _gzip.EncodingName);
        Assert.Equal(data, output.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64 })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff })]
    public void Data_that_is_not_gzip_is_invalid_argument(byte[] data)
    {
        using var reader = _gzip.CreateDecompressionStream(new MemoryStream(data));

        var e = Assert.Throws<RpcException>(() => reader.CopyTo(new MemoryStream()));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("failed to decompress the gzip request message: ", e.Status.Detail);
    }

    [Fact]
    public void Inflating_past_the_limit_is_resource_exhausted()
    {
        var compressed = new MemoryStream();
        using (var writer = _gzip.CreateCompressionStream(compressed, null))
        {
            writer.Write(new byte[(1 << 20) + 1]);
        }

        compressed.Position = 0;
        using var reader = _gzip.CreateDecompressionStream(compressed);
        var e = Assert.Throws<RpcException>(() => reader.CopyTo(new MemoryStream()));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.StartsWith("Payload too large: the decompressed gzip message exceeds max_request_size_mb (1 MB)", e.Status.Detail);
    }
}
