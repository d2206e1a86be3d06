namespace AotVector.Segment;

/// <summary>
/// The parameters a payload index was created with beside its type, as given (null: not given), kept with the index
/// so the payload schema shows them as created. An instance with nothing set still means "created with a params
/// object", which the reference shows differently from a bare type. A text index's own parameters are in its
/// <see cref="Common.FullText.TextIndexParams"/>.
/// </summary>
public sealed record FieldIndexParams(
    bool? IsTenant = null,
    bool? IsPrincipal = null,
    bool? OnDisk = null,
    MemoryPlacement? Memory = null,
    bool? EnableHnsw = null,
    bool? Lookup = null,
    bool? Range = null,
    bool? Prefix = null)
{
    /// <summary>
    /// Whether the optimizer lays points out by this field (the reference's tenant optimization: a keyword or uuid
    /// <c>is_tenant</c>, a number or datetime <c>is_principal</c>).
    /// </summary>
    public bool LaysOut => IsTenant == true || IsPrincipal == true;

    /// <summary>Whether graph builds add payload links for this field's values (<c>enable_hnsw</c>, default true).</summary>
    public static bool LinksFor(FieldIndexParams? p) => p?.EnableHnsw != false;

    /// <summary>Whether an integer index answers <c>match</c> conditions (<c>lookup</c>, default true).</summary>
    public static bool Looks(FieldIndexParams? p) => p?.Lookup != false;

    /// <summary>Whether an integer index answers <c>range</c> conditions and orders points (<c>range</c>, default true).</summary>
    public static bool Ranges(FieldIndexParams? p) => p?.Range != false;
}
