using System.Diagnostics.CodeAnalysis;

namespace AotVector.Segment;

/// <summary>Throws for the segment layer, so hot and parsing methods stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalidData(string message) => throw new InvalidDataException(message);

    [DoesNotReturn]
    public static T ThrowInvalidData<T>(string message) => throw new InvalidDataException(message);

    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowObjectDisposed(string name) => throw new ObjectDisposedException(name);
}
