using System.Runtime.InteropServices;

namespace AotVector.Storage.Files;

/// <summary>
/// Whole-file replacement that never leaves a torn file behind: after a crash a reader sees either
/// the complete old contents or the complete new contents. Used for metadata (collection config,
/// segment manifests, version files).
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="data"/>: writes <c>path + ".tmp"</c>, fsyncs it,
    /// renames it over <paramref name="path"/> (atomic on POSIX and NTFS) and fsyncs the directory so the
    /// rename itself survives a crash. Writers of one path must be serialized by the caller.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data)
    {
        var fullPath = Path.GetFullPath(path);
        var tempPath = fullPath + ".tmp";
        try
        {
            using var handle = File.OpenHandle(tempPath, FileMode.Create, FileAccess.Write, FileShare.None);
            RandomAccess.Write(handle, data, fileOffset: 0);
            RandomAccess.FlushToDisk(handle);
        }
        catch (IOException)
        {
            // A full disk: the old file stays as it was, and no half-written temporary file is left taking space.
            File.Delete(tempPath);
            throw;
        }

        File.Move(tempPath, fullPath, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>
    /// Makes the directory's entries (files created, renamed or deleted in it) durable: fsync of the
    /// directory on Unix. .NET cannot open a directory handle (<c>File.OpenHandle</c> throws
    /// <see cref="UnauthorizedAccessException"/>), so this calls libc directly. On Windows it does nothing:
    /// NTFS journals metadata and a directory cannot be flushed from user mode.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = UnixNative.Open(directory, UnixNative.ReadOnly);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {errno}).");
        }

        try
        {
            if (UnixNative.FSync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();

                // EINVAL: the filesystem does not support fsync on directories (some network/FUSE mounts); nothing to do.
                if (errno != 22)
                {
                    throw new IOException($"fsync of directory '{directory}' failed (errno {errno}).");
                }
            }
        }
        finally
        {
            UnixNative.Close(fd);
        }
    }
}
