using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Testing.Fakes;

/// <summary>
/// Records what a front end passed to <see cref="ICollectionsApi"/> and answers with canned values: collections
/// <see cref="Names"/>, the alias <see cref="Aliases"/>, every info request <see cref="Info"/>, every change true.
/// When <see cref="Error"/> is set every call fails with it instead.
/// </summary>
public sealed class FakeCollectionsApi : ICollectionsApi
{
    /// <summary>Deleting this name answers false, as deleting a collection that does not exist does.</summary>
    public const string Missing = "missing";

    public AccessContext? LastAccess { get; private set; }

    /// <summary>The last call's request: the mapped request, the collection name, or the alias operations.</summary>
    public object? LastRequest { get; private set; }

    public CreateCollectionRequest? LastCreate => LastRequest as CreateCollectionRequest;

    public UpdateCollectionRequest? LastUpdate => LastRequest as UpdateCollectionRequest;

    public string? LastName => LastRequest as string;

    public IReadOnlyList<AliasOperation>? LastAliasOperations => LastRequest as IReadOnlyList<AliasOperation>;

    public AvError? Error { get; set; }

    public List<string> Names { get; } = ["a", "b"];

    public List<AliasDescription> Aliases { get; } = [new("x", "a")];

    public CollectionInfo Info { get; set; } = SampleInfo();

    /// <summary>Three points in two segments, one 4-d cosine vector, default configs, a keyword index on "city".</summary>
    public static CollectionInfo SampleInfo() => new(
        CollectionStatus.Green,
        null,
        3,
        0,
        2,
        new CollectionConfig(
            new CollectionParams(new VectorsConfig(new VectorParams(4, Distance.Cosine), null), 1, 1, 1, true),
            HnswConfig.Default,
            OptimizersConfig.Default,
            WalConfig.Default),
        new Dictionary<string, PayloadSchemaInfo> { ["city"] = new(PayloadSchemaType.Keyword, 3) });

    public ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct) =>
        ValueTask.FromResult(Answer(access, request, true));

    public ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct) =>
        ValueTask.FromResult(Answer(access, request, true));

    public ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct) =>
        ValueTask.FromResult(Answer(access, name, name != Missing));

    public Result<CollectionInfo> GetInfo(AccessContext access, string name) => Answer(access, name, Info);

    public Result<IReadOnlyList<string>> List(AccessContext access) => Answer<IReadOnlyList<string>>(access, null, [.. Names]);

    public Result<bool> Exists(AccessContext access, string name) => Answer(access, name, Names.Contains(name));

    public ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct) =>
        ValueTask.FromResult(Answer(access, operations, true));

    public Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access) => Answer<IReadOnlyList<AliasDescription>>(access, null, [.. Aliases]);

    public Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection) =>
        Answer<IReadOnlyList<AliasDescription>>(access, collection, [.. Aliases.Where(a => a.CollectionName == collection)]);

    /// <summary>The shard transfers every cluster info answer lists.</summary>
    public IReadOnlyList<ShardTransferInfo> ClusterTransfers { get; set; } = [];

    public Result<CollectionClusterInfo> ClusterInfo(AccessContext access, string name) =>
        Answer(access, name, new CollectionClusterInfo(0, 1, [new LocalShardInfo(0, 0, ReplicaState.Active)], []) { ShardTransfers = ClusterTransfers });

    /// <summary>The timeout the last cluster operation was given.</summary>
    public TimeSpan? LastClusterTimeout { get; private set; }

    public ValueTask<Result<bool>> UpdateClusterAsync(AccessContext access, string name, ClusterOperation operation, TimeSpan? timeout, CancellationToken ct)
    {
        LastClusterTimeout = timeout;
        return ValueTask.FromResult(Answer(access, operation, true));
    }

    private Result<T> Answer<T>(AccessContext access, object? request, T value)
    {
        LastAccess = access;
        LastRequest = request;
        return Error is { } error ? Result<T>.Fail(error) : Result<T>.Ok(value);
    }
}
