using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

/// <summary>
/// The distance matrix: a random sample of the points that have the vector, and for each sampled point its nearest
/// other sampled points, scored exactly (the candidates are only the sample).
/// </summary>
internal sealed partial class Collection
{
    public Result<DistanceMatrix> SearchMatrix(MatrixRequest request, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        var vectorName = request.Using ?? VectorsConfig.DefaultName;
        if (Config.Params.Vectors.Find(vectorName) is null && SparseParams(vectorName) is null)
        {
            return UnknownVector(vectorName);
        }

        if (request.Sample == 0 || request.Limit == 0)
        {
            return DistanceMatrix.Empty;
        }

        var filter = And(request.Filter, new Filter(Must: [new HasVectorCondition(vectorName)]));
        var all = ScrollIds(filter, null, int.MaxValue - 1, ct);
        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var sample = Sample(all, (int)Math.Min(request.Sample, int.MaxValue));
        if (sample.Length < 2)
        {
            return DistanceMatrix.Empty;
        }

        Array.Sort(sample);
        var among = new Filter(Must: [new HasIdCondition(new HashSet<PointId>(sample))]);
        var nearest = new List<IReadOnlyList<ScoredPoint>>(sample.Length);
        foreach (var id in sample)
        {
            // A point given by id is left out of its own hits, so the neighbours are the others.
            var query = new QueryRequest(
                new NearestQuery(new PointIdInput(id)),
                request.Using,
                among,
                request.Limit,
                0,
                null,
                new SearchParams(Exact: true),
                WithPayload.None,
                WithVector.None);
            var found = Query(query, lookup, ct);
            if (!found.TryGet(out var hits, out var error))
            {
                return error;
            }

            nearest.Add(hits);
        }

        return new DistanceMatrix(sample, nearest);
    }

    // A uniform random choice of `size` ids (all of them when there are no more).
    private static PointId[] Sample(IReadOnlyList<PointId> ids, int size)
    {
        if (ids.Count <= size)
        {
            return [.. ids];
        }

        var chosen = ids.ToArray();
        Random.Shared.Shuffle(chosen);
        return chosen[..size];
    }
}
