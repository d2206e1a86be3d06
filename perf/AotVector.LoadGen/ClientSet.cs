namespace AotVector.LoadGen;

/// <summary>
/// The client connections of one load row: <see cref="Query"/> sends query number i from client number c and returns
/// the ids found; disposing closes every connection <paramref name="owned"/> yields (some are opened on first use).
/// </summary>
internal sealed class ClientSet(int port, Func<int, int, Task<int[]>> query, Func<IEnumerable<IDisposable?>> owned) : IDisposable
{
    public int Port { get; } = port;

    public Func<int, int, Task<int[]>> Query { get; } = query;

    public void Dispose()
    {
        foreach (var o in owned())
        {
            o?.Dispose();
        }
    }
}
