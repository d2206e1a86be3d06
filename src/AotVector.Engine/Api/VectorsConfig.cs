namespace AotVector.Engine.Api;

/// <summary>
/// A collection's vectors: one unnamed vector (<see cref="Single"/>, stored under the name "")
/// or a map of named vectors. Exactly one of the two is set.
/// </summary>
public sealed record VectorsConfig(VectorParams? Single, IReadOnlyDictionary<string, VectorParams>? Named)
{
    /// <summary>The name under which the unnamed vector is stored.</summary>
    public const string DefaultName = "";

    public IEnumerable<KeyValuePair<string, VectorParams>> All =>
        Single is not null ? [new(DefaultName, Single)] : Named ?? (IEnumerable<KeyValuePair<string, VectorParams>>)[];

    public VectorParams? Find(string name) =>
        Single is not null ? (name == DefaultName ? Single : null) : Named is not null && Named.TryGetValue(name, out var p) ? p : null;

    /// <summary>
    /// These vectors with <paramref name="name"/> added (or replaced). The unnamed vector becomes the one named ""
    /// of a map, as the reference turns a single vector into named ones when a name is added beside it.
    /// </summary>
    public VectorsConfig With(string name, VectorParams vector)
    {
        var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        foreach (var (n, p) in All)
        {
            named[n] = p;
        }

        named[name] = vector;
        return new VectorsConfig(null, named);
    }

    /// <summary>These vectors without <paramref name="name"/>; without the unnamed one, an empty map.</summary>
    public VectorsConfig Without(string name)
    {
        if (Find(name) is null)
        {
            return this;
        }

        var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        foreach (var (n, p) in All)
        {
            if (n != name)
            {
                named[n] = p;
            }
        }

        return new VectorsConfig(null, named);
    }
}
