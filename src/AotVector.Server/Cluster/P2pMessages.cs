using System.Text.Json.Serialization;
using AotVector.Common.Errors;

namespace AotVector.Server.Cluster;

/// <summary>A peer asks to join: its id and the URI the others reach it on.</summary>
internal sealed record JoinRequest(ulong PeerId, string Uri);

/// <summary>Remove a peer from the cluster (already checked for replicas, or forced).</summary>
internal sealed record RemovePeerRequest(ulong PeerId);

/// <summary>The answer to an internal request: ok, or an error of a kind with its message.</summary>
internal sealed record P2pAnswer(bool Ok, ErrorKind Kind = ErrorKind.Internal, string? Error = null)
{
    public static P2pAnswer From(Result<bool> result) =>
        result.TryGet(out _, out var error) ? new P2pAnswer(true) : new P2pAnswer(false, error.Kind, error.Message);

    public Result<bool> ToResult() => Ok ? true : new AvError(Kind, Error ?? "the peer gave no reason");
}

/// <summary><c>consensus/peer.json</c>: how this peer joined, so a restart rejoins from its own state.</summary>
internal sealed record PeerStateFile(string Uri, bool FirstPeer);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(RemovePeerRequest))]
[JsonSerializable(typeof(P2pAnswer))]
[JsonSerializable(typeof(PeerStateFile))]
internal sealed partial class P2pJsonContext : JsonSerializerContext;
