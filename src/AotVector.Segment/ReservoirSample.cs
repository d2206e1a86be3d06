using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// A uniform random sample of up to <c>capacity</c> ids from a stream of unknown length (reservoir sampling): after
/// n offers, every offered id is in the sample with the same probability, capacity / n. Memory is the capacity only.
/// </summary>
public sealed class ReservoirSample(int capacity, Random random)
{
    private readonly List<PointId> _items = new(Math.Clamp(capacity, 0, 1024));

    /// <summary>Ids offered so far.</summary>
    public ulong Seen { get; private set; }

    public void Offer(PointId id)
    {
        Seen++;
        if (_items.Count < capacity)
        {
            _items.Add(id);
            return;
        }

        var slot = random.NextInt64((long)Math.Min(Seen, long.MaxValue));
        if (slot < capacity)
        {
            _items[(int)slot] = id;
        }
    }

    /// <summary>The sample in random order (the reservoir's own order is not uniform: early ids sit in early slots).</summary>
    public List<PointId> Shuffled()
    {
        var result = new List<PointId>(_items);
        for (var i = result.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }
}
