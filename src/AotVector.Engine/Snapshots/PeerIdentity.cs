using System.Globalization;
using System.Security.Cryptography;
using AotVector.Storage.Files;

namespace AotVector.Engine.Snapshots;

/// <summary>
/// This node's peer id, which the reference puts in snapshot names: a random number chosen once and kept in the
/// storage (<c>peer_id</c>), as the reference keeps its own in its raft state even when it runs alone.
/// </summary>
internal static class PeerIdentity
{
    private const string FileName = "peer_id";

    public static ulong Load(string storagePath)
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

        var fresh = (BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 11) | 1;
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
