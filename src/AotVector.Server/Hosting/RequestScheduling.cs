using System.Diagnostics;
using AotVector.Protocol.Rest.Threading;
using Microsoft.AspNetCore.Connections.Features;

namespace AotVector.Server.Hosting;

/// <summary>
/// The first middleware: decides on which thread a request runs. Requests arrive on a socket thread (inline
/// socket completions and inline Kestrel scheduling, see <see cref="KestrelScheduling"/>), which must not be
/// held by a WAL fsync, a large body or a slow query. So every request leaves it for the pool, except a short
/// read (one search, query or count, over gRPC or REST) on a connection that sends one request at a time
/// (<see cref="ConnectionSchedule"/>): that one runs where it is, answer included, with no thread hand-over.
/// It reads nothing of the body: a gRPC call leaves after authentication, once <see cref="RequestBodyLimit"/>
/// has buffered its message (so gRPC does not parse it on the socket thread).
/// </summary>
internal sealed class RequestScheduling
{
    private static readonly object ScheduleKey = new();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var grpc = GrpcRequest.Is(context);
        var schedule = ScheduleOf(context);
        var started = Stopwatch.GetTimestamp();
        var inline = schedule?.Begin(grpc ? IsShortGrpcRead(request.Path.Value) : IsShortRestRead(request.Method, request.Path.Value), InlineSlot.Current, started) ?? false;
        try
        {
            if (inline)
            {
                context.Features.Set(StayOnIoThread.Instance);
            }
            else if (!grpc)
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
}
