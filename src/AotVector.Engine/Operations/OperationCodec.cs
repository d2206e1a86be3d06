using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment;
using AotVector.Segment.Payloads;
using static AotVector.Storage.Files.LittleEndianReader;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Engine.Operations;

/// <summary>
/// Binary form of a resolved operation, as it sits in the WAL. Only resolved operations are
/// written: selectors are explicit id lists (filters were resolved under the shard's writer
/// gate, which holds off every other change), so replay is deterministic and needs no filter codec.
/// <code>
/// | u8 format version (2) | u8 op tag | op body ... |
/// body fields: u32 counts, PointId as 17 bytes, strings as u32 byte length + UTF-8,
/// vectors as u32 name count then (name, u8 kind, kind body), payload via PayloadCodec.
/// kind 0 dense: u32 dim, f32 * dim; kind 1 sparse: u32 n, u32 * n indices, f32 * n values;
/// kind 2 multi: u32 dim, u32 rows, f32 * (dim * rows).
/// </code>
/// Vector name operations (tags 11 and 12, added within format 2, which older entries never use): the name, then
/// for a create u8 kind, and for a dense kind u32 dim, u8 distance, u8 multi (1 for a multivector).
/// All integers little-endian. Version 1 entries (written before sparse and multivectors) have no kind byte: every
/// vector is dense; they still decode.
/// </summary>
internal static class OperationCodec
{
    // Set in a field index creation's schema byte when its parameters follow.
    private const byte IndexParamsBit = 0x80;

    private const byte FormatVersion = 2;
    private const byte DenseOnlyFormatVersion = 1;

    private enum VectorKind : byte
    {
        Dense = 0,
        Sparse = 1,
        Multi = 2,
    }

    private enum Tag : byte
    {
        Upsert = 1,
        Delete = 2,
        SetPayload = 3,
        OverwritePayload = 4,
        DeletePayloadKeys = 5,
        ClearPayload = 6,
        UpdateVectors = 7,
        DeleteVectors = 8,
        CreateFieldIndex = 9,
        DeleteFieldIndex = 10,
        CreateVectorName = 11,
        DeleteVectorName = 12,
    }

