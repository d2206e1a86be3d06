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
}
