using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Checksums;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Hnsw;

/// <summary>
/// The chunked save and the copy-to-memory open that let graph files pass 2 GiB, exercised with tiny chunks and limits
/// so no test needs gigabytes: the chunked result must equal the one-shot one.
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
        using var index = (HnswGraph<EuclidMetric>)HnswIndex.Build(Distance.Euclid, new ArrayVectorSource(data, Dim), new HnswParameters(8, 60, Seed: 2), threads: 1);
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
    public void Open_Level0OverTheMappingLimit_IsCopiedToMemoryAndSearchesTheSame()
    {
        using var dir = new TempDirectory();
        var data = HnswTestData.Clustered(12, 2000, Dim, Distance.Euclid);
        var queries = HnswTestData.Clustered(12, 40, Dim, Distance.Euclid, pointSeed: 1);
        var source = new ArrayVectorSource(data, Dim);
        var path = dir.Combine("hnsw.bin");
        List<ScoredOffset[]> built;
        using (var index = HnswIndex.Build(Distance.Euclid, source, HnswParameters.Default, threads: 2))
        {
            index.Save(path);
            built = SearchAll(index, queries);
        }

        // Read before opening: the mapping pads the file to a page.
        var original = File.ReadAllBytes(path);

        var mapped = HnswGraph<EuclidMetric>.Open(path, source);
        var copied = HnswGraph<EuclidMetric>.Open(path, source, mappedLevel0Limit: 0);
        Assert.True(mapped.IsOk && copied.IsOk);
        using (var a = mapped.Value!)
        using (var b = copied.Value!)
        {
            Assert.Equal(built, SearchAll(a, queries));
            Assert.Equal(built, SearchAll(b, queries));

            // A graph whose layer 0 lives in memory saves the same bytes as the mapped one.
            b.Save(dir.Combine("from-memory.bin"), chunkBytes: 100);
            a.Save(dir.Combine("from-mapping.bin"), chunkBytes: 100);
        }

        Assert.Equal(File.ReadAllBytes(dir.Combine("from-mapping.bin")), File.ReadAllBytes(dir.Combine("from-memory.bin")));
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
