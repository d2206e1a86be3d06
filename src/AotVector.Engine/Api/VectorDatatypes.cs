using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>The dense vector datatypes by their REST names (the gRPC enum maps to these names in the front end).</summary>
public static class VectorDatatypes
{
    /// <summary>The datatype named <paramref name="name"/> among those the engine stores; false for others (<c>turbo4</c>).</summary>
    public static bool TryParse(string name, out VectorDatatype datatype)
    {
        switch (name)
        {
            case "float32":
                datatype = VectorDatatype.Float32;
                return true;
            case "float16":
                datatype = VectorDatatype.Float16;
                return true;
            case "uint8":
                datatype = VectorDatatype.Uint8;
                return true;
            default:
                datatype = default;
                return false;
        }
    }

    public static string Name(VectorDatatype datatype) => datatype switch
    {
        VectorDatatype.Float16 => "float16",
        VectorDatatype.Uint8 => "uint8",
        _ => "float32",
    };
}
