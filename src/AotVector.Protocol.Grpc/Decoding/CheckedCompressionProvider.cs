using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// A compression provider whose decompression is held to the receive limit and whose failures are statuses. gRPC
/// checks its message limit on the compressed bytes only and inflates the whole message into memory, so a small
/// compressed message could otherwise expand to gigabytes: past <c>maxDecompressedBytes</c> the read fails with
/// RESOURCE_EXHAUSTED. A message that claims gzip but is not makes the stream throw
/// <see cref="InvalidDataException"/>, which gRPC would report as UNKNOWN with an error-level stack trace: it is
/// INVALID_ARGUMENT. Compression is the inner provider's, unchanged.
/// </summary>
internal sealed class CheckedCompressionProvider(ICompressionProvider inner, long maxDecompressedBytes, ILogger logger) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new DecompressionStream(inner.CreateDecompressionStream(stream), inner.EncodingName, maxDecompressedBytes, logger);

    private sealed class DecompressionStream(Stream inner, string encoding, long maxBytes, ILogger logger) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
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
                throw Refuse(e);
            }

            return Count(n);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n;
            try
            {
                n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw Refuse(e);
            }

            return Count(n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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

        private int Count(int n)
        {
            _read += n;
            if (_read > maxBytes)
            {
                var message = $"Payload too large: the decompressed {encoding} message exceeds max_request_size_mb ({maxBytes / (1024 * 1024)} MB)";
                RequestDecodeLog.RefusedCompressed(logger, message);
                throw new RpcException(new Status(StatusCode.ResourceExhausted, message));
            }

            return n;
        }

        private RpcException Refuse(InvalidDataException e)
        {
            var message = $"failed to decompress the {encoding} request message: {e.Message.TrimEnd('.')}";
            RequestDecodeLog.RefusedCompressed(logger, message);
            return new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
    }
}
