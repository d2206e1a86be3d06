namespace AotVector.Server.Config;

/// <summary>What a <see cref="ConfigNode"/> holds.</summary>
internal enum ConfigNodeKind : byte
{
    Null,
    Scalar,
    Mapping,
    Sequence,
}
