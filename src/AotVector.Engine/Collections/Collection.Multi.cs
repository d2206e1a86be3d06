using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment.Vectors;

namespace AotVector.Engine.Collections;

/// <remarks>
/// Multivectors at the collection's edge: which values a name with <c>multivector_config</c> accepts, and how a query
/// becomes the rows the segments score by MaxSim. The reference reads a plain dense vector given to a multivector
/// name as a multivector of one row, and refuses a multivector given to a plain dense name.
/// </remarks>
internal sealed partial class Collection
{
    /// <summary>What the reference answers when a multivector reaches a plain dense vector.</summary>
    internal static AvError WrongMulti => AvError.BadRequest("Conversion between multi and regular vectors failed");

    /// <summary>Validates a stored or query multivector (or a dense vector meant as one row) against <paramref name="p"/>.</summary>
    internal static AvError? CheckMulti(VectorData data, VectorParams p)
    {
        switch (data)
        {
            case DenseVector dense:
                if ((ulong)dense.Values.Length != p.Size)
                {
                    return DimensionError(p.Size, dense.Values.Length);
                }

                return NonFinite(dense.Values);
            case MultiDenseVector multi:
                if (multi.Count == 0)
                {
                    return AvError.BadRequest("multi vector must not be empty");
                }

                if ((ulong)multi.Dimension != p.Size)
                {
                    return DimensionError(p.Size, multi.Dimension);
                }

                if (multi.Values.Length != multi.Count * multi.Dimension)
                {
                    return AvError.BadRequest($"Invalid multi-vector length: {multi.Values.Length}, expected multiple of {multi.Dimension}");
                }

                if (p.MultivectorConfig is null)
                {
                    return WrongMulti;
                }

                return NonFinite(multi.Values);
            default:
                return SparseRules.WrongSparse;
        }
    }

    /// <summary>A query's rows for a multivector name, each preprocessed for the vector's distance and datatype.</summary>
    private static Result<float[]> MultiQuery(VectorData data, VectorParams target)
    {
        if (CheckMulti(data, target) is { } error)
        {
            return error;
        }

        var rows = data switch
        {
            DenseVector dense => (float[])dense.Values.Clone(),
            MultiDenseVector multi => (float[])multi.Values.Clone(),
            _ => [],
        };
        PreprocessRows(target, rows);
        return rows;
    }

    // Query inputs for a multivector name (or a multivector given to a plain dense name, which is refused).
    private static Result<float[]> ResolveMulti(VectorInput input, Collection source, string sourceVector, VectorParams target, HashSet<PointId> excluded)
    {
        switch (input)
        {
            case DenseVectorInput dense:
                return MultiQuery(new DenseVector(dense.Vector), target);
            case MultiDenseVectorInput multi:
                return MultiQuery(multi.Vector, target);
            case PointIdInput byId:
            {
                excluded.Add(byId.Id);
                var stored = source.VectorOf(byId.Id, sourceVector);
                if (!stored.TryGet(out var data, out var lookupError))
                {
                    return lookupError;
                }

                // Stored rows are preprocessed already; a plain dense vector from another collection is one row.
                if (data is MultiDenseVector m && (ulong)m.Dimension == target.Size)
                {
                    return m.Values;
                }

                if (data is DenseVector d && (ulong)d.Values.Length == target.Size)
                {
                    return d.Values;
                }

                return CheckMulti(data, target) ?? WrongMulti;
            }

            case SparseVectorInput:
                return SparseRules.WrongSparse;
            default:
                return AvError.BadRequest("unsupported vector input");
        }
    }

    private static void PreprocessRows(VectorParams target, float[] rows)
    {
        var dimension = (int)target.Size;
        for (var i = 0; i + dimension <= rows.Length; i += dimension)
        {
            VectorCodec.Preprocess(target.Distance, target.StoredAs, rows.AsSpan(i, dimension));
        }
    }

    // The reference's average for multivectors: the positives' rows together, then the negatives' rows negated.
    private static float[] AverageMultiTarget(VectorParams target, List<float[]> positives, List<float[]> negatives)
    {
        var rows = new List<float>();
        foreach (var p in positives)
        {
            rows.AddRange(p);
        }

        foreach (var n in negatives)
        {
            foreach (var x in n)
            {
                rows.Add(-x);
            }
        }

        var result = rows.ToArray();
        PreprocessRows(target, result);
        return result;
    }

    private static AvError DimensionError(ulong expected, int got) =>
        AvError.BadRequest($"Vector dimension error: expected dim: {expected}, got {got}");
}
