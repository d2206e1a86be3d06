using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Server.Security;

/// <summary>
/// A loaded, checked server certificate: the leaf with its key, the context SslStream serves from, and
/// when it was loaded (one snapshot, so /metrics never pairs one certificate's expiry with another's load time).
/// </summary>
internal sealed record ServerCertificate(X509Certificate2 Leaf, SslStreamCertificateContext Context, byte[] SourceDigest, DateTimeOffset LoadedAt)
{
    public DateTimeOffset NotAfter { get; } = new(Leaf.NotAfter.ToUniversalTime());
}
