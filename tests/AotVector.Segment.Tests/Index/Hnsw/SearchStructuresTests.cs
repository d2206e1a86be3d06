using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Tests.Index.Hnsw;

public sealed class SearchStructuresTests
{
    [Fact]
    public void MinHeap_PopsInAscendingOrder_AndReplaceTopKeepsTheHeap()
    {
        var rng = new Random(1);
        var heap = new MinHeap(4);
        var values = Enumerable.Range(0, 500).Select(_ => (float)rng.NextDouble()).ToArray();
        for (uint i = 0; i < values.Length; i++)
        {
            heap.Push(values[i], i);
        }

        heap.ReplaceTop(2f, 999);
        var expected = values.Order().Skip(1).Append(2f).ToArray();
        var popped = new List<float>();
        while (heap.Count > 0)
        {
            popped.Add(heap.Pop().Score);
        }

        Assert.Equal(expected, popped);
    }

    [Fact]
    public void VisitedSet_ResetsPerSearch_AcrossGenerationWrap()
    {
        var visited = new VisitedSet(8);
        for (int search = 0; search < 70_000; search++)
        {
            visited.Reset(8);
            Assert.True(visited.TryVisit(3));
            Assert.False(visited.TryVisit(3));
            if (search % 1000 == 0)
            {
                Assert.True(visited.TryVisit(5));
            }
        }

        visited.Reset(16);
        Assert.Equal(16, visited.Capacity);
        Assert.True(visited.TryVisit(15));
    }
}
