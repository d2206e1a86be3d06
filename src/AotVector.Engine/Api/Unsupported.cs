using AotVector.Common.Errors;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// Request features the engine does not serve yet, and the one refusal each gets whichever front end read the
/// request: REST 400 / gRPC INVALID_ARGUMENT with "Wrong input: … not supported yet". A front end that finds one of
/// these on its wire answers with the value here: it never accepts and drops it, and never words the refusal itself,
/// so REST and gRPC cannot drift. When the engine learns a feature, its gate goes and both front ends map it.
/// Whole APIs not served yet (<see cref="UnsupportedApi"/>) are refused the same way, by route and by RPC.
/// </summary>
/// <remarks>
/// Accepted and ignored on purpose, because they cannot change a standalone answer: shard keys, read consistency and
/// write ordering standalone (there is one replica; a cluster serves them), and the search param <c>indexed_only</c>
/// (every segment is searched in full).
/// </remarks>
public static class Unsupported
{
    /// <summary>
    /// The refusal of a <c>quantization_config</c> kind the engine does not build yet, or null for one it does
    /// (scalar int8, binary, product). One gate per kind, so each is turned on by itself.
    /// </summary>
    public static AvError? QuantizationKind(Engine.Api.QuantizationKind kind) => kind switch
    {
        Engine.Api.QuantizationKind.Scalar => null,
        Engine.Api.QuantizationKind.Product => null,
        Engine.Api.QuantizationKind.Binary => null,
        Engine.Api.QuantizationKind.Turbo => Refusal("turbo quantization is"),
    };

    /// <summary>Images or objects given where a vector is expected (the reference embeds them with a model; documents are run by BM25).</summary>
    public static AvError InferenceInputs { get; } = Refusal("inference inputs (Image, InferenceObject) are");

    public static AvError CustomSharding { get; } = Refusal("custom sharding is");

    /// <summary>
    /// Adding or removing a named vector in cluster mode: it changes the collection's config, which peers agree on
    /// through consensus, and that operation does not go through it yet (applied on one peer, the peers would differ).
    /// </summary>
    public static AvError ClusterVectorNames { get; } = Refusal("adding or removing a named vector in cluster mode is");

    /// <summary>Copying another collection's points at creation (deprecated in the reference; a snapshot does it).</summary>
    public static AvError InitFrom { get; } = AvError.BadRequest("init_from is not supported");

    /// <summary>A payload index parameter asking for what the engine does not do (<see cref="FieldIndexOptions.Check"/>).</summary>
    public static AvError IndexParameter(string what) => Refusal(what);

    /// <summary>A Snowball stemmer language of the reference not built in (see <c>SnowballStemmers</c>).</summary>
    public static AvError StemmerLanguage(string language) => Refusal("the `" + language + "` stemmer is");

    /// <summary>
    /// The refusal of a dense vector datatype, named as on the REST wire, or null for the ones the engine stores
    /// (<c>float32</c>, <c>float16</c>, <c>uint8</c>; see <see cref="VectorDatatypes.TryParse"/>).
    /// </summary>
    public static AvError? Datatype(string name) =>
        VectorDatatypes.TryParse(name, out _) ? null : AvError.BadRequest("vector datatype `" + name + "` is not supported yet, use float32, float16 or uint8");

    /// <summary>
    /// The refusal of a sparse index datatype, or null for <c>float32</c>, <c>float16</c> and <c>uint8</c> (the built
    /// index's weights; the stored sparse vectors stay float32). <c>turbo4</c> is refused as the reference refuses it.
    /// </summary>
    public static AvError? SparseDatatype(string name) =>
        VectorDatatypes.TryParse(name, out _) ? null : AvError.Validation("[datatype: sparse vectors do not support the `" + name + "` datatype]");

    /// <summary>The refusal of a datatype other than float32 for a multivector, or for a vector added to an existing collection.</summary>
    public static AvError? DatatypeOf(string what, VectorDatatype datatype) =>
        datatype == VectorDatatype.Float32 ? null : AvError.BadRequest($"vector datatype `{VectorDatatypes.Name(datatype)}` for {what} is not supported yet, use float32");

    /// <summary>
    /// An API of the reference that no route or RPC here serves yet: REST 405, gRPC UNIMPLEMENTED (the statuses the
    /// reference gives the APIs a standalone node cannot serve), with the same text on both.
    /// </summary>
    public static AvError Api(UnsupportedApi api) => new(ErrorKind.Unimplemented, ApiName(api) + " not supported yet");

    /// <summary>A route an earlier version of the reference served and 1.19 no longer does: 404 like 1.19, saying why.</summary>
    public static AvError RemovedRoute(string route, string removedIn) =>
        AvError.NotFound($"{route} was removed in Qdrant {removedIn}");

    private static string ApiName(UnsupportedApi api) => api switch
    {
        UnsupportedApi.PartialSnapshots => "partial snapshots are",
        UnsupportedApi.ShardKeys => "shard keys are",
        UnsupportedApi.CollectionCluster => "collection cluster info and shard operations are",
        UnsupportedApi.Cluster => "cluster operations are",
        UnsupportedApi.LocalShards => "the local shard API is",
        UnsupportedApi.Quotas => "quotas are",
        UnsupportedApi.CollectionMemory => "collection memory reports are",
        UnsupportedApi.TruncateUnappliedWal => "`truncate_unapplied_wal` is",
        UnsupportedApi.Logger => "changing the logger at runtime (`/logger`) is",
        UnsupportedApi.Debugger => "the debugger API is",
        UnsupportedApi.Profiler => "the profiler API is",
        UnsupportedApi.AuditLogQuery => "querying audit logs over the API is",
        UnsupportedApi.Stacktrace => "stack traces over the API are",
        UnsupportedApi.WebUi => "the web UI (dashboard) is",
        UnsupportedApi.StorageRead => "the storage read API (`qdrant.StorageRead`) is",
        UnsupportedApi.Reflection => "gRPC server reflection is",
    };

    /// <summary>A cluster operation not built yet (shard keys, resharding, point replication), by its wire name.</summary>
    public static AvError ClusterOperation(string name) => Refusal("the cluster operation `" + name + "` is");

    private static AvError Refusal(string what) => AvError.BadRequest(what + " not supported yet");
}

/// <summary>APIs of the reference that the server does not serve yet, each refused by <see cref="Unsupported.Api"/>.</summary>
public enum UnsupportedApi : byte
{
    /// <summary>Partial shard snapshots (create, recover, recover from a peer, manifest).</summary>
    PartialSnapshots,
    ShardKeys,
    /// <summary><c>/collections/{name}/cluster</c>: shard placement and its changes.</summary>
    CollectionCluster,
    /// <summary>Peer removal, recovery, cluster metadata and cluster telemetry.</summary>
    Cluster,
    LocalShards,
    Quotas,
    CollectionMemory,
    TruncateUnappliedWal,
    Logger,
    Debugger,
    Profiler,
    AuditLogQuery,
    Stacktrace,
    WebUi,
    StorageRead,
    Reflection,
}
