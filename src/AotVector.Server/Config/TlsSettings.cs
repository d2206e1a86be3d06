namespace AotVector.Server.Config;

/// <summary>The <c>tls</c> section. Paths are kept as written; resolve them with <see cref="LoadedSettings.ResolvePath"/>.</summary>
internal sealed record TlsSettings
{
    /// <summary><c>tls.cert</c>: PEM certificate chain.</summary>
    public string? Cert { get; init; } = "./tls/cert.pem";

    /// <summary><c>tls.key</c>: PEM private key.</summary>
    public string? Key { get; init; } = "./tls/key.pem";

    /// <summary><c>tls.ca_cert</c>: PEM CA for client and peer certificates.</summary>
    public string? CaCert { get; init; } = "./tls/cacert.pem";

    /// <summary><c>tls.cert_ttl</c> in seconds (at least 1); null turns reloading off.</summary>
    public int? CertTtlSec { get; init; } = 3600;
}
