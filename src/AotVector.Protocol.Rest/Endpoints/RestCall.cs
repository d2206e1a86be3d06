using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Threading;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>One REST request as the handlers see it: start time, caller, engine APIs, route values, body and replies.</summary>
internal sealed class RestCall
{
    public RestCall(HttpContext context)
    {
        Context = context;
        StartTimestamp = Stopwatch.GetTimestamp();
    }

    public HttpContext Context { get; }

    public long StartTimestamp { get; }

    public AccessContext Access => RestAccess.Get(Context);

    public CancellationToken Aborted => Context.RequestAborted;

    public ICollectionsApi Collections => Context.RequestServices.GetRequiredService<ICollectionsApi>();

    public IPointsApi Points => Context.RequestServices.GetRequiredService<IPointsApi>();

    public ISnapshotsApi Snapshots => Context.RequestServices.GetRequiredService<ISnapshotsApi>();

    public IQueryCollection Query => Context.Request.Query;

    /// <summary>The collection named in the path.</summary>
    public string CollectionName => Route("name");

    public string Route(string key) => Context.Request.RouteValues[key] as string ?? "";

    /// <summary>
    /// Reads the whole body (with a running count, up to the request's body limit) and maps it with
    /// <paramref name="read"/>; failures come back as 400/413/422 errors.
    /// </summary>
    public async Task<Result<T>> ReadBodyAsync<T>(Func<JsonElement, T> read, bool allowEmpty = false)
    {
        var received = await RequestBodyReader.ReadAsync(Context, Aborted).ConfigureAwait(false);
        // The last read may have completed on the socket thread; parsing and the engine call belong on the pool,
        // unless the server chose to run this request where it arrived.
        if (Context.Features.Get<StayOnIoThread>() is null)
        {
            await IoThread.LeaveAsync();
        }

        if (!received.TryGet(out var body, out var error))
        {
            if (error.Kind != ErrorKind.PayloadTooLarge)
            {
                RestHandler.BodyUnreadable(Context, error.Message);
            }

            return error;
        }

        using (body)
        {
            // The parsed request owns no part of the buffer (the JSON document is read and disposed inside).
            return BodyParser.Parse(body.WrittenMemory, read, allowEmpty);
        }
    }

    public Task OkAsync<T>(T value, Action<Utf8JsonWriter, T> write) => ResponseWriter.WriteOkAsync(Context, StartTimestamp, value, write);

    public Task AcceptedAsync() => ResponseWriter.WriteAcceptedAsync(Context, StartTimestamp);

    public Task FailAsync(AvError error) => ResponseWriter.WriteErrorAsync(Context, StartTimestamp, error);

    public Task ReplyAsync<T>(Result<T> result, Action<Utf8JsonWriter, T> write) => ResponseWriter.WriteReplyAsync(Context, StartTimestamp, result, write);

    /// <summary>A fixed-shape result, written by its generated contract (<see cref="Dto.RestJsonContext"/>).</summary>
    public Task ReplyAsync<T>(Result<T> result, JsonTypeInfo<T> contract) => ResponseWriter.WriteReplyAsync(Context, StartTimestamp, result, contract);
}
