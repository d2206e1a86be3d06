using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Server.Security;

/// <summary>
/// mTLS: a client certificate is accepted only when it chains to one of the <c>tls.ca_cert</c>
/// authorities (and nothing else: the system roots do not count), is within its validity, and,
/// if it names its purposes, allows client authentication. No revocation lookups (no network at handshake).
/// </summary>
internal static class ClientCertificateValidator
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    public static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, X509Certificate2Collection authorities)
    {
        if (certificate is null)
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(authorities);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(s_clientAuth);
        if (presented is not null)
        {
            // Intermediates the client sent may complete the path; they are not trusted by themselves.
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
