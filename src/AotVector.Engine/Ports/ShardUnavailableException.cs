using AotVector.Common.Errors;

namespace AotVector.Engine.Ports;

/// <summary>
/// A shard read that no replica could answer: the shard's reads return values, not results, so this carries the
/// error out to the engine's boundary, which answers it as <see cref="Error"/>.
/// </summary>
public sealed class ShardUnavailableException(AvError error) : Exception(error.Message)
{
    public AvError Error { get; } = error;
}
