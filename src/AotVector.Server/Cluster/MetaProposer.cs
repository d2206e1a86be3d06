using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AotVector.Common.Errors;
using Result = AotVector.Common.Errors.Result<bool>;
using AotVector.Engine.Cluster;
using DotNext.Net.Cluster.Consensus.Raft;
using Microsoft.AspNetCore.Connections;

namespace AotVector.Server.Cluster;

/// <summary>
/// Puts metadata operations through consensus from any peer. On the leader the operation is appended to the log;
/// elsewhere it is sent to the leader's p2p port (DotNext appends only on the leader). Either way the caller gets
/// the answer once the operation is applied on this peer, so what it reads next already includes it. Leader
/// changes and lost answers are retried with the same operation id, which the metadata applies once.
/// </summary>
internal sealed class MetaProposer(IRaftCluster cluster, ConsensusState state, HttpClient client, TimeSpan retryDelay)
{
    public const string ProposePath = "/aotvector.p2p/propose";

    /// <summary>How long a proposal waits by default, as the reference's meta operations (10 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public async Task<Result> ProposeAsync(MetaOp op, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var applied = state.Expect(op.Id);
        var bytes = ClusterMetadata.Encode(op);
        try
        {
            while (true)
            {
                var sent = await SendOnceAsync(bytes, deadline.Token).ConfigureAwait(false);
                if (sent is { } refused)
                {
                    // The leader answered without appending (a malformed operation): nothing will be applied.
                    return refused;
                }

                if (applied.IsCompleted || await WaitAsync(applied, retryDelay * 10, deadline.Token).ConfigureAwait(false))
                {
                    return await applied.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return AvError.Timeout($"the cluster did not apply the operation within {timeout.TotalSeconds:0.#} s (is a majority of peers up?)");
        }
        finally
        {
            state.Forget(op.Id);
        }
    }

    /// <summary>Appends on the leader (here or remote); null when appended (or possibly appended), else the refusal.</summary>
    private async Task<Result?> SendOnceAsync(byte[] bytes, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var leader = cluster.Leader;
            if (leader is null)
            {
                await Task.Delay(retryDelay, ct).ConfigureAwait(false);
                continue;
            }

            try
            {
                if (!leader.IsRemote)
                {
                    await cluster.ReplicateAsync(bytes, null, ct).ConfigureAwait(false);
                    return null;
                }

                if (leader.EndPoint is not UriEndPoint endpoint)
                {
                    await Task.Delay(retryDelay, ct).ConfigureAwait(false);
                    continue;
                }

                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri(endpoint.Uri, ProposePath), content, ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return null;
                }

                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    var answer = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), P2pJsonContext.Default.P2pAnswer, ct).ConfigureAwait(false);
                    return answer?.ToResult() ?? AvError.Internal("the leader refused the operation");
                }
            }
            catch (Exception e) when (e is NotLeaderException or QuorumUnreachableException or HttpRequestException or InvalidOperationException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                // Leadership moved, the quorum is out of reach, or the leader's port did not answer: try again.
            }

            await Task.Delay(retryDelay, ct).ConfigureAwait(false);
        }
    }

    private static async Task<bool> WaitAsync(Task task, TimeSpan wait, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(wait, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The leader's side of a forwarded proposal: append, or say why not (400 malformed, 421 not the leader).</summary>
    public async Task<(HttpStatusCode Status, P2pAnswer Answer)> AppendForwardedAsync(byte[] bytes, CancellationToken ct)
    {
        if (ClusterMetadata.Decode(bytes) is null)
        {
            return (HttpStatusCode.BadRequest, new P2pAnswer(false, ErrorKind.BadRequest, "not a metadata operation this peer knows"));
        }

        if (cluster.Leader is not { IsRemote: false })
        {
            return (HttpStatusCode.MisdirectedRequest, new P2pAnswer(false, ErrorKind.Unavailable, "not the leader"));
        }

        try
        {
            await cluster.ReplicateAsync(bytes, null, ct).ConfigureAwait(false);
            return (HttpStatusCode.OK, new P2pAnswer(true));
        }
        catch (Exception e) when (e is NotLeaderException or QuorumUnreachableException)
        {
            return (HttpStatusCode.ServiceUnavailable, new P2pAnswer(false, ErrorKind.Unavailable, e.Message));
        }
    }
}
