using System.Text;

namespace AotVector.Storage.Files;

/// <summary>
/// The file system calls .NET lacks for snapshots: hard links (a second name for a file's inode, so a snapshot keeps
/// a file's content when its original name is later replaced or deleted) and the canonical path of a file with
/// every symbolic link along it resolved (to confine paths to a directory).
/// </summary>
public static class HardLink
{
    /// <summary>False where the file system or platform has none (the caller copies instead).</summary>
    public static bool TryCreate(string existing, string created) =>
        !OperatingSystem.IsWindows() && UnixNative.Link(existing, created) == 0;

    /// <summary>The canonical absolute path of an existing <paramref name="path"/>; null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
        }

        var buffer = new byte[4097];
        if (UnixNative.RealPath(path, buffer) == 0)
        {
            return null;
        }

        var length = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }
}
