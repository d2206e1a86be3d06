#pragma warning disable CS0612 // Deprecated wire fields are read and written on purpose: older clients still use them.
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Wire vectors → engine vectors keyed by name ("" for the unnamed vector), and back.
/// Input accepts both the deprecated flat <c>Vector.data</c> (with <c>vectors_count</c> for a multivector) and the
/// <c>dense</c> / <c>multi_dense</c> oneof; output uses the oneof, as Qdrant does.
/// </summary>
internal static class VectorMapping
{
    public static Result<VectorData> ToVector(Wire.Vector vector)
    {
        switch (vector.VectorCase)
        {
            case Wire.Vector.VectorOneofCase.Dense:
                return new DenseVector(vector.Dense.Data.ToArray());
            case Wire.Vector.VectorOneofCase.Sparse:
                return new SparseVector(vector.Sparse.Indices.ToArray(), vector.Sparse.Values.ToArray());
            case Wire.Vector.VectorOneofCase.MultiDense:
                return ToEngine(vector.MultiDense).TryGet(out var multi, out var error) ? multi : error;
            case Wire.Vector.VectorOneofCase.Document:
                return ToEngine(vector.Document);
            case Wire.Vector.VectorOneofCase.Image:
            case Wire.Vector.VectorOneofCase.Object:
                return Unsupported.InferenceInputs;
            default:
                // Legacy flat form: indices mark a sparse vector, vectors_count a multivector of len / count rows.
                if (vector.Indices is not null)
                {
                    return new SparseVector(vector.Indices.Data.ToArray(), vector.Data.ToArray());
                }

                if (vector.HasVectorsCount)
                {
                    return FlatMulti(vector.Data.ToArray(), vector.VectorsCount);
                }

                return new DenseVector(vector.Data.ToArray());
        }
    }

    /// <summary>A document for a server-side model; the engine embeds it (only BM25 runs here).</summary>
    public static DocumentVector ToEngine(Wire.Document document) =>
        new(document.Text, document.Model, document.Options.Count == 0 ? null : PayloadMapping.ToEngine(document.Options));

    /// <summary>A multivector message: rows non-empty and of one length, as the REST reader checks them.</summary>
    public static Result<MultiDenseVector> ToEngine(Wire.MultiDenseVector multi)
    {
        if (multi.Vectors.Count == 0)
        {
            return GrpcErrors.InvalidField("multi_dense", "multi vector must not be empty");
        }

        var dimension = multi.Vectors[0].Data.Count;
        var values = new float[multi.Vectors.Count * dimension];
        for (var r = 0; r < multi.Vectors.Count; r++)
        {
            var row = multi.Vectors[r].Data;
            if (row.Count == 0)
            {
                return GrpcErrors.InvalidField("multi_dense", "all vectors must be non-empty");
            }

            if (row.Count != dimension)
            {
                return GrpcErrors.InvalidField("multi_dense", $"all vectors must have the same dimension, found vector with dimension {row.Count}");
            }

            row.CopyTo(values, r * dimension);
        }

        return new MultiDenseVector(values, dimension);
    }

    private static Result<VectorData> FlatMulti(float[] data, uint count)
    {
        if (count == 0)
        {
            return GrpcErrors.InvalidField("vectors_count", "vectors count must be greater than 0");
        }

        if (data.Length == 0)
        {
            return GrpcErrors.InvalidField("data", "multi vector must not be empty");
        }

        // The reference's row size: len / count rounded down; more rows than values leaves rows of size 0.
        var dimension = data.Length / (int)Math.Min(count, int.MaxValue);
        if (dimension == 0)
        {
            return AvError.BadRequest("Validation failed: MultiDenseVector cannot have zero dimension");
        }

        if (data.Length % dimension != 0)
        {
            return AvError.BadRequest($"Validation failed: Invalid multi-vector length: {data.Length}, expected multiple of {dimension}");
        }

        return new MultiDenseVector(data, dimension);
    }

