namespace AotVector.Engine.Api;

/// <summary>
/// Who is calling, resolved by the server's security layer (API key, read-only key or JWT claims)
/// and passed explicitly to every engine call; the engine checks it, so no front end can skip it.
/// </summary>
public sealed class AccessContext
{
    /// <summary>Everything allowed: no authentication configured, or a full API key.</summary>
    public static readonly AccessContext Full = new(AccessLevel.Manage, null);

    /// <summary>The read-only API key: every read, nothing that writes or manages.</summary>
    public static readonly AccessContext ReadOnly = new(AccessLevel.Read, null);

    public AccessContext(AccessLevel global, IReadOnlyDictionary<string, AccessLevel>? collections)
    {
        Global = global;
        Collections = collections;
    }

    /// <summary>The level granted on every collection (and, at Manage, on collection management).</summary>
    public AccessLevel Global { get; }

    /// <summary>Per-collection grants from a JWT; null when the token is global.</summary>
    public IReadOnlyDictionary<string, AccessLevel>? Collections { get; }

    public bool CanManage => Global >= AccessLevel.Manage;

    public AccessLevel LevelFor(string collection) =>
        Collections is not null && Collections.TryGetValue(collection, out var level) && level > Global ? level : Global;

    /// <summary>
    /// Whether any right at all is granted; a JWT without an <c>access</c> claim (or with an empty
    /// list) grants none, and the security layer refuses such a caller before the engine sees it.
    /// </summary>
    public bool GrantsAnything => Global > AccessLevel.None || (Collections is not null && Collections.Values.Any(l => l > AccessLevel.None));

    /// <summary>Whether the collection appears in listings at all.</summary>
    public bool CanSee(string collection) => LevelFor(collection) >= AccessLevel.Read;
}
