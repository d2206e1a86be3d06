using System.Globalization;
using System.Text.Json;
using DotNext.Net.Cluster.Consensus.Raft;

namespace AotVector.Server.Cluster;

/// <summary>
/// The <c>cluster</c> section of <c>GET /telemetry</c>, in the reference's shape: <c>enabled</c>; from detail level 1
/// the consensus status; from level 2 the cluster settings and the peers. Standalone it is <c>enabled: false</c> only.
/// </summary>
internal static class ClusterTelemetry
{
    public static void Write(Utf8JsonWriter w, ConsensusNode? node, int level)
    {
        w.WriteStartObject("cluster");
        w.WriteBoolean("enabled", node is not null);
        if (node is not null)
        {
            if (level >= 1)
            {
                WriteStatus(w, node);
            }

            if (level >= 2)
            {
                var settings = node.Settings;
                w.WriteStartObject("config");
                w.WriteNumber("grpc_timeout_ms", settings.GrpcTimeoutMs);
                w.WriteStartObject("consensus");
                w.WriteNumber("tick_period_ms", settings.Consensus.TickPeriodMs);
                w.WriteNumber("bootstrap_timeout_sec", settings.Consensus.BootstrapTimeoutSec);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("peers");
                foreach (var (id, uri) in node.Metadata.Peers)
                {
                    w.WriteStartObject(id.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("uri", uri);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteBoolean("resharding_enabled", false);
        }

        w.WriteEndObject();
    }

    private static void WriteStatus(Utf8JsonWriter w, ConsensusNode node)
    {
        var raft = node.Raft;
        var leader = raft.Leader;
        var log = node.Log;
        w.WriteStartObject("status");
        w.WriteNumber("number_of_peers", node.Metadata.Peers.Count);
        w.WriteNumber("term", ((IPersistentState)log).Term);
        w.WriteNumber("commit", log.LastCommittedEntryIndex);
        w.WriteNumber("pending_operations", Math.Max(0, log.LastCommittedEntryIndex - log.LastAppliedIndex));
        w.WriteString("role", leader is { IsRemote: false } ? "Leader" : raft.ConsensusToken.IsCancellationRequested ? "Candidate" : "Follower");
        w.WriteBoolean("is_voter", raft.Members.Any(m => !m.IsRemote));
        w.WriteNumber("peer_id", node.PeerId);
        w.WriteStartObject("consensus_thread_status");
        w.WriteString("consensus_thread_status", "working");
        w.WriteString("last_update", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
