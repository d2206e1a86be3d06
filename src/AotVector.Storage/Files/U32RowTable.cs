using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AotVector.Storage.Files;

/// <summary>
/// A read-only table of fixed-size rows of u32, addressed with 64-bit offsets: unlike one span, it may cover more
/// than 2 GiB, so a large table in a <see cref="MappedFile"/> is used in place. Backed by a managed array or by a range
/// of a mapping (<see cref="MappedFile.GetRows"/>); allocation-free, each <see cref="Row"/> is a span of one row.
/// </summary>
/// <remarks>
/// SAFETY: the table holds a reference to its first element and trusts <c>rows · stride</c> elements behind it, which
/// the array constructor and <see cref="MappedFile.GetRows"/> check. An array is kept alive by that reference; a mapping
/// only until its owner disposes it, the same contract as <see cref="MappedFile.GetSpan"/> (a ref struct never reaches
/// the heap, so no one can keep it past that owner's lifetime by accident).
/// </remarks>
public readonly ref struct U32RowTable
{
    private readonly ref readonly uint _first;
    private readonly ulong _rows;
    private readonly int _stride;

    /// <summary>The whole rows of <paramref name="array"/> (a trailing partial row is left out).</summary>
    public U32RowTable(uint[] array, int stride)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (stride <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(stride), "Stride must be positive.");
        }

        _first = ref MemoryMarshal.GetArrayDataReference(array);
        _rows = (ulong)(array.Length / stride);
        _stride = stride;
    }

    /// <summary>Callers guarantee <paramref name="rows"/> · <paramref name="stride"/> readable elements from <paramref name="first"/>.</summary>
    internal U32RowTable(ref readonly uint first, long rows, int stride)
    {
        _first = ref first;
        _rows = (ulong)rows;
        _stride = stride;
    }

    public long RowCount => (long)_rows;

    /// <summary>Elements per row.</summary>
    public int Stride => _stride;

    /// <summary>Row <paramref name="index"/>, all <see cref="Stride"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<uint> Row(uint index)
    {
        if (index >= _rows)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index), "Row index past the end of the table.");
        }

        // SAFETY: index < rows, so [index · stride, (index + 1) · stride) lies inside the checked range;
        // the product is taken in nuint, so it cannot wrap as (int)index * stride did past 2^31 elements.
        ref uint start = ref Unsafe.Add(ref Unsafe.AsRef(in _first), (nuint)index * (nuint)_stride);
        return MemoryMarshal.CreateReadOnlySpan(ref start, _stride);
    }
}
