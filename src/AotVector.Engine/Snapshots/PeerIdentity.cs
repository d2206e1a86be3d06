using System.Globalization;
using System.Security.Cryptography;
using AotVector.Storage.Files;

namespace AotVector.Engine.Snapshots;

/// <summary>
/// This node's peer id, which the reference puts in snapshot names: a random number chosen once and kept in the
/// storage (<c>peer_id</c>), as the reference keeps its own in its raft state even when it runs alone. In cluster
/// mode it is also the peer's id in the cluster metadata, in the reference's range 1..=2^53 (ids stay exact in JSON).
/// </summary>
public static class PeerIdentity
{
    /// <summary>The largest id <c>cluster.peer_id</c> may set, as the reference's.</summary>
    public const ulong MaxConfigured = (1UL << 53) - 1;

    private const string FileName = "peer_id";

    /// <summary>
    /// The stored id; without one, <paramref name="configured"/> (<c>cluster.peer_id</c>) or a random one, stored
    /// for the next start. A stored id wins over the configured one, as the reference's persisted state does.
    /// </summary>
    public static ulong Load(string storagePath, ulong? configured = null)
    {
        var path = Path.Combine(storagePath, FileName);
        try
        {
            if (File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != 0)
            {
                return id;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        var fresh = configured ?? (BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % (1UL << 53)) + 1;
        try
        {
            Directory.CreateDirectory(storagePath);
            AtomicFile.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes(fresh.ToString(CultureInfo.InvariantCulture) + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unwritable storage fails later with a clearer message; the id then only lasts this run.
        }

        return fresh;
    }
}
