using AotVector.Common.Errors;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Api;

/// <summary>Where the reference keeps a payload index (<c>memory</c>); the engine keeps every index in RAM (<see cref="Pinned"/>).</summary>
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

    /// <summary>
    /// The refusal of a creation whose parameters ask for what the engine does not do, or null. A value equal to what
    /// the engine does anyway (<c>on_disk: false</c>, <c>memory: pinned</c>, <c>lookup: true</c>…) is accepted; the
    /// others would change layout, placement or which queries the index serves, so each is refused until it is built.
    /// </summary>
    public static AvError? Check(CreateFieldIndex create)
    {
        var o = create.Options ?? new FieldIndexOptions();
        var onDisk = o.OnDisk ?? create.Text?.OnDisk;
        var enableHnsw = o.EnableHnsw ?? create.Text?.EnableHnsw;
        if (o.Lookup == false && o.Range == false)
        {
            return new AvError(ErrorKind.BadRequest, "Validation error: lookup: the 'lookup' and 'range' capabilities can't be both disabled");
        }

        return o.IsTenant == true ? Unsupported.IndexParameter("tenant-aware payload indexes (`is_tenant`) are")
            : o.IsPrincipal == true ? Unsupported.IndexParameter("principal payload indexes (`is_principal`) are")
            : (o.Memory ?? (onDisk == true ? IndexMemory.Cold : IndexMemory.Pinned)) != IndexMemory.Pinned
                ? Unsupported.IndexParameter("payload indexes outside RAM (`on_disk: true`, `memory: cold` or `cached`) are")
            : o.Lookup == false || o.Range == false ? Unsupported.IndexParameter("integer indexes without `lookup` or `range` are")
            : enableHnsw == false ? Unsupported.IndexParameter("`enable_hnsw: false` on a payload index is")
            : o.Prefix == true ? Unsupported.IndexParameter("prefix-indexed keywords (`prefix`) are")
            : null;
    }
}
