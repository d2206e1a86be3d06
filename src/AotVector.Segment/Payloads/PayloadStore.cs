using AotVector.Common.Model;

namespace AotVector.Segment.Payloads;

/// <summary>
/// The payloads of one segment by offset: on the heap (<see cref="HeapPayloadStore"/>) or in a memory-mapped file
/// read on demand (<see cref="MappedPayloadStore"/>, a collection's <c>on_disk_payload</c>). The owning segment
/// serializes writers against readers, as for the rest of its state.
/// </summary>
/// <remarks>
/// A write is two steps so that a full disk cannot fail it half-way: <see cref="Stage"/> does whatever can fail
/// (encoding, appending bytes nobody points at yet), before the segment changes anything; <see cref="Assign"/> then
/// makes the offset point at it and cannot fail.
/// </remarks>
internal abstract class PayloadStore : IDisposable
{
    /// <summary>Whether payloads live in a file read on demand rather than on the heap.</summary>
    public abstract bool OnDisk { get; }

    /// <summary>Offsets covered; <see cref="AddOffset"/> extends it by one.</summary>
    public abstract uint Count { get; }

    /// <summary>
    /// The payload at <paramref name="offset"/>, or null. The heap store returns the object it holds, which a caller
    /// may change only to <see cref="Assign"/> it back; the mapped store decodes a new one on every call.
    /// </summary>
    public abstract Payload? Get(uint offset);

    /// <summary>True when <see cref="Get"/> returns a fresh object the caller may keep or change freely.</summary>
    public abstract bool GetReturnsCopy { get; }

    /// <summary>Bytes the stored payloads take encoded (<see cref="PayloadCodec"/>), over every offset.</summary>
    public abstract ulong EncodedBytes { get; }

    /// <summary>Readies <paramref name="payload"/> (null or empty: none) for <see cref="Assign"/>. May throw (disk full); changes nothing visible.</summary>
    public abstract StagedPayload Stage(Payload? payload);

    /// <summary>Points <paramref name="offset"/> (below <see cref="Count"/>) at a staged payload.</summary>
    public abstract void Assign(uint offset, in StagedPayload staged);

    /// <summary>Covers one more offset, without a payload.</summary>
    public abstract void AddOffset();

    /// <summary>Makes staged bytes durable (the mapped store's file); a no-op on the heap.</summary>
    public virtual void Sync()
    {
    }

    /// <summary>Room for <paramref name="points"/> more payloads of about the usual size, so their writes do not grow the file.</summary>
    public virtual void Reserve(int points)
    {
    }

    public virtual void Dispose()
    {
    }
}
