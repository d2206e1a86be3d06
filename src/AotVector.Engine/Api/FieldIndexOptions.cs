using AotVector.Common.Errors;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Api;

/// <summary>Where the reference keeps a payload index (<c>memory</c>); the engine keeps every index on the heap (<see cref="Pinned"/>).</summary>
public enum IndexMemory : byte
{
    Cold = 1,
    Cached = 2,
    Pinned = 3,
}

/// <summary>
/// The parameters the reference accepts on a payload index beside its type, as the wire gave them (null: not given;
/// a front end reads only those the index type has, ignoring the rest as the reference does). Text's own
/// <c>on_disk</c> and <c>enable_hnsw</c> travel in its <see cref="Common.FullText.TextIndexParams"/>.
/// </summary>
public sealed record FieldIndexOptions(
    bool? IsTenant = null,
    bool? IsPrincipal = null,
    bool? OnDisk = null,
    IndexMemory? Memory = null,
    bool? EnableHnsw = null,
    bool? Lookup = null,
    bool? Range = null,
    bool? Prefix = null)
{
    /// <summary><paramref name="options"/>, or null when it gives nothing (so a bare type and empty params read alike).</summary>
    public static FieldIndexOptions? OrNull(FieldIndexOptions? options) => options == new FieldIndexOptions() ? null : options;

    /// <summary>The parameters as the segment keeps them with the index.</summary>
    internal Segment.FieldIndexParams ToSegment() => new(IsTenant, IsPrincipal, OnDisk, Memory switch
    {
        IndexMemory.Cold => Segment.MemoryPlacement.Cold,
        IndexMemory.Cached => Segment.MemoryPlacement.Cached,
        IndexMemory.Pinned => Segment.MemoryPlacement.Pinned,
        _ => null,
    }, EnableHnsw, Lookup, Range, Prefix);

    /// <summary>The parameters a segment kept with an index, or null for a bare type.</summary>
    internal static FieldIndexOptions? From(Segment.FieldIndexParams? p) => p is null ? null : new(p.IsTenant, p.IsPrincipal, p.OnDisk, p.Memory switch
    {
        Segment.MemoryPlacement.Cold => IndexMemory.Cold,
        Segment.MemoryPlacement.Cached => IndexMemory.Cached,
        Segment.MemoryPlacement.Pinned => IndexMemory.Pinned,
        _ => null,
    }, p.EnableHnsw, p.Lookup, p.Range, p.Prefix);

    /// <summary>
    /// The refusal of a creation whose parameters ask for what the engine does not do, or null. Tenant and principal
    /// fields lay merged segments out by their value, <c>lookup</c>/<c>range</c> switch off what an integer index
    /// answers, <c>enable_hnsw: false</c> leaves a field out of the graph's payload links (only keyword, integer and bool
    /// values have links here, so on other types it changes nothing, as what the engine does anyway); a placement off the heap and
    /// keyword <c>prefix</c> matching are refused until they are built (a value equal to the default is accepted).
    /// </summary>
    public static AvError? Check(CreateFieldIndex create)
    {
        var o = create.Options ?? new FieldIndexOptions();
        var onDisk = o.OnDisk ?? create.Text?.OnDisk;
        if (o.Lookup == false && o.Range == false)
        {
            return new AvError(ErrorKind.BadRequest, "Validation error: lookup: the 'lookup' and 'range' capabilities can't be both disabled");
        }

        return (o.Memory ?? (onDisk == true ? IndexMemory.Cold : IndexMemory.Pinned)) != IndexMemory.Pinned
                ? Unsupported.IndexParameter("payload indexes outside RAM (`on_disk: true`, `memory: cold` or `cached`) are")
            : o.Prefix == true ? Unsupported.IndexParameter("prefix-indexed keywords (`prefix`) are")
            : null;
    }
}
