namespace AotVector.Kernels.Tests;

/// <summary>Which entry of a kernel a test drives: the dispatching public one, or one fixed-width path.</summary>
public enum KernelPath
{
    Dispatch,
    Vector512,
    Vector256,
    Vector128,
    Scalar,
}
