using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Grpc.Tests.TestSupport;

/// <summary>Records what the service passed and answers with whatever the test configured.</summary>
internal sealed class FakeCollectionsApi : ICollectionsApi
{
    public AccessContext? LastAccess { get; private set; }

    public object? LastRequest { get; private set; }

    public Result<bool> BoolResult { get; set; } = true;

    public Result<CollectionInfo> InfoResult { get; set; } = AvError.CollectionNotFound("missing");

    public Result<IReadOnlyList<string>> ListResult { get; set; } = Result<IReadOnlyList<string>>.Ok(["a", "b"]);

    public Result<IReadOnlyList<AliasDescription>> AliasesResult { get; set; } =
        Result<IReadOnlyList<AliasDescription>>.Ok([new AliasDescription("alias", "a")]);

    public ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct) => Record(access, request, BoolResult);

    public ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct) => Record(access, request, BoolResult);

    public ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct) => Record(access, name, BoolResult);

    public Result<CollectionInfo> GetInfo(AccessContext access, string name) => RecordSync(access, name, InfoResult);

    public Result<IReadOnlyList<string>> List(AccessContext access) => RecordSync(access, null, ListResult);

    public Result<bool> Exists(AccessContext access, string name) => RecordSync(access, name, BoolResult);

    public ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct) => Record(access, operations, BoolResult);

    public Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access) => RecordSync(access, null, AliasesResult);

    public Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection) => RecordSync(access, collection, AliasesResult);

    private ValueTask<Result<T>> Record<T>(AccessContext access, object? request, Result<T> result) => ValueTask.FromResult(RecordSync(access, request, result));

    private Result<T> RecordSync<T>(AccessContext access, object? request, Result<T> result)
    {
        LastAccess = access;
        LastRequest = request;
        return result;
    }
}
