using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Kernels.Distance;
using AotVector.Segment;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    public IReadOnlyList<PointRecord> Retrieve(RetrieveRequest request)
    {
        var shard = _placement.AllShards[0];
        return shard.Retrieve(request.Ids, request.WithPayload, request.WithVector);
    }

    public ScrollResult Scroll(ScrollRequest request)
    {
        var limit = (int)Math.Min(request.Limit, int.MaxValue - 1);

        // One extra id tells whether there is a next page and where it starts.
        var ids = _placement.AllShards[0].ScrollIds(request.Filter, request.Offset, limit + 1);
        PointId? next = ids.Count > limit ? ids[limit] : null;
        var page = ids.Count > limit ? ids.Take(limit).ToArray() : ids;
        var records = _placement.AllShards[0].Retrieve(page, request.WithPayload, request.WithVector);
        return new ScrollResult(records, next);
    }

    public ulong Count(CountRequest request) => (ulong)_placement.AllShards.Sum(s => (long)s.Count(request.Filter));

    /// <summary>Stored vector of a point, for queries that reference points by id.</summary>
    public Result<float[]> VectorOf(PointId id, string vectorName)
    {
        if (Config.Params.Vectors.Find(vectorName) is null)
        {
            return NoSuchVector(vectorName);
        }

        var vector = _placement.ShardFor(id).GetVector(id, vectorName);
        return vector is null ? AvError.PointNotFound(new PointIdText(id.ToString())) : vector;
    }

    /// <summary>Runs a query. <paramref name="lookup"/> resolves <c>lookup_from</c> collections.</summary>
    public Result<IReadOnlyList<ScoredPoint>> Query(QueryRequest request, Func<string, Result<Collection>> lookup)
    {
        var vectorName = request.Using ?? VectorsConfig.DefaultName;
        var limit = (int)Math.Min(request.Limit, 1_000_000);
        var offset = (int)Math.Min(request.Offset, 1_000_000);
        var wanted = limit + offset;

        if (request.Query is null)
        {
            var ids = _placement.AllShards[0].ScrollIds(request.Filter, null, wanted);
            return Load(ids.Skip(offset).Select(id => new SearchHit(id, 0, 0)).ToList(), request, postprocess: null);
        }

        var parameters = Config.Params.Vectors.Find(vectorName);
        if (parameters is null)
        {
            return NoSuchVector(vectorName);
        }

        var distance = parameters.Distance;
        var hnsw = Config.HnswConfig.Apply(parameters.HnswConfig);
        var searchOptions = new SegmentSearchOptions(
            request.Params?.Exact ?? false,
            request.Params?.HnswEf is { } ef ? (int)Math.Min(ef, 1_000_000) : (int)hnsw.EfConstruct,
            hnsw.FullScanThreshold);
        var source = this;
        var sourceVector = vectorName;
        if (request.LookupFrom is { } from)
        {
            var other = lookup(from.Collection);
            if (!other.TryGet(out var o, out var error))
            {
                return error.Kind == Common.Errors.ErrorKind.NotFound ? AvError.NotFound($"Collection {from.Collection} not found") : error;
            }

            source = o;
            sourceVector = from.Vector ?? VectorsConfig.DefaultName;
        }

        var excluded = new HashSet<PointId>();
        var filter = request.Filter;
        List<SearchHit> hits;
        Func<float, float>? post = score => DistanceKernels.Postprocess(distance, score);
        switch (request.Query)
        {
            case NearestQuery nearest:
            {
                var target = Resolve(nearest.Target, source, sourceVector, parameters, excluded);
                if (!target.TryGet(out var vector, out var error))
                {
                    return error;
                }

                hits = SearchAll(vectorName, vector, Exclude(filter, excluded, source), wanted, searchOptions);
                break;
            }

            case RecommendQuery reco:
            {
                var positives = new List<float[]>();
                var negatives = new List<float[]>();
                foreach (var (inputs, into) in new[] { (reco.Positive, positives), (reco.Negative, negatives) })
                {
                    foreach (var input in inputs)
                    {
                        var v = Resolve(input, source, sourceVector, parameters, excluded);
                        if (!v.TryGet(out var vector, out var error))
                        {
                            return error;
                        }

                        into.Add(vector);
                    }
                }

                var restricted = Exclude(filter, excluded, source);
                if (reco.Strategy == RecommendStrategy.AverageVector)
                {
                    if (positives.Count == 0)
                    {
                        return AvError.BadRequest("At least one positive vector ID required with this strategy");
                    }

                    hits = SearchAll(vectorName, AverageTarget(positives, negatives), restricted, wanted, searchOptions);
                }
                else
                {
                    if (positives.Count == 0 && negatives.Count == 0)
                    {
                        return AvError.BadRequest("At least one positive or negative example is required");
                    }

                    Func<float[], float> score = reco.Strategy == RecommendStrategy.BestScore
                        ? v => BestScore(distance, v, positives, negatives)
                        : v => SumScores(distance, v, positives, negatives);
                    var top = new TopHits(wanted);
                    foreach (var shard in _placement.AllShards)
                    {
                        foreach (var hit in shard.ScoreAll(vectorName, restricted, score, wanted))
                        {
                            top.Add(hit);
                        }
                    }

                    hits = top.ToSortedList();

                    // Strategy scores are not distances: Qdrant returns them as computed.
                    post = null;
                }

                break;
            }

            default:
                return AvError.BadRequest("unsupported query type");
        }

        var page = hits.Skip(offset).ToList();
        if (request.ScoreThreshold is { } threshold)
        {
            var higherIsBetter = post is null || distance is Distance.Cosine or Distance.Dot;
            page = page.Where(h =>
            {
                var s = post is null ? h.Score : post(h.Score);
                // Strict, as Qdrant's check_threshold: larger-better keeps s > t, smaller-better keeps s < t.
                return higherIsBetter ? s > threshold : s < threshold;
            }).ToList();
        }

        return Load(page, request, post);
    }

    private List<SearchHit> SearchAll(string vectorName, float[] query, Filter? filter, int wanted, SegmentSearchOptions options)
    {
        if (_placement.AllShards.Count == 1)
        {
            return [.. _placement.AllShards[0].Search(vectorName, query, filter, wanted, options)];
        }

        var top = new TopHits(wanted);
        foreach (var shard in _placement.AllShards)
        {
            foreach (var hit in shard.Search(vectorName, query, filter, wanted, options))
            {
                top.Add(hit);
            }
        }

        return top.ToSortedList();
    }

    private Result<IReadOnlyList<ScoredPoint>> Load(List<SearchHit> hits, QueryRequest request, Func<float, float>? postprocess)
    {
        if (!request.WithPayload.Enable && !request.WithVector.Enable)
        {
            // Ids and scores only: the hits are the answer as of the search, with no second lookup per hit.
            var bare = new List<ScoredPoint>(hits.Count);
            foreach (var hit in hits)
            {
                bare.Add(new ScoredPoint(hit.Id, hit.Version, postprocess is null ? hit.Score : postprocess(hit.Score), null, null));
            }

            return bare;
        }

        var records = _placement.AllShards[0].Retrieve(hits.Select(h => h.Id).ToArray(), request.WithPayload, request.WithVector);
        var byId = new Dictionary<PointId, PointRecord>(records.Count);
        foreach (var r in records)
        {
            byId[r.Id] = r;
        }

        var result = new List<ScoredPoint>(hits.Count);
        foreach (var hit in hits)
        {
            // A point deleted between search and load is left out rather than returned half-empty.
            if (byId.TryGetValue(hit.Id, out var record))
            {
                var score = postprocess is null ? hit.Score : postprocess(hit.Score);
                result.Add(new ScoredPoint(hit.Id, hit.Version, score, record.Payload, record.Vectors));
            }
        }

        return result;
    }

    /// <summary>Turns a query input into a preprocessed vector; ids are looked up and excluded from results.</summary>
    private static Result<float[]> Resolve(VectorInput input, Collection source, string sourceVector, VectorParams target, HashSet<PointId> excluded)
    {
        switch (input)
        {
            case DenseVectorInput dense:
            {
                if ((ulong)dense.Vector.Length != target.Size)
                {
                    return AvError.BadRequest($"Vector dimension error: expected dim: {target.Size}, got {dense.Vector.Length}");
                }

                if (NonFinite(dense.Vector) is { } error)
                {
                    return error;
                }

                var copy = (float[])dense.Vector.Clone();
                DistanceKernels.Preprocess(target.Distance, copy);
                return copy;
            }

            case PointIdInput byId:
            {
                excluded.Add(byId.Id);
                var stored = source.VectorOf(byId.Id, sourceVector);
                if (stored.IsOk && (ulong)stored.Value.Length != target.Size)
                {
                    return AvError.BadRequest($"Vector dimension error: expected dim: {target.Size}, got {stored.Value.Length}");
                }

                return stored;
            }

            default:
                return AvError.BadRequest("unsupported vector input");
        }
    }

    private Filter? Exclude(Filter? filter, HashSet<PointId> excluded, Collection source)
    {
        // Referenced points are excluded only when they come from this collection.
        if (excluded.Count == 0 || !ReferenceEquals(source, this))
        {
            return filter;
        }

        Condition notThese = new HasIdCondition(excluded);
        return filter is null
            ? new Filter(MustNot: [notThese])
            : new Filter(Must: [new FilterCondition(filter)], MustNot: [notThese]);
    }

    private static float[] AverageTarget(List<float[]> positives, List<float[]> negatives)
    {
        var dim = positives[0].Length;
        var avgPos = Average(positives, dim);
        if (negatives.Count == 0)
        {
            return avgPos;
        }

        var avgNeg = Average(negatives, dim);
        var target = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            target[i] = avgPos[i] + avgPos[i] - avgNeg[i];
        }

        return target;
    }

    private static float[] Average(List<float[]> vectors, int dim)
    {
        var sum = new float[dim];
        foreach (var v in vectors)
        {
            for (var i = 0; i < dim; i++)
            {
                sum[i] += v[i];
            }
        }

        for (var i = 0; i < dim; i++)
        {
            sum[i] /= vectors.Count;
        }

        return sum;
    }

    /// <summary>Qdrant's best_score: the best positive similarity if it beats every negative, else minus the square of the best negative.</summary>
    private static float BestScore(Distance distance, float[] candidate, List<float[]> positives, List<float[]> negatives)
    {
        var bestPos = float.NegativeInfinity;
        foreach (var p in positives)
        {
            bestPos = Math.Max(bestPos, DistanceKernels.Similarity(distance, candidate, p));
        }

        var bestNeg = float.NegativeInfinity;
        foreach (var n in negatives)
        {
            bestNeg = Math.Max(bestNeg, DistanceKernels.Similarity(distance, candidate, n));
        }

        if (bestPos > bestNeg)
        {
            return bestPos;
        }

        return -(bestNeg * bestNeg);
    }

    private static float SumScores(Distance distance, float[] candidate, List<float[]> positives, List<float[]> negatives)
    {
        var sum = 0f;
        foreach (var p in positives)
        {
            sum += DistanceKernels.Similarity(distance, candidate, p);
        }

        foreach (var n in negatives)
        {
            sum -= DistanceKernels.Similarity(distance, candidate, n);
        }

        return sum;
    }
}
