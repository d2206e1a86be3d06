using System.Buffers.Binary;
using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Index.Payloads;
using AotVector.Storage.Checksums;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Hnsw;

/// <summary>
/// Payload-aware extra links on seeded data: a walk that follows only matching nodes finds a restrictive value's
/// neighbours through them (and not without them); they are saved in the graph file, and a version-1 file still opens.
/// </summary>
public sealed class PayloadLinksTests
{
    private const int Dim = 16;
    private const int Points = 4000;
    private const int K = 10;

    // Every 12th point holds the value: about 8% of the points, spread over the whole space.
    private static bool[] Mask()
    {
        var mask = new bool[Points];
        for (var i = 0; i < Points; i += 12)
        {
            mask[i] = true;
        }

        return mask;
    }

    private static (ArrayVectorSource Source, IHnswIndex Graph, PayloadBlock Block) Build()
    {
        var data = SeededRandom.Vectors(61, Points, Dim).SelectMany(v => v).ToArray();
        var source = new ArrayVectorSource(data, Dim);
        var graph = HnswIndex.Build(Distance.Euclid, source, new HnswParameters(16, 100), threads: 1);
        var mask = Mask();
        var offsets = Enumerable.Range(0, Points).Where(i => mask[i]).Select(i => (uint)i).ToArray();
        return (source, graph, new PayloadBlock("tag", PayloadValue.FromString("rare"), offsets));
    }

    private static double Recall(ArrayVectorSource source, IHnswIndex graph, bool linked)
    {
        var mask = Mask();
        var found = 0;
        var results = new ScoredOffset[K];
        foreach (var query in SeededRandom.Vectors(62, 50, Dim))
        {
            var exact = Enumerable.Range(0, Points).Where(i => mask[i])
                .OrderBy(i => Squared(query, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(source.Get((uint)i)))).Take(K).Select(i => (uint)i).ToHashSet();
            var n = graph.Search(query, K, 64, new MaskFilter(mask), default, results, default, acorn: false, linked: linked);
            Assert.All(results[..n], r => Assert.True(mask[r.Offset]));
            found += results[..n].Count(r => exact.Contains(r.Offset));
        }

        return found / (50.0 * K);
    }

    private static float Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return sum;
    }

    [Fact]
    public void LinkedWalk_WithBlockLinks_KeepsRecall_WithoutThemDoesNot()
    {
        var (source, graph, block) = Build();
        using var _ = graph;

        // The same walk with no extra links: matching nodes reach few matching neighbours through the main links.
        graph.AttachPayloadLinks(new PayloadLinks([(block.Field, block.Value)], new uint[Points + 1], []));
        var without = Recall(source, graph, linked: true);

        var links = PayloadLinksBuilder.Build(graph, multi: false, source, [block], new HnswParameters(16, 100), fullScanThreshold: 100, threads: 1, default);
        Assert.NotNull(links);
        Assert.True(links!.LinkCount > 0);
        graph.AttachPayloadLinks(links);
        var with = Recall(source, graph, linked: true);

        Assert.True(with >= 0.95, $"recall with links {with:F3}");
        Assert.True(without < 0.95, $"recall without links {without:F3}");
        Assert.True(links.Covers(new Common.Filtering.FieldCondition("tag", Match: new Common.Filtering.MatchValue(PayloadValue.FromString("rare")))));
        Assert.False(links.Covers(new Common.Filtering.FieldCondition("tag", Match: new Common.Filtering.MatchValue(PayloadValue.FromString("other")))));
    }

    [Fact]
    public void Build_SkipsBlocksAtOrBelowAQuarterOfTheThreshold_AndAboveThePercolationBound()
    {
        var (source, graph, block) = Build();
        using var _ = graph;
        Assert.Null(PayloadLinksBuilder.Build(graph, false, source, [block], new HnswParameters(16, 100), fullScanThreshold: block.Offsets.Length * 4, threads: 1, default));
        var everything = new PayloadBlock("all", PayloadValue.FromBool(true), [.. Enumerable.Range(0, Points).Select(i => (uint)i)]);
        Assert.Null(PayloadLinksBuilder.Build(graph, false, source, [everything], new HnswParameters(16, 100), fullScanThreshold: 100, threads: 1, default));
    }

    [Fact]
    public void SaveAndOpen_KeepsTheLinks_AndAVersion1FileStillOpens()
    {
        using var dir = new TempDirectory();
        var (source, graph, block) = Build();
        using (graph)
        {
            graph.AttachPayloadLinks(PayloadLinksBuilder.Build(graph, false, source, [block], new HnswParameters(8, 100), 100, 1, default));
            graph.Save(dir.Combine("linked.bin"));
            graph.AttachPayloadLinks(null);
            graph.Save(dir.Combine("plain.bin"));
        }

        using (var opened = HnswIndex.Open(dir.Combine("linked.bin"), Distance.Euclid, source).Value!)
        {
            var links = opened.PayloadLinks;
            Assert.NotNull(links);
            Assert.Equal([("tag", PayloadValue.FromString("rare"))], links!.Blocks);
            Assert.True(Recall(source, opened, linked: true) >= 0.95);
        }

        // A version-1 file: the plain file without its (empty) links section, header rewritten.
        var bytes = File.ReadAllBytes(dir.Combine("plain.bin"));
        var header = HnswFormat.TryRead(bytes, out _)!.Value;
        var body = bytes.AsSpan(HnswFormat.HeaderSize, (int)header.BodyLength - 4);
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(HnswFormat.HeaderSize + (int)header.BodyLength - 4)));
        var old = header with { FormatVersion = HnswFormat.Version1, BodyLength = body.Length, BodyCrc = Crc32C.Compute(body) };
        var file = new byte[HnswFormat.HeaderSize + body.Length];
        HnswFormat.Write(file, old);
        body.CopyTo(file.AsSpan(HnswFormat.HeaderSize));
        File.WriteAllBytes(dir.Combine("v1.bin"), file);
        using var v1 = HnswIndex.Open(dir.Combine("v1.bin"), Distance.Euclid, source).Value!;
        Assert.Null(v1.PayloadLinks);
        Assert.Equal(Points, (int)v1.Count);
    }
}
