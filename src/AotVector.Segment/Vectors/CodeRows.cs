using System.Runtime.InteropServices;
using AotVector.Storage.Files;

namespace AotVector.Segment.Vectors;

/// <summary>
/// The rows of quantized codes, wherever their placement keeps them: a heap array (<see cref="MemoryPlacement.Pinned"/>,
/// and every set of codes as built), or the codes file mapped read-only, faulted in at once
/// (<see cref="MemoryPlacement.Cached"/>) or on demand (<see cref="MemoryPlacement.Cold"/>).
/// </summary>
/// <remarks><see cref="Dispose"/> unmaps the file; the owning column calls it once no search can use these rows.</remarks>
internal sealed class CodeRows : IDisposable
{
    // On the heap as bytes or as 64-bit words (binary codes are built as words, and filled after this is made).
    private readonly byte[]? _heap;
    private readonly ulong[]? _words;
    private readonly ReadOnlyMappedFile? _file;
    private readonly long _offset;

    private CodeRows(byte[]? heap, ulong[]? words, ReadOnlyMappedFile? file, long offset, int length, MemoryPlacement placement)
    {
        _heap = heap;
        _words = words;
        _file = file;
        _offset = offset;
        Length = length;
        Placement = placement;
    }

    public int Length { get; }

    public MemoryPlacement Placement { get; }

    public ReadOnlySpan<byte> Span => _heap ?? (_words is not null ? MemoryMarshal.AsBytes(_words.AsSpan()) : _file!.GetSpan(_offset, Length));

    /// <summary>Rows held on the heap.</summary>
    public static CodeRows Heap(byte[] rows) => new(rows, null, null, 0, rows.Length, MemoryPlacement.Pinned);

    /// <summary>Rows of 64-bit words held on the heap.</summary>
    public static CodeRows Heap(ulong[] rows) => new(null, rows, null, 0, checked(rows.Length * sizeof(ulong)), MemoryPlacement.Pinned);

    /// <summary>
    /// These rows placed as <paramref name="placement"/>: copied onto the heap when pinned, else the <paramref name="length"/>
    /// bytes at <paramref name="offset"/> of <paramref name="path"/> (the file the codes were saved to) mapped. Null when the
    /// file no longer holds rows of this length there.
    /// </summary>
    public CodeRows? Place(MemoryPlacement placement, string path, long offset)
    {
        if (placement == MemoryPlacement.Pinned)
        {
            return _file is null ? this : Heap(Span.ToArray());
        }

        ReadOnlyMappedFile file;
        try
        {
            file = ReadOnlyMappedFile.Open(path);
        }
        catch (IOException)
        {
            return null;
        }

        if (file.Length != offset + Length)
        {
            file.Dispose();
            return null;
        }

        if (placement == MemoryPlacement.Cached)
        {
            file.Prefault();
        }

        return new CodeRows(null, null, file, offset, Length, placement);
    }

    public void Dispose() => _file?.Dispose();
}
