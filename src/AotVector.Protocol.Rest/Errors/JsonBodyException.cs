using AotVector.Common.Errors;

namespace AotVector.Protocol.Rest.Errors;

/// <summary>
/// Raised deep inside the body readers and caught once at their entry point (<c>BodyParser.Parse</c>),
/// which turns it back into an <see cref="AvError"/> value; it never leaves this assembly.
/// Threading a Result through every nested JSON read would triple the readers' size.
/// </summary>
internal sealed class JsonBodyException(AvError error) : Exception(error.Message)
{
    public AvError Error { get; } = error;
}
