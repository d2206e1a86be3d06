using AotVector.Common.Errors;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// PUT /collections/{name}/vectors/{vector_name}, gRPC Points/CreateVectorName: a vector added to a collection that
/// may already hold points, which have no value for it. Exactly one of <see cref="Dense"/> and <see cref="Sparse"/>
/// is set; <see cref="Datatype"/> is the storage type as the REST wire names it (<c>float32</c>…), or null.
/// </summary>
public sealed record CreateVectorNameRequest(string VectorName, NewDenseVector? Dense, NewSparseVector? Sparse, string? Datatype = null);

/// <summary>The shape of a new dense vector (only what defines its space; index settings come from the collection).</summary>
public sealed record NewDenseVector(ulong Size, Distance Distance, MultiVectorConfig? MultivectorConfig = null);

/// <summary>A new sparse vector.</summary>
public sealed record NewSparseVector(SparseModifier? Modifier = null);

/// <summary>
/// The checks of a vector name request that need no collection, as the reference makes them (vector names become
/// file names there): one text whichever front end read the request.
/// </summary>
public static class VectorNameRules
{
    /// <summary>The longest vector name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 200;

    // Characters no file name may hold on Linux or Windows.
    private static readonly char[] s_invalid = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0', '\u001F'];

    /// <summary>The refusal of <paramref name="name"/> as a vector name, or null.</summary>
    public static AvError? Name(string name)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            return Invalid(name, $"vector name must be at most {MaxNameBytes} bytes long");
        }

        var at = name.IndexOfAny(s_invalid);
        return at < 0 ? null : Invalid(name, $"vector name cannot contain \"{Shown(name[at])}\" char");
    }

    /// <summary>The refusal of a create request, or null.</summary>
    public static AvError? Create(CreateVectorNameRequest request)
    {
        if (Name(request.VectorName) is { } bad)
        {
            return bad;
        }

        switch (request)
        {
            case { Dense: { } dense, Sparse: null }:
                if (RequestRules.VectorSize(dense.Size) is { } problem)
                {
                    return AvError.Validation($"[dense.size: {problem}]");
                }

                if (!Enum.IsDefined(dense.Distance))
                {
                    return AvError.BadRequest($"unknown distance {(int)dense.Distance}");
                }

                if (dense.MultivectorConfig is { } multi && !Enum.IsDefined(multi.Comparator))
                {
                    return AvError.BadRequest($"unknown multivector comparator {(int)multi.Comparator}");
                }

                break;
            case { Dense: null, Sparse: { } sparse }:
                if (request.VectorName.Length == 0)
                {
                    return AvError.BadRequest("Sparse vector name cannot be empty");
                }

                if (sparse.Modifier is { } modifier && !Enum.IsDefined(modifier))
                {
                    return AvError.BadRequest($"unknown sparse vector modifier {(int)modifier}");
                }

                break;
            default:
                return AvError.BadRequest("a new vector is either `dense` or `sparse`: give exactly one of them");
        }

        return request.Datatype is not { } datatype ? null
            : request.Sparse is not null ? Unsupported.SparseDatatype(datatype)
            : Unsupported.Datatype(datatype);
    }

    private static AvError Invalid(string name, string problem) => AvError.BadRequest($"Invalid vector name `{name}`: {problem}");

    private static string Shown(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
