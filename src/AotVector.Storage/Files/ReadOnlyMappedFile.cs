using System.IO.MemoryMappedFiles;

namespace AotVector.Storage.Files;

/// <summary>
/// A read-only memory mapping of a whole, immutable file (an index written once and renamed into place). Unlike
/// <see cref="MappedFile"/> it never grows, extends or writes the file, so opening it leaves the file exactly as it
/// was; its pages belong to the page cache and are faulted in as they are read, unless <see cref="Prefault"/> asks
/// for them all at once.
/// </summary>
/// <remarks><see cref="Dispose"/> must not run while a span from <see cref="GetSpan"/> is still in use; the owner
/// guarantees that with its own lifetime and locking, as for <see cref="MappedFile"/>.</remarks>
public sealed unsafe class ReadOnlyMappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _accessor;
    private byte* _pointer;

    private ReadOnlyMappedFile(MemoryMappedFile map, MemoryMappedViewAccessor accessor, byte* pointer, long length, string path)
    {
        _map = map;
        _accessor = accessor;
        _pointer = pointer;
        Length = length;
        Path = path;
    }

    /// <summary>Length of the file (and of the mapping) in bytes.</summary>
    public long Length { get; }

    public string Path { get; }

    /// <summary>Maps <paramref name="path"/> read-only. Throws <see cref="IOException"/> when it is missing or empty.</summary>
    public static ReadOnlyMappedFile Open(string path)
    {
        // The descriptor is only needed to create the mapping, which outlives it.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = file.Length;
        if (length == 0)
        {
            throw new IOException($"'{path}' is empty and cannot be mapped.");
        }

        var map = MemoryMappedFile.CreateFromFile(file, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? accessor = null;
        try
        {
            accessor = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);

            // SAFETY: acquired here and released only in Dispose; until then [pointer, pointer + length) is mapped.
            return new ReadOnlyMappedFile(map, accessor, pointer + accessor.PointerOffset, length, path);
        }
        catch
        {
            accessor?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="length"/> bytes at <paramref name="offset"/>; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> GetSpan(long offset, int length)
    {
        var pointer = _pointer;
        if (pointer is null)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(ReadOnlyMappedFile));
        }

        if ((ulong)offset > (ulong)Length || (ulong)length > (ulong)(Length - offset))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset), "Range lies outside the mapped file.");
        }

        // SAFETY: the range was checked against the mapping, which stays mapped until Dispose (by contract after the last use).
        return new ReadOnlySpan<byte>(pointer + offset, length);
    }

    /// <summary>
    /// Faults the whole file in now (MADV_POPULATE_READ, or MADV_WILLNEED on kernels without it), so the first
    /// searches take no page faults: for an index meant to stay resident. Best effort; changes nothing.
    /// </summary>
    public void Prefault()
    {
        if (!OperatingSystem.IsLinux() || _pointer is null)
        {
            return;
        }

        // SAFETY: the mapping starts page-aligned and covers Length bytes; madvise rounds the end up within it.
        if (UnixNative.Madvise(_pointer, (nuint)Length, UnixNative.MadvisePopulateRead) != 0)
        {
            _ = UnixNative.Madvise(_pointer, (nuint)Length, UnixNative.MadviseWillNeed);
        }
    }

    public void Dispose()
    {
        if (_pointer is null)
        {
            return;
        }

        _pointer = null;
        _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
        _accessor.Dispose();
        _map.Dispose();
    }
}
