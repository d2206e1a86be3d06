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
    private readonly byte[]? _heap;
    private readonly ReadOnlyMappedFile? _file;
    private readonly long _offset;

    private CodeRows(byte[]? heap, ReadOnlyMappedFile? file, long offset, int length, MemoryPlacement placement)
    {
        _heap = heap;
        _file = file;
        _offset = offset;
        Length = length;
        Placement = placement;
    }

    public int Length { get; }

    public MemoryPlacement Placement { get; }

    public ReadOnlySpan<byte> Span => _heap ?? _file!.GetSpan(_offset, Length);

    /// <summary>Rows held on the heap.</summary>
    public static CodeRows Heap(byte[] rows) => new(rows, null, 0, rows.Length, MemoryPlacement.Pinned);

    /// <summary>
    /// These rows placed as <paramref name="placement"/>: copied onto the heap when pinned, else the <paramref name="length"/>
    /// bytes at <paramref name="offset"/> of <paramref name="path"/> (the file the codes were saved to) mapped. Null when the
    /// file no longer holds rows of this length there.
    /// </summary>
    public CodeRows? Place(MemoryPlacement placement, string path, long offset)
    {
        if (placement == MemoryPlacement.Pinned)
        {
            return _heap is not null ? this : Heap(Span.ToArray());
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

        return new CodeRows(null, file, offset, Length, placement);
    }

    public void Dispose() => _file?.Dispose();
}
