namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// A small lock-free pool of <see cref="SearchContext"/>s: concurrent queries each take one, and in steady
/// state no query allocates. When every slot is taken a fresh context is made (and kept if a slot is free later).
/// </summary>
internal sealed class SearchContextPool(int nodes, int maxLinks)
{
    private readonly SearchContext?[] _slots = new SearchContext?[Math.Max(4, Environment.ProcessorCount * 2)];

    public SearchContext Rent()
    {
        var slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            var context = Interlocked.Exchange(ref slots[i], null);
            if (context is not null)
            {
                return context;
            }
        }

        return new SearchContext(nodes, maxLinks);
    }

    public void Return(SearchContext context)
    {
        var slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref slots[i], context, null) is null)
            {
                return;
            }
        }
    }
}
