using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// One element-wise step of a pairwise reduction: <c>acc + f(a, b)</c>, at every vector width.
/// Implemented by private structs in <see cref="Dot"/>, <see cref="SquaredL2"/> and <see cref="L1"/>;
/// <see cref="PairwiseSum"/> supplies the loop, so the unsafe code exists once.
/// </summary>
internal interface IAccumulateOperator
{
    static abstract float Accumulate(float a, float b, float acc);

    static abstract Vector128<float> Accumulate(Vector128<float> a, Vector128<float> b, Vector128<float> acc);

    static abstract Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc);

    static abstract Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc);
}
