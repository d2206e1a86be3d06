using System.Buffers.Binary;
using AotVector.Common.Model;

namespace AotVector.Common.Filtering;

/// <summary>
/// One of <see cref="Total"/> disjoint slices of the id space: a point belongs to slice <see cref="Index"/> when
/// <see cref="Hash"/> of its id modulo <see cref="Total"/> is the index. The hash is the reference's public contract
/// (clients predict membership with it), so slices here hold exactly the points Qdrant's do.
/// </summary>
public sealed record SliceCondition(uint Index, uint Total) : Condition
{
    public bool Contains(PointId id) => Total != 0 && Hash(id) % Total == Index;

    /// <summary>SipHash-2-4 with a zero key over the id's bytes: 8 little-endian for a number, the 16 RFC 4122 bytes of a UUID.</summary>
    public static ulong Hash(PointId id)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (id.IsUuid)
        {
            id.Uuid.TryWriteBytes(bytes, bigEndian: true, out _);
            return SipHash24.Compute(bytes, 0, 0);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes, id.Num);
        return SipHash24.Compute(bytes[..8], 0, 0);
    }
}
