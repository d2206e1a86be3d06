using AotVector.Common.Model;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) =>
        Gather(search.Limit, ct, segment => segment.SearchSparse(search.VectorName, search.Query, search.Filter, search.Limit, ct, search.FullScanThreshold));

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct)
    {
        var scoring = search.Strategy == Api.RecommendStrategy.SumScores ? Segment.ExampleScoring.SumScores : Segment.ExampleScoring.BestScore;
        return Gather(search.Limit, ct, segment => segment.ScoreSparseByExamples(search.VectorName, scoring, search.Positives, search.Negatives, search.Filter, search.Limit, ct));
    }

    // A point lives in one segment only (a stale copy elsewhere is deleted), so sums over segments count each once.
    public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions)
    {
        _lock.EnterReadLock();
        try
        {
            ulong points = 0;
            var frequencies = new ulong[dimensions.Count];
            foreach (var s in _segments)
            {
                points += s.Segment.SparseDocumentCount(vectorName);
                for (var i = 0; i < dimensions.Count; i++)
                {
                    frequencies[i] += s.Segment.SparseDocumentFrequency(vectorName, dimensions[i]);
                }
            }

            return new SparseStatistics(points, frequencies);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
