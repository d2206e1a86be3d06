using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Query;
using AotVector.Engine.Strict;

namespace AotVector.Engine;

/// <summary>Reads that summarise many points: grouped queries, facet counts and the distance matrix.</summary>
public sealed partial class VectorEngine
{
    public ValueTask<Result<IReadOnlyList<PointGroup>>> QueryGroupsAsync(AccessContext access, string collection, GroupsRequest request, ReadOptions options, CancellationToken ct) =>
        ValueTask.FromResult(WithTimeout(options, "GroupBy", ct, token => Guard(() =>
        {
            if (request.Source.Limit == 0)
            {
                return Result<IReadOnlyList<PointGroup>>.Fail(AvError.Validation("[limit: " + RequestRules.ZeroLimit + "]"));
            }

            if (request.GroupSize == 0)
            {
                return AvError.Validation("[group_size: " + RequestRules.ZeroLimit + "]");
            }

            if (QueryTreeCheck.Check(request.Source) is { } refused)
            {
                return refused;
            }

            // The caller's access first: embedding a document costs CPU.
            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (!Inference.DocumentInference.Resolve(request.Source).TryGet(out var source, out var inferenceError))
            {
                return inferenceError;
            }

            request = request with { Source = source };

            if (StrictRead(c, strict => StrictModeCheck.Groups(request, strict, c), options.Timeout, () => RateCost.Query(request.Source)) is { } strictRefusal)
            {
                return strictRefusal;
            }

            // lookup_from and with_lookup read other collections: the caller needs read access there too.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = c.Reading(options.Consistency).QueryGroups(request, name => Resolve(access, name, AccessLevel.Read), token);
            CheckSlowQuery(c, request.Source.Filter, started);
            return result;
        })));

    public ValueTask<Result<IReadOnlyList<FacetHit>>> FacetAsync(AccessContext access, string collection, FacetRequest request, ReadOptions options, CancellationToken ct) =>
        ValueTask.FromResult(WithTimeout(options, "facet", ct, token => Guard(() =>
        {
            if (request.Limit == 0)
            {
                return Result<IReadOnlyList<FacetHit>>.Fail(AvError.Validation("[limit: " + RequestRules.ZeroLimit + "]"));
            }

            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            return StrictRead(c, strict => StrictModeCheck.Facet(request, strict, c), options.Timeout, () => RateCost.Filtered(request.Filter)) is { } refused
                ? refused
                : c.Reading(options.Consistency).Facet(request, token);
        })));

    public ValueTask<Result<DistanceMatrix>> SearchMatrixAsync(AccessContext access, string collection, MatrixRequest request, ReadOptions options, CancellationToken ct) =>
        ValueTask.FromResult(WithTimeout(options, "Search", ct, token => Guard(() =>
        {
            if (request.Sample < RequestRules.MinMatrixSample)
            {
                return Result<DistanceMatrix>.Fail(AvError.Validation("[sample: " + RequestRules.MatrixSample(request.Sample) + "]"));
            }

            if (request.Limit == 0)
            {
                return AvError.Validation("[limit: " + RequestRules.ZeroLimit + "]");
            }

            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            // The sample is a scroll, then each sampled point a search over the same filter.
            var matrixCost = () => RateCost.Filtered(request.Filter) * (1 + (ulong)request.Sample);
            return StrictRead(c, strict => StrictModeCheck.Matrix(request, strict, c), options.Timeout, matrixCost) is { } refused
                ? refused
                : c.Reading(options.Consistency).SearchMatrix(request, name => Resolve(access, name, AccessLevel.Read), token);
        })));
}
