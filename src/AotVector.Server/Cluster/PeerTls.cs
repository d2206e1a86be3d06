using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AotVector.Server.Security;

namespace AotVector.Server.Cluster;

/// <summary>
/// Mutual TLS between peers. Both directions check the other side against <c>tls.ca_cert</c> only (never the system
/// roots): the p2p listener requires a client certificate (<see cref="CertificateProvider.CreateOptions"/>), and
/// outgoing connections present this peer's certificate and accept a server only when its certificate chains to
/// the CA, names the host, and allows server authentication. Certificate and CA come from the provider at each
/// handshake, so a reload on <c>tls.cert_ttl</c> reaches new connections in both directions.
/// </summary>
internal static class PeerTls
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>The handler every outgoing p2p request uses: HTTP/2 (h2c without TLS), bounded connect time.</summary>
    public static SocketsHttpHandler CreateHandler(CertificateProvider? tls, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
        };
        if (tls is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => tls.Certificate.Leaf,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrustedServer(certificate, chain, errors, tls),
            };
        }

        return handler;
    }

    private static bool IsTrustedServer(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, CertificateProvider tls)
    {
        // The name must match; the chain is judged against our CA below, not the system's verdict.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || tls.Authorities is not { } authorities)
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(authorities);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(s_serverAuth);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    policy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        return chain.Build(leaf);
    }
}

/// <summary>Hands DotNext's Raft client (and any other named client) the p2p handler, recording failed sends.</summary>
internal sealed class PeerHandlerFactory(CertificateProvider? tls, TimeSpan connectTimeout, PeerSendFailures failures) : IHttpMessageHandlerFactory
{
    public HttpMessageHandler CreateHandler(string name) => new PeerSendRecorder(failures, PeerTls.CreateHandler(tls, connectTimeout));
}
