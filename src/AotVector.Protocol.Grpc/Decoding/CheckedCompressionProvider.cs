using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// A compression provider whose decompression failures are INVALID_ARGUMENT: a message that claims gzip but is not
/// makes the stream throw <see cref="InvalidDataException"/>, which gRPC would report as UNKNOWN with an
/// error-level stack trace. Compression is the inner provider's, unchanged.
/// </summary>
internal sealed class CheckedCompressionProvider(ICompressionProvider inner, ILogger logger) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) =>
        new DecompressionStream(inner.CreateDecompressionStream(stream), inner.EncodingName, logger);

    private sealed class DecompressionStream(Stream inner, string encoding, ILogger logger) : Stream
    {
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
            try
            {
                return inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Refuse(e);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw Refuse(e);
            }
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

        private RpcException Refuse(InvalidDataException e)
        {
            var message = $"failed to decompress the {encoding} request message: {e.Message.TrimEnd('.')}";
            RequestDecodeLog.RefusedCompressed(logger, message);
            return new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
    }
}
