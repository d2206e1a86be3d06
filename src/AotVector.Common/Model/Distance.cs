namespace AotVector.Common.Model;

/// <summary>Vector distance, named and numbered as in Qdrant (gRPC enum values 1..4).</summary>
public enum Distance : byte
{
    Cosine = 1,
    Euclid = 2,
    Dot = 3,
    Manhattan = 4,
}
