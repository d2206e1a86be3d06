namespace AotVector.Server.Config;

/// <summary>The <c>cluster.p2p</c> section: traffic between peers.</summary>
internal sealed record P2pSettings
{
    /// <summary><c>port</c>, 1..65535 or null.</summary>
    public int? Port { get; init; } = 6335;

    /// <summary><c>enable_tls</c>: mutual TLS between peers (needs tls.cert, tls.key and tls.ca_cert).</summary>
    public bool EnableTls { get; init; }
}
