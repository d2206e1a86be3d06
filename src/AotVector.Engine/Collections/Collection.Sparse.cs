using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Segment;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>
    /// A query over a sparse vector: exact dot product over the inverted indexes. Scores are returned as computed
    /// (there is no distance to postprocess); with the idf modifier each query weight is first multiplied by
    /// <c>ln((N - df + 0.5) / (df + 0.5) + 1)</c>, N the collection's points with a non-empty vector and df those with a
    /// weight at that dimension, both as of the query.
    /// </summary>
    private Result<List<SearchHit>> QuerySparse(QueryRequest request, string vectorName, SparseVectorParams parameters, int wanted, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
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
        switch (request.Query)
        {
            case NearestQuery nearest:
            {
                if (!ResolveSparse(nearest.Target, vectorName, source, sourceVector, excluded).TryGet(out var query, out var error))
                {
                    return error;
                }

                var weighted = parameters.Modifier == SparseModifier.Idf ? WithIdf(vectorName, query) : query;
                var search = new ShardSparseSearch(vectorName, weighted, Exclude(request.Filter, excluded, source), wanted, FullScanThreshold(parameters));
                return Merge(wanted, ct, (shard, token) => shard.SearchSparse(search, token));
            }

            case RecommendQuery reco:
            {
                var positives = new List<SparseVector>();
                var negatives = new List<SparseVector>();
                foreach (var (inputs, into) in new[] { (reco.Positive, positives), (reco.Negative, negatives) })
                {
                    foreach (var input in inputs)
                    {
                        if (!ResolveSparse(input, vectorName, source, sourceVector, excluded).TryGet(out var v, out var error))
                        {
                            return error;
                        }

                        into.Add(v);
                    }
                }

                var restricted = Exclude(request.Filter, excluded, source);
                if (reco.Strategy == RecommendStrategy.AverageVector)
                {
                    if (positives.Count == 0)
                    {
                        return AvError.BadRequest("At least one positive vector ID required with this strategy");
                    }

                    var target = SparseAverageTarget(positives, negatives);
                    var weighted = parameters.Modifier == SparseModifier.Idf ? WithIdf(vectorName, target) : target;
                    var search = new ShardSparseSearch(vectorName, weighted, restricted, wanted, FullScanThreshold(parameters));
                    return Merge(wanted, ct, (shard, token) => shard.SearchSparse(search, token));
                }

                if (positives.Count == 0 && negatives.Count == 0)
                {
                    return AvError.BadRequest("At least one positive or negative example is required");
                }

                // The reference weights every example of the query by idf, not only a nearest target.
                if (parameters.Modifier == SparseModifier.Idf)
                {
                    positives = positives.ConvertAll(v => WithIdf(vectorName, v));
                    negatives = negatives.ConvertAll(v => WithIdf(vectorName, v));
                }

                var byExamples = new ShardSparseExampleSearch(vectorName, reco.Strategy, positives, negatives, restricted, wanted);
                return Merge(wanted, ct, (shard, token) => shard.SearchSparseByExamples(byExamples, token));
            }

            case DiscoverQuery or ContextQuery:
                return SearchSparseByContext(request.Query, vectorName, parameters, source, sourceVector, request.Filter, wanted, ct);

            default:
                return AvError.BadRequest("unsupported query type");
        }
    }

    private static Result<SparseVector> ResolveSparse(VectorInput input, string vectorName, Collection source, string sourceVector, HashSet<PointId> excluded)
    {
        switch (input)
        {
            case SparseVectorInput sparse:
                return CheckSparse(vectorName, sparse.Vector) is { } error ? error : sparse.Vector;
            case PointIdInput byId:
            {
                excluded.Add(byId.Id);
                var stored = source.VectorOf(byId.Id, sourceVector);
                if (!stored.TryGet(out var data, out var lookupError))
                {
                    return lookupError;
                }

                return data is SparseVector vector ? vector : WrongSparse;
            }

            case MultiDenseVectorInput:
            case DenseVectorInput:
                return WrongSparse;
            default:
                return AvError.BadRequest("unsupported vector input");
        }
    }

    private SparseVector WithIdf(string vectorName, SparseVector query)
    {
        ulong points = 0;
        var frequencies = new ulong[query.Indices.Length];
        // Statistics of the whole collection, also when this is a view of one shard (the reference estimates idf
        // over every shard before it asks any).
        foreach (var shard in (_whole ?? this)._placement.AllShards)
        {
            var stats = shard.SparseStatistics(vectorName, query.Indices);
            points += stats.Points;
            for (var i = 0; i < frequencies.Length; i++)
            {
                frequencies[i] += stats.DocumentFrequencies[i];
            }
        }

        var values = new float[query.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = query.Values[i] * Idf(points, frequencies[i]);
        }

        return new SparseVector(query.Indices, values);
    }

    private static ulong FullScanThreshold(SparseVectorParams parameters) =>
        parameters.Index?.FullScanThreshold ?? SparseVectorParams.DefaultFullScanThreshold;

    /// <summary>The reference's inverse document frequency of a dimension found in <paramref name="df"/> of <paramref name="n"/> points.</summary>
    internal static float Idf(ulong n, ulong df) => (float)Math.Log((((double)n - df + 0.5) / (df + 0.5)) + 1.0);

    // avg(positives) + (avg(positives) - avg(negatives)), dimension by dimension, as for dense vectors.
    private static SparseVector SparseAverageTarget(List<SparseVector> positives, List<SparseVector> negatives)
    {
        var sum = new SortedDictionary<uint, double>();
        void AddAll(List<SparseVector> vectors, double scale)
        {
            foreach (var v in vectors)
            {
                for (var i = 0; i < v.Indices.Length; i++)
                {
                    sum[v.Indices[i]] = sum.GetValueOrDefault(v.Indices[i]) + (scale * v.Values[i] / vectors.Count);
                }
            }
        }

        AddAll(positives, negatives.Count == 0 ? 1 : 2);
        if (negatives.Count > 0)
        {
            AddAll(negatives, -1);
        }

        return new SparseVector([.. sum.Keys], [.. sum.Values.Select(v => (float)v)]);
    }
}
