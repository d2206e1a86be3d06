using System.Runtime.InteropServices;
using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class U32RowTableTests
{
    // Shaped like an HNSW layer 0 at m=16 (33 u32 per row after a 64-byte header), and long enough that rows
    // start past 2^31 and 2^32 bytes and past 2^31 elements (where an int row offset used to wrap).
    private const int Stride = 33;
    private const long Header = 64;
    private const long Rows = 70_000_000;
    private const long RowBytes = Stride * sizeof(uint);

    [Fact]
    public void Row_SparseMappingOver8GiB_ReadsRowsWrittenPast2GiB4GiBAndIntElements()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("rows.bin");
        // A sparse file: only the pages written below take disk space.
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            stream.SetLength(Header + (Rows * RowBytes));
        }

        using var file = MappedFile.Open(path, 1);
        Assert.True(file.Capacity > 8L << 30);
        uint[] indices = [0, FirstRowPast(1L << 31), FirstRowPast(1L << 32), (uint)((int.MaxValue / Stride) + 1), (uint)(Rows - 1)];
        foreach (uint index in indices)
        {
            MemoryMarshal.Cast<byte, uint>(file.GetSpan(Header + (index * RowBytes), (int)RowBytes)).Fill(index ^ 0xA5A5A5A5);
        }

        var table = file.GetRows(Header, Rows, Stride);
        Assert.Equal(Rows, table.RowCount);
        Assert.Equal(Stride, table.Stride);
        foreach (uint index in indices)
        {
            var row = table.Row(index);
            Assert.Equal(Stride, row.Length);
            Assert.True(row.IndexOfAnyExcept(index ^ 0xA5A5A5A5) < 0, $"row {index}");
        }

        // Neighbours of a written row are untouched holes, so the rows did not land shifted.
        Assert.True(table.Row(indices[2] - 1).IndexOfAnyExcept(0u) < 0);
        Assert.True(table.Row(indices[2] + 1).IndexOfAnyExcept(0u) < 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(Header, Rows, Stride).Row((uint)Rows));
    }

    [Fact]
    public void GetRows_OutsideTheMappingOrMisaligned_Throws()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);

        Assert.Equal(4096 / 8, file.GetRows(0, 4096 / 8, 2).RowCount);
        Assert.Equal(0, file.GetRows(4096, 0, 2).RowCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(0, (4096 / 8) + 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(8, 4096 / 8, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(4100, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(2, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(0, -1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetRows(0, long.MaxValue / 2, 2));
    }

    [Fact]
    public void GetRows_SeesWritesThroughSpansAndSurvivesGrowth()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);
        // Row 1, column 1 of a stride-3 table at byte 16.
        MemoryMarshal.Cast<byte, uint>(file.GetSpan(16, 36))[4] = 77;

        file.EnsureCapacity(1 << 20);
        var table = file.GetRows(16, 3, 3);

        Assert.Equal([0u, 77u, 0u], table.Row(1).ToArray());
    }

    [Fact]
    public void Row_OverAnArray_IsThatSliceAndStopsAtTheLastWholeRow()
    {
        var array = Enumerable.Range(0, 11).Select(i => (uint)i).ToArray();
        var table = new U32RowTable(array, 3);

        Assert.Equal(3, table.RowCount);
        Assert.Equal([0u, 1u, 2u], table.Row(0).ToArray());
        Assert.Equal([6u, 7u, 8u], table.Row(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new U32RowTable(array, 3).Row(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new U32RowTable(array, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => default(U32RowTable).Row(0));
    }

    // The first row starting beyond byte offset bytes of the file.
    private static uint FirstRowPast(long bytes) => (uint)(((bytes - Header) / RowBytes) + 1);
}
