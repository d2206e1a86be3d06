using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Checksums;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Hnsw;

/// <summary>
/// The chunked save and the in-place open that let graph files pass 2 GiB, exercised with tiny chunks so no test
/// needs gigabytes: the chunked result must equal the one-shot one.
/// </summary>
public sealed class HnswStreamingSaveTests
{
    private const int Dim = 16;
    private const int K = 10;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(10_000)]
    [InlineData(1 << 20)]
    public void BodyWriter_AnyChunkSize_WritesTheBytesAndTheOneShotCrc(int chunkBytes)
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        var data = new byte[10_001];
        random.NextBytes(data);
        var words = new uint[333];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = (uint)random.Next();
        }

        var path = dir.Combine("body.bin");
        long length;
        uint crc;
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            var writer = new HnswFormat.BodyWriter(handle, chunkBytes);
            // Uneven pieces so they straddle the chunk boundaries.
            for (int position = 0; position < data.Length;)
            {
                int piece = Math.Min(random.Next(1, 700), data.Length - position);
                writer.Append(data.AsSpan(position, piece));
                position += piece;
            }

            writer.Append(words);
            writer.AppendZeros(3);
            writer.Flush();
            length = writer.Length;
            crc = writer.Crc;
        }

        byte[] expected = [.. data, .. MemoryMarshal.AsBytes(words.AsSpan()), 0, 0, 0];
        var file = File.ReadAllBytes(path);
        Assert.Equal(expected.Length, length);
        Assert.Equal(HnswFormat.HeaderSize + expected.Length, file.Length);
        Assert.Equal(expected, file.AsSpan(HnswFormat.HeaderSize).ToArray());
        Assert.Equal(Crc32C.Compute(expected), crc);
    }

    [Fact]
    public void Save_TinyChunks_WritesTheSameFileAsTheDefaultChunk()
    {
        using var dir = new TempDirectory();
        var data = HnswTestData.Clustered(11, 1500, Dim, Distance.Euclid);
        using var index = (HnswGraph<DenseSimilarity<EuclidMetric>>)HnswIndex.Build(Distance.Euclid, new ArrayVectorSource(data, Dim), new HnswParameters(8, 60, Seed: 2), threads: 1);
        index.Save(dir.Combine("default.bin"));
        var reference = File.ReadAllBytes(dir.Combine("default.bin"));

        // The header's CRC and length describe the body exactly as a one-shot Crc32C.Compute sees it.
        var header = HnswFormat.TryRead(reference, out var problem);
        Assert.True(header is not null, problem);
        Assert.Equal(reference.Length - HnswFormat.HeaderSize, header.Value.BodyLength);
        Assert.Equal(Crc32C.Compute(reference.AsSpan(HnswFormat.HeaderSize)), header.Value.BodyCrc);
        Assert.Equal(HnswFormat.Version, BinaryPrimitives.ReadUInt32LittleEndian(reference.AsSpan(8)));

        foreach (int chunk in new[] { 1, 7, 4096 })
        {
            var path = dir.Combine($"chunk-{chunk}.bin");
            index.Save(path, chunk);
            Assert.Equal(reference, File.ReadAllBytes(path));
            Assert.False(File.Exists(path + ".tmp"));
        }
    }

    [Fact]
    public void Open_SavedGraph_MapsLevel0InPlaceWithoutACopyAndSearchesTheSame()
    {
        const int Count = 2000;
        using var dir = new TempDirectory();
        var data = HnswTestData.Clustered(12, Count, Dim, Distance.Euclid);
        var queries = HnswTestData.Clustered(12, 40, Dim, Distance.Euclid, pointSeed: 1);
        var source = new ArrayVectorSource(data, Dim);
        var path = dir.Combine("hnsw.bin");
        List<ScoredOffset[]> built;
        using (var index = (HnswGraph<DenseSimilarity<EuclidMetric>>)HnswIndex.Build(Distance.Euclid, source, HnswParameters.Default, threads: 2))
        {
            Assert.False(index.IsLevel0Mapped);
            index.Save(path);
            index.Save(dir.Combine("from-memory.bin"), chunkBytes: 100);
            built = SearchAll(index, queries);
        }

        // Read before opening: the mapping pads the file to a page.
        var original = File.ReadAllBytes(path);

        // The first open pays any one-time runtime allocations, so the second measures Open alone.
        HnswGraph<DenseSimilarity<EuclidMetric>>.Open(path, source).Value!.Dispose();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var opened = HnswGraph<DenseSimilarity<EuclidMetric>>.Open(path, source);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(opened.IsOk);
        long level0Bytes = (long)Count * (1 + HnswParameters.Default.M0) * sizeof(uint);
        using (var graph = opened.Value!)
        {
            Assert.True(graph.IsLevel0Mapped);
            // Levels and upper layers are a small fraction of layer 0, so a copy of it could not fit this budget.
            Assert.True(allocated < level0Bytes / 2, $"Open allocated {allocated} bytes; layer 0 is {level0Bytes}.");
            Assert.Equal(built, SearchAll(graph, queries));
            graph.Save(dir.Combine("from-mapping.bin"), chunkBytes: 100);
        }

        // The mapped layer 0 streams out in chunks to the same bytes as the in-memory one.
        Assert.Equal(original, File.ReadAllBytes(dir.Combine("from-mapping.bin")));
        Assert.Equal(original, File.ReadAllBytes(dir.Combine("from-memory.bin")));
    }

    private static List<ScoredOffset[]> SearchAll(IHnswIndex index, float[] queries)
    {
        var all = new List<ScoredOffset[]>();
        var hits = new ScoredOffset[K];
        for (int q = 0; q < queries.Length / Dim; q++)
        {
            int n = index.Search(queries.AsSpan(q * Dim, Dim), K, 32, default(AcceptAllFilter), default, hits);
            all.Add(hits.AsSpan(0, n).ToArray());
        }

        return all;
    }
}
