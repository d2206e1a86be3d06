using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine;

public sealed partial class VectorEngine
{
    public ValueTask<Result<UpdateResult>> CreateVectorNameAsync(AccessContext access, string collection, CreateVectorNameRequest request, WriteOptions options, CancellationToken ct) =>
        new(_updates.Run(() => Guard(() =>
        {
            var found = Resolve(access, collection, AccessLevel.ReadWrite);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (_options.Clustered)
            {
                return Unsupported.ClusterVectorNames;
            }

            if (VectorNameRules.Create(request) is { } invalid)
            {
                return invalid;
            }

            return _space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full ? full : c.CreateVectorName(request, options.Wait);
        })));

    public ValueTask<Result<UpdateResult>> DeleteVectorNameAsync(AccessContext access, string collection, string vectorName, WriteOptions options, CancellationToken ct) =>
        new(_updates.Run(() => Guard(() =>
        {
            var found = Resolve(access, collection, AccessLevel.ReadWrite);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (_options.Clustered)
            {
                return Unsupported.ClusterVectorNames;
            }

            if (VectorNameRules.Name(vectorName) is { } invalid)
            {
                return invalid;
            }

            return _space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full ? full : c.DeleteVectorName(vectorName, options.Wait);
        })));
}
