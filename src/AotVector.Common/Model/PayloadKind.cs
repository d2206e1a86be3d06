namespace AotVector.Common.Model;

/// <summary>The JSON type of a payload value. Integers and doubles are distinct, as in Qdrant.</summary>
public enum PayloadKind : byte
{
    Null,
    Bool,
    Integer,
    Double,
    String,
    Array,
    Object,
}
