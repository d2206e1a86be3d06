using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary><c>CreateVectorNameRequest</c> → the engine's request; the rules needing no collection are the engine's.</summary>
internal static class VectorNameMapping
{
    public static Result<CreateVectorNameRequest> ToEngine(Wire.CreateVectorNameRequest request)
    {
        switch (request.VectorConfigCase)
        {
            case Wire.CreateVectorNameRequest.VectorConfigOneofCase.DenseConfig:
                var dense = request.DenseConfig;
                if (!DistanceMapping.TryToEngine(dense.Distance, out var distance))
                {
                    return GrpcErrors.InvalidField("dense_config.distance", $"unknown distance {(int)dense.Distance}, expected Cosine, Euclid, Dot or Manhattan");
                }

                MultiVectorConfig? multi = null;
                if (dense.MultivectorConfig is { } wireMulti)
                {
                    if (wireMulti.Comparator != Wire.MultiVectorComparator.MaxSim)
                    {
                        return AvError.BadRequest("Unknown multi vector comparator");
                    }

                    multi = new MultiVectorConfig(MultiVectorComparator.MaxSim);
                }

                return new CreateVectorNameRequest(request.VectorName, new NewDenseVector(dense.Size, distance, multi), null, dense.HasDatatype ? DatatypeName(dense.Datatype) : null);
            case Wire.CreateVectorNameRequest.VectorConfigOneofCase.SparseConfig:
                var sparse = request.SparseConfig;
                SparseModifier? modifier = null;
                if (sparse.HasModifier)
                {
                    modifier = sparse.Modifier switch
                    {
                        Wire.Modifier.Idf => SparseModifier.Idf,
                        Wire.Modifier.None => SparseModifier.None,
                        var other => null,
                    };
                    if (modifier is null)
                    {
                        return AvError.BadRequest($"Cannot convert sparse modifier: {(int)sparse.Modifier}");
                    }
                }

                return new CreateVectorNameRequest(request.VectorName, null, new NewSparseVector(modifier), sparse.HasDatatype ? DatatypeName(sparse.Datatype) : null);
            default:
                return GrpcErrors.InvalidField("vector_config", "is required (dense_config or sparse_config)");
        }
    }

    // The datatype as the REST wire names it; Default is "not given", as in the reference.
    private static string? DatatypeName(Wire.Datatype datatype) => datatype switch
    {
        Wire.Datatype.Default => null,
        Wire.Datatype.Float32 => "float32",
        Wire.Datatype.Float16 => "float16",
        Wire.Datatype.Uint8 => "uint8",
        Wire.Datatype.Turbo4 => "turbo4",
        _ => ((int)datatype).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
