using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// The request body as gRPC reads it, with the first message prefix checked on the way: a compressed flag other
/// than 0 or 1, or a length past 2^31 - 1, would make gRPC throw a plain exception (UNKNOWN to the client and an
/// error-level stack trace in the log). Refused here as statuses instead. The methods we serve take one request
/// message, and gRPC refuses a second one before it reads its prefix, so only the first prefix needs a look.
/// </summary>
internal sealed class MessagePrefixReader : PipeReader, IRequestBodyPipeFeature
{
    private const int PrefixLength = 5;

    private readonly PipeReader _inner;
    private readonly string _method;
    private readonly ILogger _logger;
    private bool _checked;

    private MessagePrefixReader(PipeReader inner, string method, ILogger logger)
    {
        _inner = inner;
        _method = method;
        _logger = logger;
    }

    public PipeReader Reader => this;

    /// <summary>Wraps a gRPC method endpoint's handler so that it reads the body through this reader.</summary>
    public static RequestDelegate Wrap(RequestDelegate handler, string method, ILogger logger) => context =>
    {
        var body = context.Features.Get<IRequestBodyPipeFeature>();
        if (body is not null)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new MessagePrefixReader(body.Reader, method, logger));
        }

        return handler(context);
    };

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = _inner.ReadAsync(cancellationToken);
        if (_checked)
        {
            return read;
        }

        return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Check(read.Result)) : CheckAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_inner.TryRead(out result))
        {
            return false;
        }

        if (!_checked)
        {
            Check(result);
        }

        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => _inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    private async ValueTask<ReadResult> CheckAsync(ValueTask<ReadResult> read) => Check(await read.ConfigureAwait(false));

    private ReadResult Check(ReadResult result)
    {
        var buffer = result.Buffer;
        if (buffer.IsEmpty)
        {
            return result;
        }

        var flag = buffer.FirstSpan[0];
        if (flag > 1)
        {
            Refuse(buffer, StatusCode.InvalidArgument, $"invalid gRPC message prefix: compressed flag {flag}, expected 0 or 1");
        }

        if (buffer.Length < PrefixLength)
        {
            return result;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        if (BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]) > int.MaxValue)
        {
            // gRPC's own words for a message over the receive limit, which this one is too.
            Refuse(buffer, StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
        }

        _checked = true;
        return result;
    }

    private void Refuse(ReadOnlySequence<byte> buffer, StatusCode status, string message)
    {
        // Hand the read back before leaving, so the pipe is in a state its owner can complete.
        _inner.AdvanceTo(buffer.Start);
        RequestDecodeLog.RefusedPrefix(_logger, _method, message);
        throw new RpcException(new Status(status, message));
    }
}
