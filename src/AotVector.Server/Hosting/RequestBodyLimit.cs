using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest;
using AotVector.Protocol.Rest.Threading;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Server.Hosting;

/// <summary>
/// The body rule, applied after authentication: no request buffers more than max_request_size_mb. A declared
/// Content-Length over the limit is refused before a byte of the body is read (413, or RESOURCE_EXHAUSTED for
/// gRPC). REST endpoints read their bodies with a running count (<c>RestCall.ReadBodyAsync</c>), under Kestrel's
/// limit of the same size. A gRPC call's one message is buffered here, counted as it arrives and its framing
/// checked, so that gRPC then parses it without waiting, off the socket thread unless the call was chosen to stay
/// there (<see cref="RequestScheduling"/>). Snapshot uploads, which stream to disk and buffer nothing, are held to
/// <c>max_snapshot_size_mb</c> instead (no limit when unset, as the reference sets none on uploads).
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, long maxBytes, long? uploadMaxBytes, ILogger logger)
{
    /// <summary>A unary gRPC body is one message behind a 5-byte prefix (compressed flag, big-endian length).</summary>
    internal const int GrpcPrefixBytes = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var grpc = GrpcRequest.Is(context);
        if (!grpc && RestEndpoints.IsStreamedUpload(context.GetEndpoint()))
        {
            await UploadAsync(context).ConfigureAwait(false);
            return;
        }

        var limit = grpc ? maxBytes + GrpcPrefixBytes : maxBytes;
        if (context.Request.ContentLength > limit)
        {
            await RefuseTooLargeAsync(context, grpc).ConfigureAwait(false);
            return;
        }

        if (grpc)
        {
            // gRPC lifts Kestrel's body limit only for client-streaming calls, which we do not serve; a unary body
            // may be one prefix longer than the message limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            var (body, problem) = await BufferGrpcBodyAsync(context.Request.BodyReader, maxBytes).ConfigureAwait(false);
            switch (body)
            {
                case GrpcBody.TooLarge:
                    await RefuseTooLargeAsync(context, grpc: true).ConfigureAwait(false);
                    return;
                case GrpcBody.Malformed:
                    await RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcInvalidArgument, problem!).ConfigureAwait(false);
                    return;
                case GrpcBody.Unreadable:
                    LogUnreadable(context, problem!);
                    return;
            }

            if (context.Features.Get<StayOnIoThread>() is null)
            {
                await IoThread.LeaveAsync();
            }
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's own limits met by a reader other than ours: answered like ours, never as a 500.
            if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseTooLargeAsync(context, grpc).ConfigureAwait(false);
                return;
            }

            LogUnreadable(context, e.Message);
            context.Response.StatusCode = e.StatusCode;
        }
    }

    /// <summary>An upload's body limit is Kestrel's running count, set here before the endpoint reads a byte.</summary>
    private async Task UploadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > uploadMaxBytes)
        {
            await RefusalResponses.JsonErrorAsync(context, StatusCodes.Status413PayloadTooLarge, AvError.PayloadTooLarge(uploadMaxBytes!.Value).Message).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = uploadMaxBytes;
        }

        await next(context).ConfigureAwait(false);
    }

    private Task RefuseTooLargeAsync(HttpContext context, bool grpc)
    {
        var message = AvError.PayloadTooLarge(maxBytes).Message;
        return grpc
            ? RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcResourceExhausted, message)
            : RefusalResponses.JsonErrorAsync(context, StatusCodes.Status413PayloadTooLarge, message);
    }

    private void LogUnreadable(HttpContext context, string reason)
    {
        var request = context.Request;
        if (context.RequestAborted.IsCancellationRequested)
        {
            ServerLog.BodyAborted(logger, request.Method, request.Path.Value ?? "");
        }
        else
        {
            ServerLog.BodyReadFailed(logger, request.Method, request.Path.Value ?? "", reason);
        }
    }

    internal enum GrpcBody
    {
        /// <summary>One whole message is in the pipe, unconsumed, and the body has ended.</summary>
        Complete,
        /// <summary>The prefix announces, or the body holds, more than the limit: nothing more is read.</summary>
        TooLarge,
        /// <summary>The body is not exactly one framed message (a bad prefix, or it ended short or with more).</summary>
        Malformed,
        /// <summary>The body could not be read to its end (the client went away, or sent too slowly).</summary>
        Unreadable,
    }

    /// <summary>
    /// Reads the whole body without consuming it, so that gRPC's own read then returns it at once. Stops as soon as
    /// the buffered bytes or the announced message length pass <paramref name="maxMessageBytes"/>.
    /// </summary>
    internal static async Task<(GrpcBody Body, string? Problem)> BufferGrpcBodyAsync(PipeReader reader, long maxMessageBytes)
    {
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var outcome = Examine(buffer, result.IsCompleted || result.IsCanceled, maxMessageBytes);
                if (outcome.Body is GrpcBody.TooLarge or GrpcBody.Malformed)
                {
                    // Let Kestrel drop what it holds; the answer needs none of it.
                    reader.AdvanceTo(buffer.End);
                    return outcome;
                }

                // Examined up to the end: the next read waits for more. Examined never moves back (pipes refuse that),
                // so the last read is marked the same way; gRPC's read then returns at once because the body has ended.
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return outcome;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (GrpcBody.TooLarge, null);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return (GrpcBody.Unreadable, e.Message);
        }
    }

    /// <summary>The verdict on what has arrived so far; <paramref name="ended"/> says whether that is all of it.</summary>
    internal static (GrpcBody Body, string? Problem) Examine(ReadOnlySequence<byte> buffer, bool ended, long maxMessageBytes)
    {
        if (buffer.Length > maxMessageBytes + GrpcPrefixBytes)
        {
            return (GrpcBody.TooLarge, null);
        }

        long announced = -1;
        if (buffer.Length >= GrpcPrefixBytes)
        {
            Span<byte> prefix = stackalloc byte[GrpcPrefixBytes];
            buffer.Slice(0, GrpcPrefixBytes).CopyTo(prefix);
            if (prefix[0] > 1)
            {
                return (GrpcBody.Malformed, $"invalid gRPC message prefix: compressed flag {prefix[0]}, expected 0 or 1");
            }

            announced = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
            if (announced > maxMessageBytes)
            {
                return (GrpcBody.TooLarge, null);
            }
        }

        if (!ended)
        {
            return (GrpcBody.Complete, null);
        }

        if (announced < 0 || buffer.Length < GrpcPrefixBytes + announced)
        {
            return (GrpcBody.Malformed, "Incomplete message: the request body ended before the gRPC message it announced");
        }

        return buffer.Length > GrpcPrefixBytes + announced
            ? (GrpcBody.Malformed, "Additional data after the message received: a unary call carries exactly one gRPC message")
            : (GrpcBody.Complete, null);
    }
}
