using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Kernels.Distance;
using AotVector.Segment;
using AotVector.Segment.Vectors;

namespace AotVector.Engine.Collections;

/// <summary>
/// Relevance feedback queries, scored as the reference's <c>FeedbackQuery</c> by an exact scan: the target and every
/// feedback example are resolved like any query input (ids looked up, from <c>lookup_from</c> when given, and left out
/// of the results when they are this collection's); the ordered pairs of examples whose scores differ get the weight
/// <c>c·(s⁺ − s⁻)^b</c>; then every point matching the filter that has the vector is scored
/// <c>a·sim(target) + Σ weight·(sim(e⁺) − sim(e⁻))</c> with the raw similarities of its stored vector, and the best
/// are kept, largest first. The similarity is the one the vector is searched with: the distance's raw similarity of
/// preprocessed vectors, MaxSim for a multivector, the dot product (idf-weighted query side) for a sparse vector.
/// </summary>
internal sealed partial class Collection
{
    // Points read per step of the scan: bounds what one step holds in memory and how late a cancellation is seen.
    private const int FeedbackScanPage = 1024;

    private Result<IReadOnlyList<ScoredPoint>> QueryFeedback(QueryRequest request, RelevanceFeedbackQuery feedback, string vectorName, int wanted, int offset, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        if (Config.Params.Vectors.Find(vectorName) is null && SparseParams(vectorName) is null)
        {
            return UnknownVector(vectorName);
        }

        var source = this;
        var sourceVector = vectorName;
        if (request.LookupFrom is { } from)
        {
            if (!lookup(from.Collection).TryGet(out var other, out var lookupError))
            {
                return lookupError.Kind == ErrorKind.NotFound ? AvError.NotFound($"Collection {from.Collection} not found") : lookupError;
            }

            source = other;
            sourceVector = from.Vector ?? VectorsConfig.DefaultName;
        }

        var excluded = new HashSet<PointId>();
        if (!FeedbackSimilarity(feedback.Target, vectorName, source, sourceVector, excluded).TryGet(out var toTarget, out var error))
        {
            return error;
        }

        var toExample = new Func<VectorData, float>[feedback.Feedback.Count];
        for (var i = 0; i < toExample.Length; i++)
        {
            if (!FeedbackSimilarity(feedback.Feedback[i].Example, vectorName, source, sourceVector, excluded).TryGet(out toExample[i]!, out error))
            {
                return error;
            }
        }

        var pairs = FeedbackPairs(feedback.Feedback, feedback.Strategy);
        var a = feedback.Strategy.A;
        var filter = Exclude(request.Filter, excluded, source);
        var withVector = new WithVector(true, [vectorName]);
        var top = new TopHits(wanted);
        var similarities = new float[toExample.Length];
        PointId? next = null;
        do
        {
            var ids = ScrollIds(filter, next, FeedbackScanPage + 1, ct);
            if (ct.IsCancellationRequested)
            {
                return CancelledRead;
            }

            next = ids.Count > FeedbackScanPage ? ids[FeedbackScanPage] : null;
            var page = ids.Count > FeedbackScanPage ? ids.Take(FeedbackScanPage).ToArray() : ids;
            foreach (var record in ShardRouting.Retrieve(_placement, page, WithPayload.None, withVector))
            {
                if (record.Vectors is not { } vectors || !vectors.TryGetValue(vectorName, out var vector))
                {
                    continue;
                }

                for (var i = 0; i < similarities.Length; i++)
                {
                    similarities[i] = toExample[i](vector);
                }

                // In the reference's order of operations, so the f32 result is the same.
                var score = a * toTarget(vector);
                foreach (var (positive, negative, weight) in pairs)
                {
                    score += weight * (similarities[positive] - similarities[negative]);
                }

                top.Add(new SearchHit(record.Id, score, record.Version));
            }
        }
        while (next is not null);

        var hits = top.ToSortedList().Skip(offset);

        // Larger-better scores, kept strictly above the threshold as the reference's check_threshold.
        if (request.ScoreThreshold is { } threshold)
        {
            hits = hits.Where(h => h.Score > threshold);
        }

        return Load([.. hits], request, postprocess: null);
    }

    /// <summary>
    /// The reference's context pairs: every ordered pair of distinct examples (in index order, as itertools'
    /// permutations) whose score difference is above 0, weighted <c>c·difference^b</c>.
    /// </summary>
    internal static List<(int Positive, int Negative, float Weight)> FeedbackPairs(IReadOnlyList<FeedbackItem> feedback, NaiveFeedbackStrategy strategy)
    {
        var pairs = new List<(int, int, float)>();
        for (var p = 0; p < feedback.Count; p++)
        {
            for (var n = 0; n < feedback.Count; n++)
            {
                if (p == n)
                {
                    continue;
                }

                var confidence = feedback[p].Score - feedback[n].Score;
                if (confidence <= 0f)
                {
                    continue;
                }

                pairs.Add((p, n, MathF.Pow(confidence, strategy.B) * strategy.C));
            }
        }

        return pairs;
    }

    // The raw similarity of a stored vector to one resolved input of the query.
    private Result<Func<VectorData, float>> FeedbackSimilarity(VectorInput input, string vectorName, Collection source, string sourceVector, HashSet<PointId> excluded)
    {
        if (SparseParams(vectorName) is { } sparse)
        {
            if (!ResolveSparse(input, vectorName, source, sourceVector, excluded).TryGet(out var sparseQuery, out var sparseError))
            {
                return sparseError;
            }

            var weighted = sparse.Modifier == SparseModifier.Idf ? WithIdf(vectorName, sparseQuery) : sparseQuery;
            return Result<Func<VectorData, float>>.Ok(v => PointSegment.SparseDot(weighted, (SparseVector)v) ?? 0f);
        }

        var parameters = Config.Params.Vectors.Find(vectorName)!;
        if (!Resolve(input, source, sourceVector, parameters, excluded).TryGet(out var query, out var error))
        {
            return error;
        }

        var distance = parameters.Distance;
        if (parameters.MultivectorConfig is not null)
        {
            var dim = (int)parameters.Size;
            return Result<Func<VectorData, float>>.Ok(v => MaxSim.Score(distance, query, ((MultiDenseVector)v).Values, dim));
        }

        return Result<Func<VectorData, float>>.Ok(v => DistanceKernels.Similarity(distance, query, ((DenseVector)v).Values));
    }
}
