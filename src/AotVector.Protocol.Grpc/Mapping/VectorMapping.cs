#pragma warning disable CS0612 // Deprecated wire fields are read and written on purpose: older clients still use them.
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Wire vectors → dense float arrays keyed by name ("" for the unnamed vector), and back.
/// Input accepts both the deprecated flat <c>Vector.data</c> and the <c>dense</c> oneof; output
/// always uses <c>VectorOutput.dense</c>, as Qdrant does.
/// </summary>
internal static class VectorMapping
{
    public static Result<float[]> ToDense(Wire.Vector vector)
    {
        switch (vector.VectorCase)
        {
            case Wire.Vector.VectorOneofCase.Dense:
                return vector.Dense.Data.ToArray();
            case Wire.Vector.VectorOneofCase.Sparse:
                return SparseRules.WrongSparse;
            case Wire.Vector.VectorOneofCase.MultiDense:
                return Unsupported.MultiVectors;
            case Wire.Vector.VectorOneofCase.Document:
            case Wire.Vector.VectorOneofCase.Image:
            case Wire.Vector.VectorOneofCase.Object:
                return Unsupported.InferenceInputs;
            default:
                // Legacy flat form: indices mark a sparse vector, vectors_count a multi-vector.
                if (vector.Indices is not null)
                {
                    return SparseRules.WrongSparse;
                }

                if (vector.HasVectorsCount && vector.VectorsCount > 1)
                {
                    return Unsupported.MultiVectors;
                }

                return vector.Data.ToArray();
        }
    }

    /// <summary>
    /// A stored vector of any kind the engine keeps: dense (current or deprecated flat form) or sparse (the
    /// <c>sparse</c> oneof, or the deprecated <c>data</c> + <c>indices</c> form). The engine checks sparse vectors.
    /// </summary>
    public static Result<VectorData> ToVectorData(Wire.Vector vector)
    {
        if (vector.VectorCase == Wire.Vector.VectorOneofCase.Sparse)
        {
            return new SparseVector(vector.Sparse.Indices.ToArray(), vector.Sparse.Values.ToArray());
        }

        if (vector.VectorCase == Wire.Vector.VectorOneofCase.None && vector.Indices is not null)
        {
            return new SparseVector(vector.Indices.Data.ToArray(), vector.Data.ToArray());
        }

        return ToDense(vector).TryGet(out var dense, out var error) ? new DenseVector(dense) : error;
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
                if (!ToVectorData(vectors.Vector).TryGet(out var data, out var error))
                {
                    return error;
                }

                result[VectorsConfig.DefaultName] = data;
                break;
            }

            case Wire.Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, vector) in vectors.Vectors_.Vectors)
                {
                    if (!ToVectorData(vector).TryGet(out var data, out var error))
                    {
                        return error;
                    }

                    result[name] = data;
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
        Wire.VectorInput.VariantOneofCase.MultiDense => Unsupported.MultiVectors,
        Wire.VectorInput.VariantOneofCase.Document
            or Wire.VectorInput.VariantOneofCase.Image
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
