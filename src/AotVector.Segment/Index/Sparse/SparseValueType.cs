namespace AotVector.Segment.Index.Sparse;

/// <summary>How the weights of a built sparse index are stored (the reference's sparse index <c>datatype</c>).</summary>
public enum SparseValueType : byte
{
    Float32 = 0,

    /// <summary>IEEE half precision: half the bytes, about three significant digits.</summary>
    Float16 = 1,

    /// <summary>One byte per weight, linear over each posting list's own [min, max] (256 levels).</summary>
    UInt8 = 2,
}
