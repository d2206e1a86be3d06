using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Errors;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>
/// Collection, shard and full snapshots: list, create, download, delete, recover and upload, over
/// <see cref="ISnapshotsApi"/>. Long operations take <c>wait</c> (default true): with <c>wait=false</c> the answer is
/// 202 "accepted" and the work goes on; either way it runs to its end if the client leaves, as in the reference. A
/// failure the engine knows at once (no right, no such collection) is answered even with <c>wait=false</c>.
/// </summary>
internal static partial class SnapshotsEndpoints
{
    /// <summary>The multipart field the reference's upload form reads.</summary>
    private const string UploadField = "snapshot";

    public static Task ListAsync(RestCall call) => WithScopeAsync(call, static (c, scope) =>
        c.ReplyAsync(c.Snapshots.ListSnapshots(c.Access, scope).Map(SnapshotDescriptionDto.FromList), RestJsonContext.Default.SnapshotDescriptionDtoArray));

    public static Task CreateAsync(RestCall call) => WithScopeAsync(call, static (c, scope) =>
        RunAsync(c, "create snapshot", () => c.Snapshots.CreateSnapshotAsync(c.Access, scope, CancellationToken.None), SnapshotDescriptionDto.From, RestJsonContext.Default.SnapshotDescriptionDto));

    public static Task DownloadAsync(RestCall call) => WithScopeAsync(call, static (c, scope) =>
        SendFileAsync(c, c.Snapshots.OpenSnapshot(c.Access, scope, c.Route("snapshot_name"))));

    public static Task DeleteAsync(RestCall call) => WithScopeAsync(call, static (c, scope) =>
        RunAsync(c, "delete snapshot", () => c.Snapshots.DeleteSnapshotAsync(c.Access, scope, c.Route("snapshot_name"), CancellationToken.None), static b => b, RestJsonContext.Default.Boolean));

    /// <summary>PUT …/snapshots/recover with <c>{"location","priority","checksum","api_key"}</c>.</summary>
    public static Task RecoverAsync(RestCall call) => WithScopeAsync(call, static async (c, scope) =>
    {
        var shard = scope is SnapshotScope.Shard;
        var body = await c.ReadBodyAsync(root => SnapshotRequestReader.ReadRecover(root, shard)).ConfigureAwait(false);
        if (!body.TryGet(out var recover, out var error))
        {
            await c.FailAsync(error).ConfigureAwait(false);
            return;
        }

        if (recover.Source is { } source)
        {
            var request = new SnapshotRecoverRequest(source, recover.Priority, recover.Checksum);
            await RunAsync(c, "recover snapshot", () => c.Snapshots.RecoverSnapshotAsync(c.Access, scope, request, CancellationToken.None), static b => b, RestJsonContext.Default.Boolean).ConfigureAwait(false);
            return;
        }

        await RecoverFromShardSnapshotAsync(c, scope, recover).ConfigureAwait(false);
    });

