using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// Request features the engine does not serve yet, and the one refusal each gets whichever front end read the
/// request: REST 400 / gRPC INVALID_ARGUMENT with "Wrong input: … not supported yet". A front end that finds one of
/// these on its wire answers with the value here: it never accepts and drops it, and never words the refusal itself,
/// so REST and gRPC cannot drift. When the engine learns a feature, its gate goes and both front ends map it.
/// </summary>
/// <remarks>
/// Accepted and ignored on purpose, because they cannot change a standalone answer: shard keys, read consistency and
/// write ordering (there is one replica), and the search params <c>quantization</c>, <c>indexed_only</c> and
/// <c>acorn</c> (there are no quantized vectors, and every segment is searched in full).
/// </remarks>
public static class Unsupported
{
    /// <summary>A <c>quantization_config</c>, for the collection or one vector, on create or update.</summary>
    public static AvError Quantization { get; } = Refusal("quantization is");

    public static AvError SparseVectors { get; } = Refusal("sparse vectors are");

    /// <summary>Text, images or objects given where a vector is expected (the reference embeds them with a model).</summary>
    public static AvError InferenceInputs { get; } = Refusal("inference inputs (Document, Image, InferenceObject) are");

    public static AvError Prefetch { get; } = Refusal("prefetch queries are");

    /// <summary>A scroll ordered by a payload field.</summary>
    public static AvError ScrollOrderBy { get; } = Refusal("order_by is");

    public static AvError CustomSharding { get; } = Refusal("custom sharding is");

    /// <summary>Copying another collection's points at creation (deprecated in the reference; a snapshot does it).</summary>
    public static AvError InitFrom { get; } = AvError.BadRequest("init_from is not supported");

    /// <summary>Overwriting the payload under a nested key.</summary>
    public static AvError OverwritePayloadKey { get; } = AvError.BadRequest("`key` is not supported when overwriting a payload yet");

    public static AvError SliceCondition { get; } = Refusal("slice conditions are");

    /// <summary>A query kind other than nearest and recommend.</summary>
    public static AvError Query(UnsupportedQuery kind) => Refusal(kind switch
    {
        UnsupportedQuery.Discover => "`discover` queries are",
        UnsupportedQuery.Context => "`context` queries are",
        UnsupportedQuery.OrderBy => "`order_by` queries are",
        UnsupportedQuery.Fusion => "`fusion` queries are",
        UnsupportedQuery.Rrf => "`rrf` queries are",
        UnsupportedQuery.Formula => "`formula` queries are",
        UnsupportedQuery.Sample => "`sample` queries are",
        UnsupportedQuery.RelevanceFeedback => "`relevance_feedback` queries are",
        UnsupportedQuery.Mmr => "MMR (maximal marginal relevance) queries are",
    });

    /// <summary>
    /// The refusal of a vector datatype, named as on the REST wire (<c>float16</c>, <c>uint8</c>…), or null for
    /// <c>float32</c>, the one the engine stores.
    /// </summary>
    public static AvError? Datatype(string name) =>
        name == "float32" ? null : AvError.BadRequest("vector datatype `" + name + "` is not supported yet, use float32");

    private static AvError Refusal(string what) => AvError.BadRequest(what + " not supported yet");
}

/// <summary>Query kinds of the reference's universal query that the engine does not run yet.</summary>
public enum UnsupportedQuery : byte
{
    Discover,
    Context,
    OrderBy,
    Fusion,
    Rrf,
    Formula,
    Sample,
    RelevanceFeedback,
    Mmr,
}
