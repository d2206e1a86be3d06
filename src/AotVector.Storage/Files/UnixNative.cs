using System.Runtime.InteropServices;

namespace AotVector.Storage.Files;

/// <summary>
/// The libc calls .NET does not expose: <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/>
/// refuses directories, yet a rename or a new file is only durable once its directory is fsynced; and madvise, to
/// drop the resident pages of a superseded mapping or to fault pages in ahead of writes.
/// </summary>
internal static partial class UnixNative
{
    private const string LibC = "libc";

    // O_RDONLY is 0 on every Unix we target; O_DIRECTORY/O_CLOEXEC differ per architecture, so they are not used.
    public const int ReadOnly = 0;

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(LibC, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    // MADV_DONTNEED is 4 on Linux (every architecture .NET runs on).
    public const int MadviseDontNeed = 4;

    // MADV_POPULATE_WRITE (Linux 5.14+) is 23 on every architecture; older kernels refuse it with EINVAL.
    public const int MadvisePopulateWrite = 23;

    // MADV_WILLNEED is 3; MADV_POPULATE_READ (Linux 5.14+) is 22 on every architecture.
    public const int MadviseWillNeed = 3;

    public const int MadvisePopulateRead = 22;

    [LibraryImport(LibC, EntryPoint = "madvise", SetLastError = true)]
    public static unsafe partial int Madvise(void* address, nuint length, int advice);

    public const int NoSpace = 28;

    // realpath(3) into a caller's buffer of PATH_MAX (4096 on Linux) bytes; null on failure.
    [LibraryImport(LibC, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint RealPath(string path, byte[] resolved);

    [LibraryImport(LibC, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existing, string created);

    // Returns 0 or an errno (it does not set errno). off_t is 64 bits on every 64-bit Linux .NET runs on.
    [LibraryImport(LibC, EntryPoint = "posix_fallocate")]
    public static partial int PosixFallocate(int fd, long offset, long length);
}