    /// <summary>
    /// POST …/snapshots/upload?priority=&amp;checksum=&amp;wait=, multipart with a <c>snapshot</c> file. The right to
    /// upload is checked (by reserving the file) before a byte of the body is read; the file part then streams to disk.
    /// </summary>
    public static Task UploadAsync(RestCall call) => WithScopeAsync(call, static async (c, scope) =>
    {
        if (!ReadUploadParams(c.Query).TryGet(out var upload, out var paramError))
        {
            await c.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        if (!c.Snapshots.ReserveUpload(c.Access, scope).TryGet(out var path, out var refused))
        {
            await c.FailAsync(refused).ConfigureAwait(false);
            return;
        }

        Result<long> received;
        try
        {
            received = await MultipartFileReceiver.ReceiveAsync(c.Context, UploadField, path, c.Aborted).ConfigureAwait(false);
        }
        catch
        {
            TryDelete(path);
            throw;
        }

        if (!received.TryGet(out _, out var uploadError))
        {
            TryDelete(path);
            await c.FailAsync(uploadError).ConfigureAwait(false);
            return;
        }

        var request = new SnapshotRecoverRequest(new SnapshotSource.Uploaded(path), upload.Priority, upload.Checksum);
        await RunAsync(c, "recover uploaded snapshot", () => c.Snapshots.RecoverSnapshotAsync(c.Access, scope, request, CancellationToken.None), static b => b, RestJsonContext.Default.Boolean, upload.Wait).ConfigureAwait(false);
    });

    /// <summary>GET …/shards/{shard_id}/snapshot: a fresh snapshot of the shard, streamed and not kept.</summary>
    public static Task StreamShardAsync(RestCall call) => WithScopeAsync(call, static async (c, scope) =>
    {
        var created = await c.Snapshots.CreateSnapshotAsync(c.Access, scope, c.Aborted).ConfigureAwait(false);
        if (!created.TryGet(out var description, out var error))
        {
            await c.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var opened = c.Snapshots.OpenSnapshot(c.Access, scope, description.Name);
        // The open file stays readable once its name is gone, so nothing is left behind if the client leaves.
        _ = await c.Snapshots.DeleteSnapshotAsync(c.Access, scope, description.Name, CancellationToken.None).ConfigureAwait(false);
        await SendFileAsync(c, opened).ConfigureAwait(false);
    });

    /// <summary>Which snapshots a route addresses: the full storage, a collection, or one shard of it.</summary>
    private static Task WithScopeAsync(RestCall call, Func<RestCall, SnapshotScope, Task> handler)
    {
        var values = call.Context.Request.RouteValues;
        if (!values.ContainsKey("name"))
        {
            return handler(call, new SnapshotScope.Full());
        }

        if (!values.ContainsKey("shard_id"))
        {
            return handler(call, new SnapshotScope.Collection(call.CollectionName));
        }

        var text = call.Route("shard_id");
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
            ? handler(call, new SnapshotScope.Shard(call.CollectionName, shard))
            : call.FailAsync(RequestErrors.PathParameter("can not parse `" + text + "` to a u32 (shard_id)"));
    }

    /// <summary>
    /// Runs <paramref name="work"/> and answers with its result, or, with <c>wait=false</c> and the work still going,
    /// answers 202 at once and logs a failure when it comes.
    /// </summary>
    private static async Task RunAsync<T, TDto>(RestCall call, string operation, Func<ValueTask<Result<T>>> start, Func<T, TDto> map, JsonTypeInfo<TDto> contract, bool? wait = null)
    {
        if (wait is null)
        {
            if (!QueryParams.ReadWait(call.Query, defaultValue: true).TryGet(out var w, out var paramError))
            {
                await call.FailAsync(paramError).ConfigureAwait(false);
                return;
            }

            wait = w;
        }

        var work = start();
        if (wait.Value || work.IsCompleted)
        {
            var result = await work.ConfigureAwait(false);
            await call.ReplyAsync(result.Map(map), contract).ConfigureAwait(false);
            return;
        }

        Observe(call, operation, work);
        await call.AcceptedAsync().ConfigureAwait(false);
    }

    private static void Observe<T>(RestCall call, string operation, ValueTask<Result<T>> work)
    {
        var logger = call.Context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("AotVector.Protocol.Rest");
        _ = work.AsTask().ContinueWith(
            t =>
            {
                var failure = t.IsFaulted ? t.Exception!.GetBaseException().Message : t.Result.TryGet(out _, out var e) ? null : e.Message;
                if (failure is not null && logger is not null)
                {
                    LogBackgroundFailed(logger, operation, failure);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// The reference's plain-path location for a shard: one of the shard's own snapshots, by name. It is copied into an
    /// upload reservation (which checks the right to recover first) and recovered from there, so the snapshot stays.
    /// </summary>
    private static async Task RecoverFromShardSnapshotAsync(RestCall call, SnapshotScope scope, SnapshotRecoverBody recover)
    {
        if (!call.Snapshots.ReserveUpload(call.Access, scope).TryGet(out var path, out var refused))
        {
            await call.FailAsync(refused).ConfigureAwait(false);
            return;
        }

        var opened = call.Snapshots.OpenSnapshot(call.Access, scope, recover.ShardSnapshotName!);
        if (!opened.TryGet(out var download, out var error))
        {
            TryDelete(path);
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        try
        {
            await using (download.Content.ConfigureAwait(false))
            {
                var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
                await using (target.ConfigureAwait(false))
                {
                    await download.Content.CopyToAsync(target, call.Aborted).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }

        var request = new SnapshotRecoverRequest(new SnapshotSource.Uploaded(path), recover.Priority, recover.Checksum);
        await RunAsync(call, "recover shard snapshot", () => call.Snapshots.RecoverSnapshotAsync(call.Access, scope, request, CancellationToken.None), static b => b, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    /// <summary>The file as the reference's file responder sends it: octet-stream, its length, an attachment name.</summary>
    private static async Task SendFileAsync(RestCall call, Result<SnapshotDownload> opened)
    {
        if (!opened.TryGet(out var download, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        await using (download.Content.ConfigureAwait(false))
        {
            var response = call.Context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/octet-stream";
            response.ContentLength = download.Length;
            response.Headers.ContentDisposition = Attachment(download.Name);
            await download.Content.CopyToAsync(response.Body, call.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>attachment; filename="…"</c> as the reference's file responder writes it; a name outside ASCII (collection
    /// names may be any text) also gets the RFC 5987 <c>filename*</c> form, since header values must be ASCII.
    /// </summary>
    internal static string Attachment(string name)
    {
        if (Ascii.IsValid(name) && name.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0)
        {
            return "attachment; filename=\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(name);
        return disposition.ToString();
    }

    private static Result<(bool Wait, SnapshotPriority? Priority, string? Checksum)> ReadUploadParams(IQueryCollection query)
    {
        if (!QueryParams.ReadWait(query, defaultValue: true).TryGet(out var wait, out var error))
        {
            return error;
        }

        SnapshotPriority? priority = null;
        if (query.TryGetValue("priority", out var priorityText))
        {
            if (!SnapshotRequestReader.TryReadPriority(priorityText.ToString(), out var p, out var priorityError))
            {
                return priorityError;
            }

            priority = p;
        }

        string? checksum = null;
        if (query.TryGetValue("checksum", out var checksumText))
        {
            checksum = checksumText.ToString();
            if (!SnapshotRequestReader.IsSha256(checksum))
            {
                return RequestErrors.QueryParameter("invalid value `" + checksum + "` for `checksum`, expected a hex-encoded SHA-256 hash (64 hexadecimal digits)");
            }
        }

        return (wait, priority, checksum);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover in the temporary directory is not worth failing the answer over.
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Snapshot operation {Operation} accepted with wait=false failed: {Reason}")]
    private static partial void LogBackgroundFailed(ILogger logger, string operation, string reason);
}
