using Microsoft.Win32.SafeHandles;

namespace AotVector.Storage.WriteAheadLog;

/// <summary>
/// Bookkeeping for one segment file. Only the open (last) segment holds a write handle; fields are
/// guarded by the owning <see cref="Wal"/>'s append lock.
/// </summary>
internal sealed class WalSegment
{
    public WalSegment(string path, ulong firstSequence, ulong lastSequence, long length)
    {
        Path = path;
        FirstSequence = firstSequence;
        LastSequence = lastSequence;
        Length = length;
    }

    public string Path { get; }

    public ulong FirstSequence { get; }

    /// <summary>Sequence of the last entry; <c>FirstSequence - 1</c> while empty.</summary>
    public ulong LastSequence { get; set; }

    /// <summary>Bytes of valid content (header plus entries); the next entry is written here.</summary>
    public long Length { get; set; }

    public SafeFileHandle? Handle { get; private set; }

    public bool IsEmpty => LastSequence < FirstSequence;

    /// <summary>Creates the file with its header, durable (file and directory entry) before any entry goes in.</summary>
    public static WalSegment Create(string directory, ulong firstSequence)
    {
        var path = System.IO.Path.Combine(directory, WalFormat.FileName(firstSequence));
        Span<byte> header = stackalloc byte[WalFormat.SegmentHeaderSize];
        WalFormat.WriteSegmentHeader(header, firstSequence);

        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            RandomAccess.Write(handle, header, fileOffset: 0);
            RandomAccess.FlushToDisk(handle);
            Files.AtomicFile.FlushDirectory(directory);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        var segment = new WalSegment(path, firstSequence, firstSequence - 1, WalFormat.SegmentHeaderSize);
        segment.Handle = handle;
        return segment;
    }

    /// <summary>Reopens an existing, already validated segment for appending at <see cref="Length"/>.</summary>
    public void OpenForAppend()
    {
        Handle = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
    }

    public void CloseHandle()
    {
        Handle?.Dispose();
        Handle = null;
    }
}
