namespace AotVector.Engine.Api;

/// <summary>How query weights of a sparse vector are modified before scoring.</summary>
public enum SparseModifier : byte
{
    None,

    /// <summary>Each query weight is multiplied by its dimension's inverse document frequency over the collection.</summary>
    Idf,
}

/// <summary>
/// A sparse vector's index settings, as given (unset parts are left out of the collection info). <see cref="Datatype"/>:
/// how the built index stores its weights (<c>float32</c>, <c>float16</c>, <c>uint8</c> scaled per posting list);
/// <see cref="Memory"/>: <c>cold</c>, <c>cached</c> or <c>pinned</c>, over the deprecated <see cref="OnDisk"/>.
/// </summary>
public sealed record SparseIndexParams(ulong? FullScanThreshold = null, bool? OnDisk = null, string? Datatype = null)
{
    public string? Memory { get; init; }

    /// <summary>
    /// Whether the built index is left to the page cache: <see cref="Memory"/> <c>cold</c>, else the deprecated
    /// <see cref="OnDisk"/> true, as the reference resolves them (<c>cached</c> and <c>pinned</c> are faulted in at open).
    /// </summary>
    public bool IndexOnDisk => Memory switch
    {
        "cold" => true,
        "cached" or "pinned" => false,
        _ => OnDisk ?? false,
    };
}

/// <summary>One sparse vector of a collection.</summary>
public sealed record SparseVectorParams(SparseIndexParams? Index = null, SparseModifier? Modifier = null)
{
    /// <summary>The reference's default full-scan threshold of a sparse index.</summary>
    public const ulong DefaultFullScanThreshold = 5000;

    /// <summary>These parameters with the parts <paramref name="update"/> sets replaced, as a PATCH applies them.</summary>
    public SparseVectorParams Apply(SparseVectorParams update)
    {
        var index = Index;
        if (update.Index is { } i)
        {
            index = index is null
                ? i
                : new SparseIndexParams(i.FullScanThreshold ?? index.FullScanThreshold, i.OnDisk ?? index.OnDisk, i.Datatype ?? index.Datatype) { Memory = i.Memory ?? index.Memory };
        }

        return new SparseVectorParams(index, update.Modifier ?? Modifier);
    }
}
