using System.Security.Cryptography;
using System.Text;

namespace AotVector.Server.Security;

/// <summary>
/// The three static keys, compared in constant time. Each side is hashed to SHA-256 first, so
/// <see cref="CryptographicOperations.FixedTimeEquals"/> always compares 32 bytes and neither the
/// content nor the length of a key leaks through timing. Every configured key is compared on
/// every call (no early exit on the first match).
/// </summary>
internal sealed class ApiKeySet
{
    private readonly byte[]? _full;
    private readonly byte[]? _alt;
    private readonly byte[]? _readOnly;

    public ApiKeySet(string? apiKey, string? altApiKey, string? readOnlyApiKey)
    {
        _full = Digest(apiKey);
        _alt = Digest(altApiKey);
        _readOnly = Digest(readOnlyApiKey);
    }

    /// <summary>False when no key is set: requests then need no credential at all.</summary>
    public bool Any => _full is not null || _alt is not null || _readOnly is not null;

    public KeyMatch Match(string credential)
    {
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(credential), presented);
        var full = EqualsKey(_full, presented);
        var alt = EqualsKey(_alt, presented);
        var readOnly = EqualsKey(_readOnly, presented);
        return (full | alt) ? KeyMatch.Full : readOnly ? KeyMatch.ReadOnly : KeyMatch.None;
    }

    private static bool EqualsKey(byte[]? key, ReadOnlySpan<byte> presented) =>
        key is not null & CryptographicOperations.FixedTimeEquals(key ?? s_absent, presented);

    // Compared against when a key is unset so every call does the same work; no input hashes to it in practice.
    private static readonly byte[] s_absent = new byte[SHA256.HashSizeInBytes];

    /// <summary>Empty counts as unset, as in Qdrant; an empty credential can therefore never match.</summary>
    private static byte[]? Digest(string? key) => string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
