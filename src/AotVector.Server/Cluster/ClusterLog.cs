namespace AotVector.Server.Cluster;

/// <summary>Log lines of cluster mode (source-generated).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: peer {PeerId} listening for peers on {Uri} ({Tls})")]
    private static partial void ListeningCore(ILogger logger, string uri, ulong peerId, string tls);

    public static void Listening(ILogger logger, string uri, ulong peerId, bool tls) =>
        ListeningCore(logger, uri, peerId, tls ? "mutual TLS against tls.ca_cert" : "h2c, no TLS");

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: local consensus state found, --uri and --bootstrap are ignored")]
    public static partial void CliIgnored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: rejoining from the local consensus state")]
    public static partial void Rejoining(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: joined through {Bootstrap}")]
    public static partial void Joined(ILogger logger, string bootstrap);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster: could not register this peer: {Reason}")]
    public static partial void JoinFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: the leader is {Uri}{Self}")]
    public static partial void LeaderChanged(ILogger logger, string uri, string self);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: no leader; electing one (a majority of peers must be up)")]
    public static partial void NoLeader(ILogger logger);
}
