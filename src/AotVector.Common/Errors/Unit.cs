namespace AotVector.Common.Errors;

/// <summary>The value of an operation that only succeeds or fails.</summary>
public readonly record struct Unit
{
    public static readonly Unit Value = default;
}
