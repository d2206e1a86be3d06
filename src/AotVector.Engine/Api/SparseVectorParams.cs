namespace AotVector.Engine.Api;

/// <summary>How query weights of a sparse vector are modified before scoring.</summary>
public enum SparseModifier : byte
{
    None,

    /// <summary>Each query weight is multiplied by its dimension's inverse document frequency over the collection.</summary>
    Idf,
}

/// <summary>A sparse vector's index settings, as given (unset parts are left out of the collection info).</summary>
public sealed record SparseIndexParams(ulong? FullScanThreshold = null, bool? OnDisk = null, string? Datatype = null);

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
                : new SparseIndexParams(i.FullScanThreshold ?? index.FullScanThreshold, i.OnDisk ?? index.OnDisk, i.Datatype ?? index.Datatype);
        }

        return new SparseVectorParams(index, update.Modifier ?? Modifier);
    }
}
