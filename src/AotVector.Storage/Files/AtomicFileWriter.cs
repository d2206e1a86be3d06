using System.Buffers;
using AotVector.Storage.Checksums;
using Microsoft.Win32.SafeHandles;

namespace AotVector.Storage.Files;

/// <summary>
/// Streams a file that replaces <c>path</c> atomically, as <see cref="AtomicFile.WriteAllBytes"/> does, without
/// holding it in memory: the body goes to <c>path + ".tmp"</c> in chunks of about 1 MiB while its CRC-32C and length
/// are kept, then <see cref="Commit"/> writes the fixed-size header in front (which usually carries both), fsyncs
/// and renames. A segment's state file for a million points with payloads is hundreds of megabytes; built in one
/// buffer it cost two to three times that on the heap at every rewrite. Disposing without a commit deletes the
/// temporary file and leaves <c>path</c> as it was.
/// </summary>
public sealed class AtomicFileWriter : IBufferWriter<byte>, IDisposable
{
    private const int ChunkBytes = 1 << 20;

    private readonly string _path;
    private readonly string _tempPath;
    private readonly int _headerSize;
    private readonly ArrayBufferWriter<byte> _chunk = new(ChunkBytes + 4096);
    private SafeFileHandle? _handle;
    private long _position;
    private uint _crc;

    /// <summary>Creates <c>path + ".tmp"</c> with <paramref name="headerSize"/> bytes reserved for the header.</summary>
    public AtomicFileWriter(string path, int headerSize)
    {
        _path = Path.GetFullPath(path);
        _tempPath = _path + ".tmp";
        _headerSize = headerSize;
        _handle = File.OpenHandle(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None);
        _position = headerSize;
    }

    /// <summary>Body bytes written so far (the header excluded).</summary>
    public long BodyLength => _position - _headerSize + _chunk.WrittenCount;

    /// <summary>CRC-32C of the body so far; final once everything is written.</summary>
    public uint BodyCrc => Crc32C.Append(_crc, _chunk.WrittenSpan);

    public Span<byte> GetSpan(int sizeHint = 0) => _chunk.GetSpan(sizeHint);

    public Memory<byte> GetMemory(int sizeHint = 0) => _chunk.GetMemory(sizeHint);

    public void Advance(int count)
    {
        _chunk.Advance(count);
        if (_chunk.WrittenCount >= ChunkBytes)
        {
            Spill();
        }
    }

    /// <summary>
    /// Writes <paramref name="header"/> (exactly the reserved size) at the start, fsyncs the file, renames it over
    /// the target and fsyncs the directory. The writer is finished afterwards.
    /// </summary>
    public void Commit(ReadOnlySpan<byte> header)
    {
        if (header.Length != _headerSize)
        {
            throw new ArgumentException($"The header is {header.Length} bytes; {_headerSize} were reserved.", nameof(header));
        }

        var handle = _handle ?? throw new ObjectDisposedException(nameof(AtomicFileWriter));
        Spill();
        RandomAccess.Write(handle, header, fileOffset: 0);
        RandomAccess.FlushToDisk(handle);
        handle.Dispose();
        _handle = null;
        File.Move(_tempPath, _path, overwrite: true);
        AtomicFile.FlushDirectory(Path.GetDirectoryName(_path)!);
    }

    public void Dispose()
    {
        if (_handle is { } handle)
        {
            handle.Dispose();
            _handle = null;
            File.Delete(_tempPath);
        }
    }

    private void Spill()
    {
        var handle = _handle ?? throw new ObjectDisposedException(nameof(AtomicFileWriter));
        var written = _chunk.WrittenSpan;
        RandomAccess.Write(handle, written, _position);
        _crc = Crc32C.Append(_crc, written);
        _position += written.Length;
        _chunk.ResetWrittenCount();
    }
}
