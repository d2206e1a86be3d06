using System.Runtime.InteropServices;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Hnsw;

public sealed class Level0LinksTests
{
    private const int Stride = 33;

    [Fact]
    public void Neighbors_NodePast2To31Elements_ReadsItsRecordFromASparseMapping()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("hnsw.bin");
        // 70M nodes at m=16: a 9 GiB layer 0 as a sparse file, so only the written records take disk space.
        const long Nodes = 70_000_000;
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            stream.SetLength(HnswFormat.HeaderSize + (Nodes * Stride * sizeof(uint)));
        }

        using var file = MappedFile.Open(path, 1);
        // (int)node * stride wrapped for this node, whose record starts past 2^31 elements (8 GiB).
        uint node = (uint)((int.MaxValue / Stride) + 1);
        var record = MemoryMarshal.Cast<byte, uint>(file.GetSpan(HnswFormat.HeaderSize + ((long)node * Stride * sizeof(uint)), Stride * sizeof(uint)));
        record[0] = 3;
        record[1] = 7;
        record[2] = node - 1;
        record[3] = (uint)(Nodes - 1);

        var links = new Level0Links(file.GetRows(HnswFormat.HeaderSize, Nodes, Stride));
        links.PrefetchNeighbors(node);

        Assert.Equal([7u, node - 1, (uint)(Nodes - 1)], links.Neighbors(node).ToArray());
        Assert.True(links.Neighbors(node - 1).IsEmpty);
        Assert.True(links.Neighbors((uint)(Nodes - 1)).IsEmpty);
    }

    [Fact]
    public void Neighbors_OverAnArray_ReturnsTheCountedLinks()
    {
        var table = new uint[3 * Stride];
        table[Stride] = 2;
        table[Stride + 1] = 0;
        table[Stride + 2] = 2;

        var links = new Level0Links(new U32RowTable(table, Stride));

        Assert.Equal([0u, 2u], links.Neighbors(1).ToArray());
        Assert.True(links.Neighbors(2).IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Level0Links(new U32RowTable(table, Stride)).Neighbors(3));
    }
}
