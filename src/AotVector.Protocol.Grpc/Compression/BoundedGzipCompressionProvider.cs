using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace AotVector.Protocol.Grpc.Compression;

/// <summary>
/// gzip for gRPC messages, with the receive limit applied to the decompressed size. gRPC checks its message limit
/// on the compressed bytes only and inflates the whole message into memory, so a small compressed message could
/// otherwise expand to gigabytes. A corrupt stream is the client's error (InvalidArgument), not an internal one.
/// </summary>
internal sealed class BoundedGzipCompressionProvider(long maxDecompressedBytes, CompressionLevel defaultLevel) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? defaultLevel, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) =>
        new BoundedReadStream(new GZipStream(stream, CompressionMode.Decompress), maxDecompressedBytes);

    /// <summary>Reads through <paramref name="inner"/>, failing the call once more than the limit has come out.</summary>
    private sealed class BoundedReadStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "failed to decompress the gzip message: " + e.Message));
            }

            _read += n;
            if (_read > maxBytes)
            {
                throw new RpcException(new Status(
                    StatusCode.ResourceExhausted,
                    $"Payload too large: the decompressed message exceeds max_request_size_mb ({maxBytes / (1024 * 1024)} MB)"));
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
