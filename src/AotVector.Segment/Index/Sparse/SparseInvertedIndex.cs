namespace AotVector.Segment.Index.Sparse;

/// <summary>
/// Posting lists of one sparse vector of a segment: for each dimension, the offsets whose vector has a weight there
/// and that weight, in ascending offset order. Scoring a query walks only the lists of the query's dimensions, so
/// its cost follows the query's non-zeros and their document frequencies, not the segment's size.
/// </summary>
/// <remarks>Not thread-safe: the segment's owner keeps writers apart from readers, as for the rest of the segment.</remarks>
public sealed class SparseInvertedIndex
{
    private readonly Dictionary<uint, PostingList> _postings = [];

    /// <summary>Number of dimensions with at least one posting.</summary>
    public int DimensionCount => _postings.Count;

    /// <summary>Postings over all dimensions (one per stored non-zero).</summary>
    public long PostingCount { get; private set; }

    /// <summary>Number of offsets whose vector has a weight at <paramref name="dimension"/>.</summary>
    public int DocumentFrequency(uint dimension) => _postings.TryGetValue(dimension, out var list) ? list.Count : 0;

    public void Add(uint offset, ReadOnlySpan<uint> indices, ReadOnlySpan<float> values)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            if (!_postings.TryGetValue(indices[i], out var list))
            {
                list = new PostingList();
                _postings[indices[i]] = list;
            }

            list.Insert(offset, values[i]);
        }

        PostingCount += indices.Length;
    }

    public void Remove(uint offset, ReadOnlySpan<uint> indices)
    {
        foreach (var dimension in indices)
        {
            if (_postings.TryGetValue(dimension, out var list) && list.Remove(offset))
            {
                PostingCount--;
                if (list.Count == 0)
                {
                    _postings.Remove(dimension);
                }
            }
        }
    }

    /// <summary>
    /// Adds <c>weight * posting</c> to <paramref name="scores"/>[offset] for every posting of each query dimension and
    /// marks the offset in <paramref name="touched"/> (its first touch appends it to <paramref name="order"/>). Only
    /// offsets that share a dimension with the query are touched.
    /// </summary>
    public void Accumulate(ReadOnlySpan<uint> indices, ReadOnlySpan<float> values, float[] scores, bool[] touched, List<uint> order)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            if (!_postings.TryGetValue(indices[i], out var list))
            {
                continue;
            }

            var weight = values[i];
            var offsets = list.Offsets;
            var weights = list.Weights;
            for (var p = 0; p < list.Count; p++)
            {
                var offset = offsets[p];
                if (!touched[offset])
                {
                    touched[offset] = true;
                    order.Add(offset);
                }

                scores[offset] += weight * weights[p];
            }
        }
    }

    // Parallel arrays sorted by offset; offsets mostly arrive in ascending order, so inserting is mostly appending.
    private sealed class PostingList
    {
        public uint[] Offsets = new uint[4];
        public float[] Weights = new float[4];
        public int Count;

        public void Insert(uint offset, float weight)
        {
            var at = Count > 0 && Offsets[Count - 1] < offset ? Count : Array.BinarySearch(Offsets, 0, Count, offset);
            if (at >= 0 && at < Count)
            {
                Weights[at] = weight; // already there: replace
                return;
            }

            at = at < 0 ? ~at : at;
            if (Count == Offsets.Length)
            {
                Array.Resize(ref Offsets, Count * 2);
                Array.Resize(ref Weights, Count * 2);
            }

            Array.Copy(Offsets, at, Offsets, at + 1, Count - at);
            Array.Copy(Weights, at, Weights, at + 1, Count - at);
            Offsets[at] = offset;
            Weights[at] = weight;
            Count++;
        }

        public bool Remove(uint offset)
        {
            var at = Array.BinarySearch(Offsets, 0, Count, offset);
            if (at < 0)
            {
                return false;
            }

            Array.Copy(Offsets, at + 1, Offsets, at, Count - at - 1);
            Array.Copy(Weights, at + 1, Weights, at, Count - at - 1);
            Count--;
            return true;
        }
    }
}
