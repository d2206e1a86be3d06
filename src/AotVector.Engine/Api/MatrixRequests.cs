using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// <c>points/search/matrix</c>: <see cref="Sample"/> points picked at random among those matching
/// <see cref="Filter"/> that have the vector <see cref="Using"/> (null = the unnamed one), and for each the
/// <see cref="Limit"/> nearest others among the sample.
/// </summary>
public sealed record MatrixRequest(Filter? Filter, uint Sample, uint Limit, string? Using);

/// <summary>
/// The sampled points in id order, and per sampled point (same order) its nearest other sampled points, best first,
/// with their scores. The two wire shapes (pairs, offsets) are both read off this.
/// </summary>
public sealed record DistanceMatrix(IReadOnlyList<PointId> Ids, IReadOnlyList<IReadOnlyList<ScoredPoint>> Nearest)
{
    public static readonly DistanceMatrix Empty = new([], []);

    /// <summary>Every (sampled point, neighbour, score), row by row.</summary>
    public IEnumerable<(PointId A, PointId B, float Score)> Pairs()
    {
        for (var row = 0; row < Ids.Count; row++)
        {
            foreach (var hit in Nearest[row])
            {
                yield return (Ids[row], hit.Id, hit.Score);
            }
        }
    }

    /// <summary>The same entries as offsets into <see cref="Ids"/>: (row, column, score).</summary>
    public IEnumerable<(ulong Row, ulong Column, float Score)> Offsets()
    {
        var offsetOf = new Dictionary<PointId, ulong>(Ids.Count);
        for (var i = 0; i < Ids.Count; i++)
        {
            offsetOf[Ids[i]] = (ulong)i;
        }

        for (var row = 0; row < Ids.Count; row++)
        {
            foreach (var hit in Nearest[row])
            {
                yield return ((ulong)row, offsetOf[hit.Id], hit.Score);
            }
        }
    }
}
