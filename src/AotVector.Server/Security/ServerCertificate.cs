using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Server.Security;

/// <summary>A loaded, checked server certificate: the leaf with its key, and the context SslStream serves from.</summary>
internal sealed record ServerCertificate(X509Certificate2 Leaf, SslStreamCertificateContext Context, byte[] SourceDigest);
