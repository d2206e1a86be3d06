using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using AotVector.Common.Threading;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Server.Hosting;

/// <summary>
/// The first middleware: decides on which thread a request runs. Requests arrive on a socket thread (inline
/// socket completions and inline Kestrel scheduling, see <see cref="KestrelScheduling"/>), which must not be
/// held by a WAL fsync, a large body or a slow query. So every request leaves it for the pool, except a short
/// read (one search, query or count, over gRPC or REST) on a connection that sends one request at a time
/// (<see cref="ConnectionSchedule"/>): that one runs where it is, answer included, with no thread hand-over.
/// </summary>
internal sealed class RequestScheduling(long maxGrpcMessageBytes)
{
    private static readonly object ScheduleKey = new();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var grpc = HttpProtocol.IsHttp2(request.Protocol) && GrpcRequest.Is(context);
        var schedule = ScheduleOf(context);
        var started = Stopwatch.GetTimestamp();
        var inline = schedule?.Begin(grpc ? IsShortGrpcRead(request.Path.Value) : IsShortRestRead(request.Method, request.Path.Value), InlineSlot.Current, started) ?? false;
        try
        {
            if (inline)
            {
                // gRPC reads the body and calls the engine in one go; REST leaves after its body unless told to stay.
                if (!grpc)
                {
                    context.Features.Set(StayOnIoThread.Instance);
                }
            }
            else if (grpc)
            {
                // With inline scheduling the request body's continuations run on the socket thread, so gRPC would
                // parse the message there. Buffer the body first (its continuations only wait for the end), then leave.
                await BufferBodyAsync(context, maxGrpcMessageBytes).ConfigureAwait(false);
                await IoThread.LeaveAsync();
            }
            else
            {
                // REST bodies are read by the endpoints, which leave the socket thread again after the read.
                await IoThread.LeaveAsync();
            }

            await next(context).ConfigureAwait(false);
        }
        finally
        {
            schedule?.End(inline, Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>Unary calls that read one query's worth: short enough to run on the socket thread.</summary>
    internal static bool IsShortGrpcRead(string? path) => path switch
    {
        "/qdrant.Points/Search" or "/qdrant.Points/Query" or "/qdrant.Points/Recommend" or "/qdrant.Points/Discover"
            or "/qdrant.Points/Get" or "/qdrant.Points/Count" or "/qdrant.Qdrant/HealthCheck" => true,
        _ => false,
    };

    /// <summary>The REST counterparts: one search, query, recommendation, discovery or count.</summary>
    internal static bool IsShortRestRead(string method, string? path)
    {
        const string prefix = "/collections/";
        if (!HttpMethods.IsPost(method) || path is null || !path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var tail = path.AsSpan(prefix.Length);
        var slash = tail.IndexOf('/');
        return slash > 0 && tail[slash..] is "/points/search" or "/points/query" or "/points/recommend" or "/points/discover" or "/points/count";
    }

    private static ConnectionSchedule? ScheduleOf(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
        {
            return null;
        }

        // The items are a plain dictionary. With inline scheduling a connection's streams all start on its socket
        // thread, one after another; without it (an older or newer Kestrel) they may start at once on the pool.
        lock (items)
        {
            if (items.TryGetValue(ScheduleKey, out var existing) && existing is ConnectionSchedule schedule)
            {
                return schedule;
            }

            schedule = new ConnectionSchedule();
            items[ScheduleKey] = schedule;
            return schedule;
        }
    }

    /// <summary>
    /// Reads the whole body (a unary call's one message) without consuming it, so that gRPC then reads it without
    /// waiting, or stops early when the message prefix announces more than the limit (gRPC refuses it after reading
    /// the prefix). Kestrel's body size limit is lifted first, as gRPC does itself, because gRPC enforces its own
    /// message limit. A failed read is left for gRPC to meet and report.
    /// </summary>
    internal static async Task BufferBodyAsync(HttpContext context, long maxMessageBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await BufferBodyAsync(context.Request.BodyReader, maxMessageBytes).ConfigureAwait(false);
    }

    internal static async Task BufferBodyAsync(PipeReader reader, long maxMessageBytes)
    {
        try
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            while (!result.IsCompleted && !result.IsCanceled && !AnnouncesOversizeMessage(result.Buffer, maxMessageBytes))
            {
                // Examined up to the end: the next read waits for more. Examined never moves back (pipes refuse that),
                // so the last read is marked the same way; gRPC's read then returns at once because the body has ended.
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                result = await reader.ReadAsync().ConfigureAwait(false);
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    /// <summary>True when the buffered gRPC message prefix announces a message longer than the limit.</summary>
    internal static bool AnnouncesOversizeMessage(ReadOnlySequence<byte> buffer, long maxMessageBytes)
    {
        if (buffer.Length < 5)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]) > maxMessageBytes;
    }
}
