namespace AotVector.Engine.Api;

/// <summary>What a caller may do, globally or on one collection. Ordered: each level includes the ones before it.</summary>
public enum AccessLevel : byte
{
    None,
    Read,
    ReadWrite,
    Manage,
}
