using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Tests.Fakes;

internal sealed class FakeCollectionsApi : ICollectionsApi
{
    public CreateCollectionRequest? LastCreate { get; private set; }
    public UpdateCollectionRequest? LastUpdate { get; private set; }
    public string? LastName { get; private set; }
    public IReadOnlyList<AliasOperation>? LastAliasOperations { get; private set; }
    public AvError? Error { get; set; }
    public List<string> Names { get; } = ["a", "b"];
    public List<AliasDescription> Aliases { get; } = [new("x", "a")];

    public CollectionInfo Info { get; set; } = new(
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

    public ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct)
    {
        LastCreate = request;
        return ValueTask.FromResult(Answer(true));
    }

    public ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct)
    {
        LastUpdate = request;
        return ValueTask.FromResult(Answer(true));
    }

    public ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct)
    {
        LastName = name;
        return ValueTask.FromResult(Answer(name != "missing"));
    }

    public Result<CollectionInfo> GetInfo(AccessContext access, string name)
    {
        LastName = name;
        return Answer(Info);
    }

    public Result<IReadOnlyList<string>> List(AccessContext access) => Answer<IReadOnlyList<string>>(Names);

    public Result<bool> Exists(AccessContext access, string name)
    {
        LastName = name;
        return Answer(Names.Contains(name));
    }

    public ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct)
    {
        LastAliasOperations = operations;
        return ValueTask.FromResult(Answer(true));
    }

    public Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access) => Answer<IReadOnlyList<AliasDescription>>(Aliases);

    public Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection)
    {
        LastName = collection;
        return Answer<IReadOnlyList<AliasDescription>>(Aliases.Where(a => a.CollectionName == collection).ToList());
    }

    private Result<T> Answer<T>(T value) => Error is { } e ? Result<T>.Fail(e) : Result<T>.Ok(value);
}
