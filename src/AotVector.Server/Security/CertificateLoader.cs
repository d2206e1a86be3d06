using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AotVector.Common.Errors;

namespace AotVector.Server.Security;

/// <summary>
/// Reads the PEM files of the <c>tls</c> section and checks them before anything serves from them:
/// the key must belong to the certificate and the certificate must be within its validity period.
/// A file caught half-written fails these checks like any other broken file.
/// </summary>
internal static class CertificateLoader
{
    /// <summary>A settings problem, worded for the one-line startup error (no "Wrong input" prefix).</summary>
    private static AvError Invalid(string message) => new(ErrorKind.BadRequest, message);

    /// <summary>SHA-256 over both files, so an unchanged pair is recognised without parsing it again.</summary>
    public static byte[] Digest(params byte[][] files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(BitConverter.GetBytes(file.Length));
            hash.AppendData(file);
        }

        return hash.GetHashAndReset();
    }

    public static Result<ServerCertificate> LoadServer(string certPath, string keyPath, DateTimeOffset now)
    {
        byte[] certBytes;
        byte[] keyBytes;
        try
        {
            certBytes = File.ReadAllBytes(certPath);
            keyBytes = File.ReadAllBytes(keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid($"tls.cert/tls.key: cannot read the files ({e.Message})");
        }

        return LoadServer(certBytes, keyBytes, now);
    }

    public static Result<ServerCertificate> LoadServer(byte[] certBytes, byte[] keyBytes, DateTimeOffset now)
    {
        var certPem = System.Text.Encoding.UTF8.GetString(certBytes);
        var keyPem = System.Text.Encoding.UTF8.GetString(keyBytes);
        X509Certificate2 leaf;
        var chain = new X509Certificate2Collection();
        try
        {
            // Throws when the key's public half differs from the certificate's.
            leaf = X509Certificate2.CreateFromPem(certPem, keyPem);
            chain.ImportFromPem(certPem);
        }
        catch (CryptographicException e)
        {
            return Invalid($"tls.cert/tls.key: not a usable PEM certificate and private key ({e.Message})");
        }
        catch (ArgumentException e)
        {
            return Invalid($"tls.cert/tls.key: the private key does not belong to the certificate ({e.Message})");
        }

        if (!leaf.HasPrivateKey)
        {
            leaf.Dispose();
            return Invalid("tls.key: no private key found");
        }

        if (now < leaf.NotBefore || now > leaf.NotAfter)
        {
            var span = $"{leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}";
            leaf.Dispose();
            return Invalid($"tls.cert: the certificate is valid from {span}, not now");
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key a PEM import yields; a PKCS#12 round trip gives it a real one.
            var exported = leaf.Export(X509ContentType.Pkcs12);
            leaf.Dispose();
            leaf = X509CertificateLoader.LoadPkcs12(exported, null);
        }

        // Intermediates after the leaf are sent in the handshake; offline: never fetch missing ones.
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new ServerCertificate(leaf, context, Digest(certBytes, keyBytes), now);
    }

    /// <summary>
    /// The CA certificates client certificates must chain to (<c>tls.ca_cert</c>): at least one, and every one a CA.
    /// A leaf here would lock every client out (nothing it signs exists), so it is refused rather than served.
    /// A file that mixes CAs with leaves is refused too, not filtered: the file is a list of what to trust, and
    /// trusting only part of it silently is how a wrong path (a server's full chain, say) goes unnoticed.
    /// </summary>
    public static Result<X509Certificate2Collection> LoadAuthorities(byte[] pem)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(System.Text.Encoding.UTF8.GetString(pem));
        }
        catch (CryptographicException e)
        {
            return Invalid($"tls.ca_cert: not a PEM certificate list ({e.Message})");
        }

        if (authorities.Count == 0)
        {
            return Invalid("tls.ca_cert: no certificate found");
        }

        foreach (var certificate in authorities)
        {
            if (NotAuthority(certificate) is { } why)
            {
                return Invalid($"tls.ca_cert: '{certificate.Subject}' is not a CA certificate ({why}); the file must hold CA certificates only");
            }
        }

        return authorities;
    }

    /// <summary>Why a certificate cannot sign client certificates, or null when it can (the checks a chain builder makes).</summary>
    private static string? NotAuthority(X509Certificate2 certificate)
    {
        X509BasicConstraintsExtension? constraints = null;
        X509KeyUsageExtension? usage = null;
        foreach (var extension in certificate.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension b:
                    constraints = b;
                    break;
                case X509KeyUsageExtension k:
                    usage = k;
                    break;
            }
        }

        if (constraints is null)
        {
            return "no basicConstraints extension";
        }

        if (!constraints.CertificateAuthority)
        {
            return "basicConstraints CA:false";
        }

        return usage is not null && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0
            ? "keyUsage without keyCertSign"
            : null;
    }
}
