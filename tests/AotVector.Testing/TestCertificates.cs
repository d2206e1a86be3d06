using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Testing;

/// <summary>
/// Certificates made in-process for tests: a CA, leaves it signs (server, client or both, with SANs
/// localhost and 127.0.0.1), and PEM text for the files the server reads. ECDSA P-256 keeps it fast.
/// </summary>
public static class TestCertificates
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");
    private static long s_serial = 1000;

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
    }

    public static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string name, bool server = true, bool client = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var purposes = new OidCollection();
        if (server)
        {
            purposes.Add(s_serverAuth);
        }

        if (client)
        {
            purposes.Add(s_clientAuth);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(purposes, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref s_serial));
        using var signed = request.Create(issuer, notBefore ?? now.AddHours(-1), notAfter ?? now.AddYears(1), serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed certificate carrying exactly <paramref name="extensions"/> (none: no basicConstraints at all).</summary>
    public static X509Certificate2 CreateSelfSigned(string name, params X509Extension[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    public static string CertPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    public static string KeyPem(X509Certificate2 certificate) =>
        (certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no key")).ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>Writes cert and key PEM files (cert.pem, key.pem) into <paramref name="dir"/>.</summary>
    public static (string Cert, string Key) WritePair(string dir, X509Certificate2 certificate, string prefix = "")
    {
        var cert = Path.Combine(dir, prefix + "cert.pem");
        var key = Path.Combine(dir, prefix + "key.pem");
        File.WriteAllText(cert, CertPem(certificate));
        File.WriteAllText(key, KeyPem(certificate));
        return (cert, key);
    }
}