    public static byte[] Encode(UpdateOperation op)
    {
        var w = new ArrayBufferWriter<byte>(256);
        WriteU8(w, FormatVersion);
        switch (op)
        {
            case UpsertPoints u:
                WriteU8(w, (byte)Tag.Upsert);
                WriteU32(w, (uint)u.Points.Count);
                foreach (var p in u.Points)
                {
                    WritePointId(w, p.Id);
                    WriteVectors(w, p.Vectors);
                    WritePayloadOpt(w, p.Payload);
                }

                break;
            case DeletePoints d:
                WriteU8(w, (byte)Tag.Delete);
                WriteIds(w, d.Selector);
                break;
            case SetPayload s:
                WriteU8(w, (byte)Tag.SetPayload);
                WriteIds(w, s.Selector);
                PayloadCodec.Write(w, s.Payload);
                WriteStringOpt(w, s.Key);
                break;
            case OverwritePayload o:
                WriteU8(w, (byte)Tag.OverwritePayload);
                WriteIds(w, o.Selector);
                PayloadCodec.Write(w, o.Payload);
                break;
            case DeletePayloadKeys k:
                WriteU8(w, (byte)Tag.DeletePayloadKeys);
                WriteIds(w, k.Selector);
                WriteStrings(w, k.Keys);
                break;
            case ClearPayload c:
                WriteU8(w, (byte)Tag.ClearPayload);
                WriteIds(w, c.Selector);
                break;
            case UpdateVectors uv:
                WriteU8(w, (byte)Tag.UpdateVectors);
                WriteU32(w, (uint)uv.Points.Count);
                foreach (var p in uv.Points)
                {
                    WritePointId(w, p.Id);
                    WriteVectors(w, p.Vectors);
                }

                break;
            case DeleteVectors dv:
                WriteU8(w, (byte)Tag.DeleteVectors);
                WriteIds(w, dv.Selector);
                WriteStrings(w, dv.VectorNames);
                break;
            case CreateFieldIndex ci:
                WriteU8(w, (byte)Tag.CreateFieldIndex);
                WriteString(w, ci.FieldName);
                // Bit 7: creation parameters follow (after a text index's own); earlier entries never set it.
                WriteU8(w, (byte)((byte)ci.Schema | (ci.Options is null ? 0 : IndexParamsBit)));
                if (ci.Schema == PayloadSchemaType.Text)
                {
                    // Text indexes always carry their parameters; earlier entries never have a text index.
                    var text = Segment.FullText.TextIndexParamsCodec.Encode(ci.Text ?? Common.FullText.TextIndexParams.Default);
                    WriteU32(w, (uint)text.Length);
                    WriteBytes(w, text);
                }

                if (ci.Options is { } indexOptions)
                {
                    WriteBytes(w, Segment.FieldIndexParamsCodec.Encode(indexOptions.ToSegment()));
                }

                break;
            case DeleteFieldIndex di:
                WriteU8(w, (byte)Tag.DeleteFieldIndex);
                WriteString(w, di.FieldName);
                break;
            case CreateVectorName cv:
                WriteU8(w, (byte)Tag.CreateVectorName);
                WriteString(w, cv.Name);
                if (cv.Dense is { } spec)
                {
                    WriteU8(w, (byte)VectorKind.Dense);
                    WriteU32(w, (uint)spec.Dimension);
                    WriteU8(w, (byte)spec.Distance);
                    WriteU8(w, spec.Multi ? (byte)1 : (byte)0);
                    WriteU8(w, (byte)spec.Datatype);
                }
                else
                {
                    WriteU8(w, (byte)VectorKind.Sparse);
                }

                break;
            case DeleteVectorName dn:
                WriteU8(w, (byte)Tag.DeleteVectorName);
                WriteString(w, dn.Name);
                break;
            default:
                throw new ArgumentException("Unknown operation " + op.GetType().Name, nameof(op));
        }

        return w.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a WAL entry; throws <see cref="InvalidDataException"/> on a malformed one.</summary>
    public static UpdateOperation Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = data;
            var version = ReadU8(ref r);
            if (version is not FormatVersion and not DenseOnlyFormatVersion)
            {
                throw new InvalidDataException("Unknown WAL operation format version.");
            }

            var denseOnly = version == DenseOnlyFormatVersion;

            var tag = (Tag)ReadU8(ref r);
            return tag switch
            {
                Tag.Upsert => DecodeUpsert(ref r, denseOnly),
                Tag.Delete => new DeletePoints(ReadIds(ref r)),
                Tag.SetPayload => DecodeSetPayload(ref r),
                Tag.OverwritePayload => DecodeOverwrite(ref r),
                Tag.DeletePayloadKeys => DecodeDeleteKeys(ref r),
                Tag.ClearPayload => new ClearPayload(ReadIds(ref r)),
                Tag.UpdateVectors => DecodeUpdateVectors(ref r, denseOnly),
                Tag.DeleteVectors => DecodeDeleteVectors(ref r),
                Tag.CreateFieldIndex => DecodeCreateIndex(ref r),
                Tag.DeleteFieldIndex => new DeleteFieldIndex(ReadString(ref r)),
                Tag.CreateVectorName => DecodeCreateVectorName(ref r),
                Tag.DeleteVectorName => new DeleteVectorName(ReadString(ref r)),
                _ => throw new InvalidDataException($"Unknown WAL operation tag {(byte)tag}."),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("Truncated WAL operation.", e);
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException("WAL vector length out of range.", e);
        }
    }

    private static UpsertPoints DecodeUpsert(ref ReadOnlySpan<byte> r, bool denseOnly)
    {
        var count = ReadU32(ref r);
        var points = new List<PointStruct>((int)Math.Min(count, 1 << 16));
        for (var i = 0; i < count; i++)
        {
            var id = ReadId(ref r);
            var vectors = ReadVectors(ref r, denseOnly);
            var payload = ReadPayloadOpt(ref r);
            points.Add(new PointStruct(id, vectors, payload));
        }

        return new UpsertPoints(points);
    }

    private static SetPayload DecodeSetPayload(ref ReadOnlySpan<byte> r)
    {
        var ids = ReadIds(ref r);
        var payload = PayloadCodec.Read(ref r);
        return new SetPayload(payload, ids, ReadStringOpt(ref r));
    }