    /// <summary>A point's vectors; absent means none.</summary>
    public static Result<IReadOnlyDictionary<string, VectorData>> ToEngine(Wire.Vectors? vectors)
    {
        var result = new Dictionary<string, VectorData>(StringComparer.Ordinal);
        if (vectors is null)
        {
            return result;
        }

        switch (vectors.VectorsOptionsCase)
        {
            case Wire.Vectors.VectorsOptionsOneofCase.Vector:
            {
                if (!ToVector(vectors.Vector).TryGet(out var single, out var error))
                {
                    return error;
                }

                result[VectorsConfig.DefaultName] = single;
                break;
            }

            case Wire.Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, vector) in vectors.Vectors_.Vectors)
                {
                    if (!ToVector(vector).TryGet(out var value, out var error))
                    {
                        return error;
                    }

                    result[name] = value;
                }

                break;
            default:
                break;
        }

        return result;
    }

    /// <summary>A query-side vector: inline dense values, or the id of a stored point.</summary>
    public static Result<VectorInput> ToEngine(Wire.VectorInput input) => input.VariantCase switch
    {
        Wire.VectorInput.VariantOneofCase.Dense => new DenseVectorInput(input.Dense.Data.ToArray()),
        Wire.VectorInput.VariantOneofCase.Id => PointIdMapping.ToEngine(input.Id).TryGet(out var id, out var error)
            ? new PointIdInput(id)
            : error,
        Wire.VectorInput.VariantOneofCase.Sparse => new SparseVectorInput(new SparseVector(input.Sparse.Indices.ToArray(), input.Sparse.Values.ToArray())),
        Wire.VectorInput.VariantOneofCase.MultiDense => ToEngine(input.MultiDense).TryGet(out var multi, out var multiError)
            ? new MultiDenseVectorInput(multi)
            : multiError,
        Wire.VectorInput.VariantOneofCase.Document => new DocumentInput(ToEngine(input.Document)),
        Wire.VectorInput.VariantOneofCase.Image
            or Wire.VectorInput.VariantOneofCase.Object => Unsupported.InferenceInputs,
        _ => AvError.BadRequest("vector input is empty"),
    };

    /// <summary>The single unnamed vector as a bare <c>vector</c>; anything else as a named map. Null stays unset.</summary>
    public static Wire.VectorsOutput? ToWire(IReadOnlyDictionary<string, VectorData>? vectors)
    {
        if (vectors is null)
        {
            return null;
        }

        if (vectors.Count == 1 && vectors.TryGetValue(VectorsConfig.DefaultName, out var single))
        {
            return new Wire.VectorsOutput { Vector = Output(single) };
        }

        var named = new Wire.NamedVectorsOutput();
        foreach (var (name, values) in vectors)
        {
            named.Vectors[name] = Output(values);
        }

        return new Wire.VectorsOutput { Vectors = named };
    }

    private static Wire.VectorOutput Output(VectorData vector)
    {
        switch (vector)
        {
            case DenseVector d:
                return new Wire.VectorOutput { Dense = Dense(d.Values) };
            case SparseVector s:
            {
                var sparse = new Wire.SparseVector();
                sparse.Indices.Add(s.Indices);
                sparse.Values.Add(s.Values);
                return new Wire.VectorOutput { Sparse = sparse };
            }

            case MultiDenseVector m:
            {
                var multi = new Wire.MultiDenseVector();
                for (var i = 0; i < m.Count; i++)
                {
                    multi.Vectors.Add(Dense(m.Row(i).ToArray()));
                }

                return new Wire.VectorOutput { MultiDense = multi };
            }

            default:
                throw new ArgumentException("Unknown vector kind " + vector.GetType().Name, nameof(vector));
        }
    }

    private static Wire.DenseVector Dense(float[] values)
    {
        var dense = new Wire.DenseVector();
        dense.Data.Add(values);
        return dense;
    }
}
