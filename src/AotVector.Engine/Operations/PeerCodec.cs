using System.Buffers;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment.Payloads;
using static AotVector.Storage.Files.LittleEndianReader;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Engine.Operations;

/// <summary>
/// The binary forms in which engine values cross to another peer: the same bytes the WAL and segments write, so a
/// point, payload or filter arrives exactly as it left and no front end maps it a second time. An operation is the
/// WAL's entry (<see cref="OperationCodec"/>) behind a small header carrying what the WAL never holds, because a
/// replica resolves it against its own points: a filter selector, an upsert's update filter and insert/update mode.
/// <code>
/// operation: | u8 version (1) | u8 mode | u8 flags (1 selector filter, 2 update filter) | [filter] | [filter] | WAL entry |
/// </code>
/// Every decode throws <see cref="InvalidDataException"/> on malformed bytes.
/// </summary>
public static class PeerCodec
{
    private const byte OperationVersion = 1;
    private const byte SelectorFilter = 1;
    private const byte UpdateFilter = 2;

    public static byte[] EncodeOperation(UpdateOperation operation)
    {
        var w = new ArrayBufferWriter<byte>(256);
        var selector = SelectorOf(operation);
        var updateFilter = operation switch
        {
            UpsertPoints u => u.UpdateFilter,
            UpdateVectors uv => uv.UpdateFilter,
            _ => null,
        };
        var mode = operation is UpsertPoints { Mode: var m } ? m : UpdateMode.Upsert;

        WriteU8(w, OperationVersion);
        WriteU8(w, (byte)mode);
        WriteU8(w, (byte)((selector?.Filter is null ? 0 : SelectorFilter) | (updateFilter is null ? 0 : UpdateFilter)));
        if (selector?.Filter is { } byFilter)
        {
            FilterCodec.Write(w, byFilter);
            operation = WithSelector(operation, PointsSelector.ByIds([]));
        }

        if (updateFilter is not null)
        {
            FilterCodec.Write(w, updateFilter);
        }

        var entry = OperationCodec.Encode(operation);
        entry.CopyTo(w.GetSpan(entry.Length));
        w.Advance(entry.Length);
        return w.WrittenSpan.ToArray();
    }

    public static UpdateOperation DecodeOperation(ReadOnlySpan<byte> data) => Decoding(data, static (ref ReadOnlySpan<byte> r) =>
    {
        if (ReadU8(ref r) != OperationVersion)
        {
            throw new InvalidDataException("Unknown peer operation format version.");
        }

        var mode = (UpdateMode)ReadU8(ref r);
        var flags = ReadU8(ref r);
        if (!Enum.IsDefined(mode) || (flags & ~(SelectorFilter | UpdateFilter)) != 0)
        {
            throw new InvalidDataException("Malformed peer operation header.");
        }

        var selector = (flags & SelectorFilter) != 0 ? FilterCodec.Read(ref r) : null;
        var updateFilter = (flags & UpdateFilter) != 0 ? FilterCodec.Read(ref r) : null;
        var operation = OperationCodec.Decode(r);
        r = default;
        if (selector is not null)
        {
            operation = SelectorOf(operation) is not null
                ? WithSelector(operation, PointsSelector.ByFilter(selector))
                : throw new InvalidDataException("A filter selector on an operation that has none.");
        }

        return operation switch
        {
            UpsertPoints u => u with { UpdateFilter = updateFilter, Mode = mode },
            UpdateVectors uv => uv with { UpdateFilter = updateFilter },
            _ => operation,
        };
    });

    public static byte[] EncodeFilter(Filter filter)
    {
        var w = new ArrayBufferWriter<byte>(64);
        FilterCodec.Write(w, filter);
        return w.WrittenSpan.ToArray();
    }

    public static Filter DecodeFilter(ReadOnlySpan<byte> data) => Decoding(data, static (ref ReadOnlySpan<byte> r) => FilterCodec.Read(ref r));

    public static byte[] EncodePayload(Payload payload) => PayloadCodec.Encode(payload);

    public static Payload DecodePayload(ReadOnlySpan<byte> data) => Decoding(data, static (ref ReadOnlySpan<byte> r) => PayloadCodec.Read(ref r));

    /// <summary>Named vectors, each with its kind (dense, sparse or multi), as an upsert logs them.</summary>
    public static byte[] EncodeVectors(IReadOnlyDictionary<string, VectorData> vectors)
    {
        var w = new ArrayBufferWriter<byte>(64);
        OperationCodec.WriteVectors(w, vectors);
        return w.WrittenSpan.ToArray();
    }

    public static IReadOnlyDictionary<string, VectorData> DecodeVectors(ReadOnlySpan<byte> data) =>
        Decoding<IReadOnlyDictionary<string, VectorData>>(data, static (ref ReadOnlySpan<byte> r) => OperationCodec.ReadVectors(ref r, denseOnly: false));

    private delegate T Reader<out T>(ref ReadOnlySpan<byte> r);

    // The whole input must be one value: trailing bytes mean the two peers disagree on the format.
    private static T Decoding<T>(ReadOnlySpan<byte> data, Reader<T> read)
    {
        try
        {
            var r = data;
            var value = read(ref r);
            return r.IsEmpty ? value : throw new InvalidDataException("Trailing bytes after a peer value.");
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException("Truncated or malformed peer value.", e);
        }
    }

    private static PointsSelector? SelectorOf(UpdateOperation operation) => operation switch
    {
        DeletePoints d => d.Selector,
        SetPayload s => s.Selector,
        OverwritePayload o => o.Selector,
        DeletePayloadKeys k => k.Selector,
        ClearPayload c => c.Selector,
        DeleteVectors dv => dv.Selector,
        _ => null,
    };

    private static UpdateOperation WithSelector(UpdateOperation operation, PointsSelector selector) => operation switch
    {
        DeletePoints d => d with { Selector = selector },
        SetPayload s => s with { Selector = selector },
        OverwritePayload o => o with { Selector = selector },
        DeletePayloadKeys k => k with { Selector = selector },
        ClearPayload c => c with { Selector = selector },
        DeleteVectors dv => dv with { Selector = selector },
        _ => operation,
    };
}
