using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest;
using Microsoft.AspNetCore.Connections;

namespace AotVector.Server.Cluster;

/// <summary>
/// The cluster endpoints on the public REST port in cluster mode, in the reference's shapes: <c>GET /cluster</c>
/// (this peer, the agreed peers, consensus state) and <c>DELETE /cluster/peer/{peer_id}</c> (<c>force</c> to remove a
/// peer that still holds replicas).
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(WebApplication app, ConsensusNode node)
    {
        app.MapGet("/cluster", (RequestDelegate)(context => WriteStatusAsync(context, node)));
        app.MapDelete("/cluster/peer/{peer_id}", (RequestDelegate)(context => RemovePeerAsync(context, node)));
        app.MapPost("/cluster/recover", (RequestDelegate)(context => RecoverAsync(context, node)));
    }

    /// <summary>
    /// POST /cluster/recover: the reference asks the leader for its consensus snapshot. DotNext sends a lagging peer
    /// the leader's snapshot by itself, so this waits until this peer has caught up with the leader's commit (a read
    /// barrier) and answers true, or 503 when there is no leader to catch up with.
    /// </summary>
    private static async Task RecoverAsync(HttpContext context, ConsensusNode node)
    {
        var start = Stopwatch.GetTimestamp();
        if (!RestAccess.Get(context).CanManage)
        {
            await WriteErrorAsync(context, start, AvError.Forbidden("Global manage access is required")).ConfigureAwait(false);
            return;
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(MetaProposer.DefaultTimeout);
            await node.Raft.ApplyReadBarrierAsync(DotNext.Net.Cluster.Consensus.Raft.ReadBarrierType.Strong, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or DotNext.Net.Cluster.Consensus.Raft.QuorumUnreachableException or InvalidOperationException)
        {
            await WriteErrorAsync(context, start, new AvError(ErrorKind.Unavailable, "Service unavailable: this peer could not catch up with the leader: " + e.Message)).ConfigureAwait(false);
            return;
        }

        await WriteTrueAsync(context, start).ConfigureAwait(false);
    }

    private static async Task WriteTrueAsync(HttpContext context, long start)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("result", true);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        await WriteAsync(context, StatusCodes.Status200OK, buffer).ConfigureAwait(false);
    }

    private static Task WriteStatusAsync(HttpContext context, ConsensusNode node)
    {
        var start = Stopwatch.GetTimestamp();
        var raft = node.Raft;
        var leader = raft.Leader;
        var role = leader is { IsRemote: false } ? "Leader" : raft.ConsensusToken.IsCancellationRequested ? "Candidate" : "Follower";
        var log = node.Log;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("result");
            w.WriteString("status", "enabled");
            w.WriteNumber("peer_id", node.PeerId);
            w.WriteStartObject("peers");
            foreach (var (id, uri) in node.Metadata.Peers)
            {
                w.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
                w.WriteString("uri", uri);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("raft_info");
            w.WriteNumber("term", ((DotNext.Net.Cluster.Consensus.Raft.IPersistentState)log).Term);
            w.WriteNumber("commit", log.LastCommittedEntryIndex);
            w.WriteNumber("pending_operations", Math.Max(0, log.LastCommittedEntryIndex - log.LastAppliedIndex));
            var leaderId = node.PeerIdOf(leader?.EndPoint is UriEndPoint endpoint ? endpoint.Uri : null);
            if (leaderId == 0)
            {
                w.WriteNull("leader");
            }
            else
            {
                w.WriteNumber("leader", leaderId);
            }

            w.WriteString("role", role);
            w.WriteBoolean("is_voter", raft.Members.Any(m => !m.IsRemote));
            w.WriteEndObject();
            w.WriteStartObject("consensus_thread_status");
            w.WriteString("consensus_thread_status", "working");
            w.WriteString("last_update", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
            node.SendFailures.Write(w, "message_send_failures");
            w.WriteEndObject();
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer);
    }

    private static async Task RemovePeerAsync(HttpContext context, ConsensusNode node)
    {
        var start = Stopwatch.GetTimestamp();
        if (!RestAccess.Get(context).CanManage)
        {
            await WriteErrorAsync(context, start, AvError.Forbidden("Global manage access is required")).ConfigureAwait(false);
            return;
        }

        var text = context.Request.RouteValues["peer_id"] as string;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var peerId))
        {
            await WriteErrorAsync(context, start, AvError.BadRequest($"peer_id: '{text}' is not a peer id")).ConfigureAwait(false);
            return;
        }

        var force = false;
        if (context.Request.Query["force"] is { Count: > 0 } forceText && !bool.TryParse(forceText, out force))
        {
            await WriteErrorAsync(context, start, AvError.BadRequest($"Deserialize error in query parameters: force: provided string was not `true` or `false` ('{forceText}')")).ConfigureAwait(false);
            return;
        }

        if (!node.Metadata.Peers.ContainsKey(peerId))
        {
            await WriteErrorAsync(context, start, AvError.NotFound($"Peer {peerId} does not exist")).ConfigureAwait(false);
            return;
        }

        if (!force && node.Metadata.Collections.Any(c => c.ShardsOn(peerId).Any()))
        {
            await WriteErrorAsync(context, start, AvError.BadRequest($"Cannot remove peer {peerId} as there are shards on it")).ConfigureAwait(false);
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new RemovePeerRequest(peerId), P2pJsonContext.Default.RemovePeerRequest);
        var result = await node.RemovePeerOnLeaderAsync(peerId, body).ConfigureAwait(false);
        if (!result.TryGet(out _, out var error))
        {
            await WriteErrorAsync(context, start, error).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("result", true);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        await WriteAsync(context, StatusCodes.Status200OK, buffer).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, long start, AvError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("status");
            w.WriteString("error", error.Message);
            w.WriteEndObject();
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        var status = error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            ErrorKind.Timeout => StatusCodes.Status408RequestTimeout,
            _ => StatusCodes.Status400BadRequest,
        };
        return WriteAsync(context, status, buffer);
    }

    private static async Task WriteAsync(HttpContext context, int status, ArrayBufferWriter<byte> buffer)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
