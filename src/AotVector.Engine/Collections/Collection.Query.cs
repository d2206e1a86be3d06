using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Kernels.Distance;
using AotVector.Segment;
using AotVector.Segment.Vectors;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>What a read that found its token cancelled answers; the engine words it as a timeout when its own deadline fired.</summary>
    internal static readonly AvError CancelledRead = AvError.Cancelled("the request was cancelled before it finished");

    public IReadOnlyList<PointRecord> Retrieve(RetrieveRequest request) =>
        ShardRouting.Retrieve(_placement, request.Ids, request.WithPayload, request.WithVector);

    public Result<ScrollResult> Scroll(ScrollRequest request, CancellationToken ct)
    {
        var limit = (int)Math.Min(request.Limit, int.MaxValue - 1);
        if (request.OrderBy is { } orderBy)
        {
            return ScrollOrdered(request, orderBy, limit, ct);
        }

        // One extra id tells whether there is a next page and where it starts.
        var ids = ScrollIds(request.Filter, request.Offset, limit + 1, ct);
        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        PointId? next = ids.Count > limit ? ids[limit] : null;
        var page = ids.Count > limit ? ids.Take(limit).ToArray() : ids;
        var records = ShardRouting.Retrieve(_placement, page, request.WithPayload, request.WithVector);
        return new ScrollResult(records, next);
    }

    public Result<ulong> Count(CountRequest request, CancellationToken ct)
    {
        ulong total = 0;
        foreach (var shard in _placement.AllShards)
        {
            total += shard.Count(request.Filter, ct);
        }

        return ct.IsCancellationRequested ? CancelledRead : total;
    }

    /// <summary>Stored vector of a point, for queries that reference points by id.</summary>
    public Result<VectorData> VectorOf(PointId id, string vectorName)
    {
        if (Config.Params.Vectors.Find(vectorName) is null && SparseParams(vectorName) is null)
        {
            return UnknownVector(vectorName);
        }

        var vector = _placement.ShardFor(id).GetVector(id, vectorName);
        return vector is null ? AvError.PointNotFound(new PointIdText(id.ToString())) : vector;
    }

    /// <summary>
    /// Runs a query. <paramref name="lookup"/> resolves <c>lookup_from</c> collections. A query that finds
    /// <paramref name="ct"/> cancelled stops searching and answers <see cref="CancelledRead"/>.
    /// </summary>
    public Result<IReadOnlyList<ScoredPoint>> Query(QueryRequest request, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        if (request.Prefetch is { Count: > 0 })
        {
            return QueryTree(request, lookup, ct);
        }

        if (request.Query is NearestQuery { Mmr: { } mmr } diverse)
        {
            return QueryMmr(request, diverse, mmr, lookup, ct);
        }

        var vectorName = request.Using ?? VectorsConfig.DefaultName;
        var limit = (int)Math.Min(request.Limit, 1_000_000);
        var offset = (int)Math.Min(request.Offset, 1_000_000);
        var wanted = limit + offset;

        if (request.Query is null)
        {
            var ids = ScrollIds(request.Filter, null, wanted, ct);
            if (ct.IsCancellationRequested)
            {
                return CancelledRead;
            }

            // Scored 1.0, as the reference's scroll-form query scores every point it lists.
            return Load(ids.Skip(offset).Select(id => new SearchHit(id, 1f, 0)).ToList(), request, postprocess: null);
        }

        if (request.Query is OrderByQuery or SampleQuery)
        {
            return QueryByPayloadOrChance(request, wanted, offset, ct);
        }

        if (request.Query is RelevanceFeedbackQuery feedback)
        {
            return QueryFeedback(request, feedback, vectorName, wanted, offset, lookup, ct);
        }

        if (SparseParams(vectorName) is { } sparseParams)
        {
            var found = QuerySparse(request, vectorName, sparseParams, wanted, lookup, ct);
            if (!found.TryGet(out var sparseHits, out var sparseError))
            {
                return sparseError;
            }

            if (ct.IsCancellationRequested)
            {
                return CancelledRead;
            }

            var sparsePage = sparseHits.Skip(offset).Where(h => request.ScoreThreshold is not { } t || h.Score > t).ToList();
            return Load(sparsePage, request, postprocess: null);
        }

        var parameters = Config.Params.Vectors.Find(vectorName);
        if (parameters is null)
        {
            return UnknownVector(vectorName);
        }

        // REST refuses it while reading; this covers gRPC, whose mapping carries the number as sent.
        if (request.Params?.Quantization?.Oversampling is { } oversampling && RequestRules.Oversampling(oversampling) is { } problem)
        {
            return AvError.Validation($"[params.quantization.oversampling: {problem}]");
        }

        if (request.Params?.Acorn?.MaxSelectivity is { } selectivity && RequestRules.AcornMaxSelectivity(selectivity) is { } acornProblem)
        {
            return AvError.Validation($"[params.acorn.max_selectivity: {acornProblem}]");
        }

        var distance = parameters.Distance;
        var hnsw = Config.HnswConfig.Apply(parameters.HnswConfig);
        var exact = request.Params?.Exact ?? false;
        int? ef = request.Params?.HnswEf is { } hnswEf ? (int)Math.Min(hnswEf, 1_000_000) : (int)hnsw.EfConstruct;
        var source = this;
        var sourceVector = vectorName;
        if (request.LookupFrom is { } from)
        {
            var other = lookup(from.Collection);
            if (!other.TryGet(out var o, out var error))
            {
                return error.Kind == ErrorKind.NotFound ? AvError.NotFound($"Collection {from.Collection} not found") : error;
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

                hits = SearchAll(new ShardSearch(vectorName, vector, Exclude(filter, excluded, source), wanted, exact, ef, hnsw.FullScanThreshold, request.Params?.Quantization, request.Params?.Acorn), ct);
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

                    // An average of preprocessed vectors is not preprocessed itself (not unit length, for Cosine).
                    float[] target;
                    if (parameters.MultivectorConfig is not null)
                    {
                        target = AverageMultiTarget(parameters, positives, negatives);
                    }
                    else
                    {
                        target = AverageTarget(positives, negatives);
                        VectorCodec.Preprocess(distance, parameters.StoredAs, target);
                    }

                    hits = SearchAll(new ShardSearch(vectorName, target, restricted, wanted, exact, ef, hnsw.FullScanThreshold, request.Params?.Quantization, request.Params?.Acorn), ct);
                }
                else
                {
                    if (positives.Count == 0 && negatives.Count == 0)
                    {
                        return AvError.BadRequest("At least one positive or negative example is required");
                    }

                    hits = Merge(wanted, ct, (shard, token) => shard.SearchByExamples(new ShardExampleSearch(vectorName, reco.Strategy, positives, negatives, restricted, wanted), token));

                    // Strategy scores are not distances: Qdrant returns them as computed.
                    post = null;
                }

                break;
            }

            case DiscoverQuery or ContextQuery:
            {
                if (!SearchByContext(request.Query, vectorName, source, sourceVector, parameters, filter, wanted, ct).TryGet(out var found, out var error))
                {
                    return error;
                }

                hits = found;

                // Discovery and context scores are not distances: the reference returns them as computed.
                post = null;
                break;
            }

            default:
                return AvError.BadRequest("unsupported query type");
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var page = hits.Skip(offset).ToList();
        if (request.ScoreThreshold is { } threshold)
        {
            var largeBetter = post is null || DistanceKernels.IsLargeBetter(distance);
            page = page.Where(h =>
            {
                var s = post is null ? h.Score : post(h.Score);
                // Strict, as Qdrant's check_threshold: larger-better keeps s > t, smaller-better keeps s < t.
                return largeBetter ? s > threshold : s < threshold;
            }).ToList();
        }

        return Load(page, request, post);
    }

    private List<SearchHit> SearchAll(ShardSearch search, CancellationToken ct) =>
        Merge(search.Limit, ct, (shard, token) => shard.Search(search, token));

    // The best `wanted` hits over every shard (one shard's list as it is).
    private List<SearchHit> Merge(int wanted, CancellationToken ct, Func<IShard, CancellationToken, IReadOnlyList<SearchHit>> search)
    {
        var shards = _placement.AllShards;
        if (shards.Count == 1)
        {
            return [.. search(shards[0], ct)];
        }

        var top = new TopHits(wanted);
        foreach (var shard in shards)
        {
            if (ct.IsCancellationRequested)
            {
                break;
            }

            foreach (var hit in search(shard, ct))
            {
                top.Add(hit);
            }
        }

        return top.ToSortedList();
    }

    // The smallest ids matching the filter from `offset` on, over every shard.
    private IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct)
    {
        var shards = _placement.AllShards;
        if (shards.Count == 1)
        {
            return shards[0].ScrollIds(filter, offset, limit, ct);
        }

        var merged = new SortedSet<PointId>();
        foreach (var shard in shards)
        {
            merged.UnionWith(shard.ScrollIds(filter, offset, limit, ct));
        }

        return [.. merged.Take(limit)];
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

        var records = ShardRouting.Retrieve(_placement, hits.Select(h => h.Id).ToArray(), request.WithPayload, request.WithVector);
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
        if (target.MultivectorConfig is not null || input is MultiDenseVectorInput)
        {
            return ResolveMulti(input, source, sourceVector, target, excluded);
        }

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
                VectorCodec.Preprocess(target.Distance, target.StoredAs, copy);
                return copy;
            }

            case PointIdInput byId:
            {
                excluded.Add(byId.Id);
                var stored = source.VectorOf(byId.Id, sourceVector);
                if (!stored.TryGet(out var data, out var lookupError))
                {
                    return lookupError;
                }

                if (data is MultiDenseVector)
                {
                    return WrongMulti;
                }

                if (data is not DenseVector storedDense)
                {
                    return AvError.BadRequest($"Vector {sourceVector} of point {byId.Id} is not a dense vector");
                }

                if ((ulong)storedDense.Values.Length != target.Size)
                {
                    return AvError.BadRequest($"Vector dimension error: expected dim: {target.Size}, got {storedDense.Values.Length}");
                }

                return storedDense.Values;
            }

            case SparseVectorInput:
                return WrongSparse;
            default:
                return AvError.BadRequest("unsupported vector input");
        }
    }

    private Filter? Exclude(Filter? filter, HashSet<PointId> excluded, Collection source)
    {
        // Referenced points are excluded only when they come from this collection.
        if (excluded.Count == 0 || !IsSelf(source))
        {
            return filter;
        }

        Condition notThese = new HasIdCondition(excluded);
        return filter is null
            ? new Filter(MustNot: [notThese])
            : new Filter(Must: [new FilterCondition(filter)], MustNot: [notThese]);
    }

    // This collection, or the collection this one-shard view is part of.
    private bool IsSelf(Collection other) => ReferenceEquals(other, this) || (_whole is not null && ReferenceEquals(other, _whole));

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
}