    private static OverwritePayload DecodeOverwrite(ref ReadOnlySpan<byte> r)
    {
        var ids = ReadIds(ref r);
        return new OverwritePayload(PayloadCodec.Read(ref r), ids);
    }

    private static DeletePayloadKeys DecodeDeleteKeys(ref ReadOnlySpan<byte> r)
    {
        var ids = ReadIds(ref r);
        return new DeletePayloadKeys(ReadStrings(ref r), ids);
    }

    private static UpdateVectors DecodeUpdateVectors(ref ReadOnlySpan<byte> r, bool denseOnly)
    {
        var count = ReadU32(ref r);
        var points = new List<PointVectors>((int)Math.Min(count, 1 << 16));
        for (var i = 0; i < count; i++)
        {
            var id = ReadId(ref r);
            points.Add(new PointVectors(id, ReadVectors(ref r, denseOnly)));
        }

        return new UpdateVectors(points);
    }

    private static DeleteVectors DecodeDeleteVectors(ref ReadOnlySpan<byte> r)
    {
        var ids = ReadIds(ref r);
        return new DeleteVectors(ids, ReadStrings(ref r));
    }

    private static CreateFieldIndex DecodeCreateIndex(ref ReadOnlySpan<byte> r)
    {
        var name = ReadString(ref r);
        var kind = ReadU8(ref r);
        var schema = (PayloadSchemaType)(kind & ~IndexParamsBit);
        Common.FullText.TextIndexParams? text = null;
        if (schema == PayloadSchemaType.Text)
        {
            var length = (int)ReadU32(ref r);
            text = Segment.FullText.TextIndexParamsCodec.Decode(r[..length]);
            r = r[length..];
        }

        FieldIndexOptions? options = null;
        if ((kind & IndexParamsBit) != 0)
        {
            options = FieldIndexOptions.From(Segment.FieldIndexParamsCodec.Decode(r[..Segment.FieldIndexParamsCodec.Length]));
            r = r[Segment.FieldIndexParamsCodec.Length..];
        }

        return new CreateFieldIndex(name, schema) { Text = text, Options = options };
    }

    private static CreateVectorName DecodeCreateVectorName(ref ReadOnlySpan<byte> r)
    {
        var name = ReadString(ref r);
        var kind = (VectorKind)ReadU8(ref r);
        switch (kind)
        {
            case VectorKind.Sparse:
                return new CreateVectorName(name, null);
            case VectorKind.Dense:
                var dimension = (int)ReadU32(ref r);
                var distance = (Distance)ReadU8(ref r);
                var multi = ReadU8(ref r) != 0;

                // Records written before datatypes end here: float32.
                var datatype = r.IsEmpty ? VectorDatatype.Float32 : (VectorDatatype)ReadU8(ref r);
                if (dimension <= 0 || !Enum.IsDefined(distance) || !Enum.IsDefined(datatype))
                {
                    throw new InvalidDataException($"WAL vector name {name} has an invalid shape.");
                }

                return new CreateVectorName(name, new VectorSpec(dimension, distance, multi, datatype));
            default:
                throw new InvalidDataException($"Unknown WAL vector kind {(byte)kind}.");
        }
    }

    private static void WriteIds(IBufferWriter<byte> w, PointsSelector selector)
    {
        var ids = selector.Ids ?? throw new ArgumentException("Only resolved selectors (id lists) go to the WAL.");
        WriteU32(w, (uint)ids.Count);
        foreach (var id in ids)
        {
            WritePointId(w, id);
        }
    }

    private static void WriteStringOpt(IBufferWriter<byte> w, string? s)
    {
        WriteU8(w, s is null ? (byte)0 : (byte)1);
        if (s is not null)
        {
            WriteString(w, s);
        }
    }

    private static void WriteStrings(IBufferWriter<byte> w, IReadOnlyList<string> items)
    {
        WriteU32(w, (uint)items.Count);
        foreach (var s in items)
        {
            WriteString(w, s);
        }
    }

