using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Kernels.Distance;
using AotVector.Segment;
using AotVector.Segment.Vectors;

namespace AotVector.Engine.Collections;

/// <summary>
/// Nearest queries with MMR: the <c>candidates_limit</c> nearest points are found as for a plain nearest query, then
/// re-ranked by maximal marginal relevance with the raw similarities of their stored vectors (to the query and to each
/// other). Points keep their nearest score, as the reference returns them; only their order and selection change.
/// </summary>
internal sealed partial class Collection
{
    /// <summary>How many candidates an MMR query re-ranks: its own bound, else the number of points asked for.</summary>
    private static int MmrCandidates(MmrParams mmr, int wanted) =>
        mmr.CandidatesLimit is { } given ? (int)Math.Min(given, RequestRules.MaxMmrCandidates) : wanted;

    // A query without branches: the nearest candidates over the collection, then the re-ranking, then the page.
    private Result<IReadOnlyList<ScoredPoint>> QueryMmr(QueryRequest request, NearestQuery nearest, MmrParams mmr, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        var limit = (int)Math.Min(request.Limit, 1_000_000);
        var offset = (int)Math.Min(request.Offset, 1_000_000);
        var candidates = request with
        {
            Query = nearest with { Mmr = null },
            Limit = (uint)MmrCandidates(mmr, limit + offset),
            Offset = 0,
            WithPayload = WithPayload.None,
            WithVector = WithVector.None,
        };
        if (!Query(candidates, lookup, ct).TryGet(out var found, out var error)
            || !MmrRerank(nearest, mmr, request.Using, request.LookupFrom, found, limit + offset, lookup).TryGet(out var chosen, out error))
        {
            return error;
        }

        var page = chosen.Skip(offset).Select(p => new SearchHit(p.Id, p.Score, p.Version)).ToList();
        return Load(page, request, postprocess: null);
    }

    /// <summary>
    /// The MMR choice of at most <paramref name="limit"/> of <paramref name="candidates"/>, in the order chosen. Points
    /// without the vector are left out; fewer than two points are returned as they are.
    /// </summary>
    private Result<List<ScoredPoint>> MmrRerank(
        NearestQuery nearest,
        MmrParams mmr,
        string? usingName,
        LookupLocation? lookupFrom,
        IReadOnlyList<ScoredPoint> candidates,
        int limit,
        Func<string, Result<Collection>> lookup)
    {
        var name = usingName ?? VectorsConfig.DefaultName;
        var source = this;
        var sourceVector = name;
        if (lookupFrom is { } from)
        {
            if (!lookup(from.Collection).TryGet(out var other, out var lookupError))
            {
                return lookupError.Kind == ErrorKind.NotFound ? AvError.NotFound($"Collection {from.Collection} not found") : lookupError;
            }

            source = other;
            sourceVector = from.Vector ?? VectorsConfig.DefaultName;
        }

        var ids = candidates.Select(p => p.Id).Distinct().ToArray();
        var records = ShardRouting.Retrieve(_placement, ids, WithPayload.None, new WithVector(true, [name]));
        var stored = new Dictionary<PointId, VectorData>(records.Count);
        foreach (var record in records)
        {
            if (record.Vectors is { } vectors && vectors.TryGetValue(name, out var vector))
            {
                stored[record.Id] = vector;
            }
        }

        var kept = new List<ScoredPoint>(stored.Count);
        var seen = new HashSet<PointId>();
        foreach (var point in candidates)
        {
            if (stored.ContainsKey(point.Id) && seen.Add(point.Id))
            {
                kept.Add(point);
            }
        }

        if (kept.Count < 2)
        {
            return kept;
        }

        if (!Similarity(nearest.Target, name, source, sourceVector).TryGet(out var similarity, out var error))
        {
            return error;
        }

        var vectorsOf = kept.Select(p => stored[p.Id]).ToArray();
        var relevance = new float[kept.Count];
        for (var i = 0; i < relevance.Length; i++)
        {
            relevance[i] = similarity.ToQuery(vectorsOf[i]);
        }

        var lambda = 1f - (mmr.Diversity ?? RequestDefaults.MmrDiversity);
        var order = MaximalMarginalRelevance.Select(relevance, (c, s) => similarity.Between(vectorsOf[c], vectorsOf[s]), lambda, limit);
        return order.Select(i => kept[i]).ToList();
    }

    // The raw similarity of the query's vector kind: to the query, and between two stored vectors.
    private Result<VectorSimilarity> Similarity(VectorInput target, string name, Collection source, string sourceVector)
    {
        var excluded = new HashSet<PointId>();
        if (SparseParams(name) is not null)
        {
            if (!ResolveSparse(target, name, source, sourceVector, excluded).TryGet(out var sparseQuery, out var sparseError))
            {
                return sparseError;
            }

            return new VectorSimilarity(
                v => PointSegment.SparseDot(sparseQuery, (SparseVector)v) ?? 0f,
                (a, b) => PointSegment.SparseDot((SparseVector)a, (SparseVector)b) ?? 0f);
        }

        if (Config.Params.Vectors.Find(name) is not { } parameters)
        {
            return UnknownVector(name);
        }

        if (!Resolve(target, source, sourceVector, parameters, excluded).TryGet(out var query, out var error))
        {
            return error;
        }

        var distance = parameters.Distance;
        if (parameters.MultivectorConfig is not null)
        {
            var dim = (int)parameters.Size;
            return new VectorSimilarity(
                v => MaxSim.Score(distance, query, ((MultiDenseVector)v).Values, dim),
                (a, b) => MaxSim.Score(distance, ((MultiDenseVector)a).Values, ((MultiDenseVector)b).Values, dim));
        }

        return new VectorSimilarity(
            v => DistanceKernels.Similarity(distance, query, ((DenseVector)v).Values),
            (a, b) => DistanceKernels.Similarity(distance, ((DenseVector)a).Values, ((DenseVector)b).Values));
    }

    private sealed record VectorSimilarity(Func<VectorData, float> ToQuery, Func<VectorData, VectorData, float> Between);
}