    internal static void WriteVectors(IBufferWriter<byte> w, IReadOnlyDictionary<string, VectorData> vectors)
    {
        WriteU32(w, (uint)vectors.Count);
        foreach (var (name, v) in vectors)
        {
            WriteString(w, name);
            switch (v)
            {
                case DenseVector dense:
                    WriteU8(w, (byte)VectorKind.Dense);
                    WriteU32(w, (uint)dense.Values.Length);
                    WriteFloats(w, dense.Values);
                    break;
                case SparseVector sparse:
                    WriteU8(w, (byte)VectorKind.Sparse);
                    WriteU32(w, (uint)sparse.Indices.Length);
                    WriteBytes(w, System.Runtime.InteropServices.MemoryMarshal.AsBytes(sparse.Indices.AsSpan()));
                    WriteFloats(w, sparse.Values);
                    break;
                case MultiDenseVector multi:
                    WriteU8(w, (byte)VectorKind.Multi);
                    WriteU32(w, (uint)multi.Dimension);
                    WriteU32(w, (uint)multi.Count);
                    WriteFloats(w, multi.Values);
                    break;
                default:
                    throw new ArgumentException("Unknown vector kind " + v.GetType().Name, nameof(vectors));
            }
        }
    }

    private static void WriteFloats(IBufferWriter<byte> w, float[] values) =>
        WriteBytes(w, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static void WriteBytes(IBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }

    private static void WritePayloadOpt(IBufferWriter<byte> w, Payload? payload)
    {
        WriteU8(w, payload is null ? (byte)0 : (byte)1);
        if (payload is not null)
        {
            PayloadCodec.Write(w, payload);
        }
    }

    private static PointId ReadId(ref ReadOnlySpan<byte> r)
    {
        var id = PointId.ReadFrom(r);
        r = r[PointId.EncodedSize..];
        return id;
    }

    private static PointsSelector ReadIds(ref ReadOnlySpan<byte> r)
    {
        var count = ReadU32(ref r);
        if (count > (uint)r.Length / PointId.EncodedSize)
        {
            throw new InvalidDataException("WAL id list longer than its entry.");
        }

        var ids = new PointId[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ReadId(ref r);
        }

        return PointsSelector.ByIds(ids);
    }

    private static string ReadString(ref ReadOnlySpan<byte> r)
    {
        var len = (int)ReadU32(ref r);
        var s = Encoding.UTF8.GetString(r[..len]);
        r = r[len..];
        return s;
    }

    private static string? ReadStringOpt(ref ReadOnlySpan<byte> r) => ReadU8(ref r) == 0 ? null : ReadString(ref r);

    private static List<string> ReadStrings(ref ReadOnlySpan<byte> r)
    {
        var count = ReadU32(ref r);
        var list = new List<string>((int)Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            list.Add(ReadString(ref r));
        }

        return list;
    }

    internal static Dictionary<string, VectorData> ReadVectors(ref ReadOnlySpan<byte> r, bool denseOnly)
    {
        var count = ReadU32(ref r);
        var vectors = new Dictionary<string, VectorData>((int)Math.Min(count, 64), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref r);
            var kind = denseOnly ? VectorKind.Dense : (VectorKind)ReadU8(ref r);
            vectors[name] = kind switch
            {
                VectorKind.Dense => new DenseVector(ReadFloats(ref r, (int)ReadU32(ref r))),
                VectorKind.Sparse => ReadSparse(ref r),
                VectorKind.Multi => ReadMulti(ref r),
                _ => throw new InvalidDataException($"Unknown WAL vector kind {(byte)kind}."),
            };
        }

        return vectors;
    }

    private static SparseVector ReadSparse(ref ReadOnlySpan<byte> r)
    {
        var n = (int)ReadU32(ref r);
        var bytes = r[..checked(n * sizeof(uint))];
        var indices = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
        r = r[bytes.Length..];
        return new SparseVector(indices, ReadFloats(ref r, n));
    }

    private static MultiDenseVector ReadMulti(ref ReadOnlySpan<byte> r)
    {
        var dim = (int)ReadU32(ref r);
        var rows = (int)ReadU32(ref r);
        return new MultiDenseVector(ReadFloats(ref r, checked(dim * rows)), dim);
    }

    private static float[] ReadFloats(ref ReadOnlySpan<byte> r, int count)
    {
        var bytes = r[..checked(count * sizeof(float))];
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        r = r[bytes.Length..];
        return values;
    }

    private static Payload? ReadPayloadOpt(ref ReadOnlySpan<byte> r) => ReadU8(ref r) == 0 ? null : PayloadCodec.Read(ref r);
}
