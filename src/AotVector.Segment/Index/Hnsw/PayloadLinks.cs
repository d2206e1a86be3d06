using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Layer-0 links a graph holds beyond its own (the reference's payload-aware links, <c>payload_m</c>): for each
/// payload block (the points holding one value of an indexed keyword, integer or bool field), the links of an HNSW
/// built over that block alone, so the points matching a restrictive <c>match</c> stay connected among themselves.
/// A filtered walk follows them from matching nodes (<see cref="HnswGraph{TSimilarity}"/>'s linked walk).
/// </summary>
/// <remarks>
/// Compressed rows: node <c>i</c>'s extra links are <c>Targets[Starts[i] .. Starts[i + 1])</c>, none repeating one of
/// its own layer-0 links. Saved in the graph file after the upper layers (format version 2, see <see cref="HnswFormat"/>).
/// </remarks>
internal sealed class PayloadLinks
{
    private const byte KindBool = 1;
    private const byte KindInteger = 2;
    private const byte KindString = 3;

    private readonly uint[] _starts;
    private readonly uint[] _targets;

    public PayloadLinks(IReadOnlyList<(string Field, PayloadValue Value)> blocks, uint[] starts, uint[] targets)
    {
        Blocks = blocks;
        _starts = starts;
        _targets = targets;
    }

    /// <summary>The blocks the links were built for: a <c>match.value</c> of <c>Value</c> on <c>Field</c>.</summary>
    public IReadOnlyList<(string Field, PayloadValue Value)> Blocks { get; }

    /// <summary>Nodes covered (the graph's count).</summary>
    public int NodeCount => _starts.Length - 1;

    public int LinkCount => _targets.Length;

    public ReadOnlySpan<uint> Neighbors(uint node)
    {
        if (node + 1 >= (uint)_starts.Length)
        {
            return default;
        }

        var start = _starts[node];
        return _targets.AsSpan((int)start, (int)(_starts[node + 1] - start));
    }

    /// <summary>Whether <paramref name="condition"/> is a match on one of <see cref="Blocks"/> (its points have links among themselves).</summary>
    public bool Covers(FieldCondition condition)
    {
        if (condition.Match is not MatchValue { Value: var value } || condition.Range is not null || condition.GeoRadius is not null
            || condition.GeoBoundingBox is not null || condition.GeoPolygon is not null || condition.DatetimeRange is not null
            || condition.ValuesCount is not null || condition.IsEmpty is not null || condition.IsNull is not null)
        {
            return false;
        }

        foreach (var (field, blockValue) in Blocks)
        {
            if (field == condition.Key && blockValue.Equals(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The section as saved: block count, the blocks' bytes, then the rows (only when there are blocks).</summary>
    public void Write(HnswFormat.BodyWriter body)
    {
        var blockBytes = EncodeBlocks();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(word, Blocks.Count);
        body.Append(word);
        BinaryPrimitives.WriteInt32LittleEndian(word, blockBytes.Length);
        body.Append(word);
        body.Append(blockBytes);
        body.AppendZeros(Pad4(blockBytes.Length) - blockBytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(word, _targets.Length);
        body.Append(word);
        body.Append(_starts.AsSpan());
        body.Append(_targets.AsSpan());
    }

    /// <summary>Writes the empty section (a graph without extra links).</summary>
    public static void WriteNone(HnswFormat.BodyWriter body) => body.AppendZeros(4);

    /// <summary>Reads the section from <paramref name="data"/> (up to the body's end) for a graph of <paramref name="nodes"/> nodes; null when it has no blocks.</summary>
    public static PayloadLinks? Read(ReadOnlySpan<byte> data, int nodes, out string? problem)
    {
        problem = null;
        if (data.Length < 4)
        {
            problem = "truncated payload links";
            return null;
        }

        var blockCount = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (blockCount == 0)
        {
            return null;
        }

        if (blockCount < 0 || data.Length < 8)
        {
            problem = "bad payload link blocks";
            return null;
        }

        var blockBytes = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        var position = 8L + Pad4(blockBytes);
        if (blockBytes < 0 || position + 4 > data.Length)
        {
            problem = "truncated payload link blocks";
            return null;
        }

        var blocks = DecodeBlocks(data.Slice(8, blockBytes), blockCount);
        var targetCount = BinaryPrimitives.ReadInt32LittleEndian(data[(int)position..]);
        position += 4;
        var rowBytes = ((long)nodes + 1 + targetCount) * sizeof(uint);
        if (blocks is null || targetCount < 0 || position + rowBytes > data.Length)
        {
            problem = "truncated payload links";
            return null;
        }

        var starts = MemoryMarshal.Cast<byte, uint>(data.Slice((int)position, (nodes + 1) * sizeof(uint))).ToArray();
        var targets = MemoryMarshal.Cast<byte, uint>(data.Slice((int)position + ((nodes + 1) * sizeof(uint)), targetCount * sizeof(uint))).ToArray();
        for (int i = 0; i < nodes; i++)
        {
            if (starts[i] > starts[i + 1])
            {
                problem = "payload link rows out of order";
                return null;
            }
        }

        if (starts[0] != 0 || starts[nodes] != (uint)targetCount || Array.Exists(targets, t => t >= (uint)nodes))
        {
            problem = "payload links out of range";
            return null;
        }

        return new PayloadLinks(blocks, starts, targets);
    }

    private byte[] EncodeBlocks()
    {
        var bytes = new List<byte>();
        Span<byte> scratch = stackalloc byte[8];
        void AddString(string text, Span<byte> scratch)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            BinaryPrimitives.WriteInt32LittleEndian(scratch, utf8.Length);
            bytes.AddRange(scratch[..4]);
            bytes.AddRange(utf8);
        }

        foreach (var (field, value) in Blocks)
        {
            AddString(field, scratch);
            switch (value.Kind)
            {
                case PayloadKind.Bool:
                    bytes.Add(KindBool);
                    bytes.Add(value.AsBool ? (byte)1 : (byte)0);
                    break;
                case PayloadKind.Integer:
                    bytes.Add(KindInteger);
                    BinaryPrimitives.WriteInt64LittleEndian(scratch, value.AsInteger);
                    bytes.AddRange(scratch);
                    break;
                default:
                    bytes.Add(KindString);
                    AddString(value.AsString, scratch);
                    break;
            }
        }

        return [.. bytes];
    }

    private static List<(string, PayloadValue)>? DecodeBlocks(ReadOnlySpan<byte> data, int count)
    {
        var blocks = new List<(string, PayloadValue)>(Math.Min(count, 4096));
        var position = 0;
        bool TryString(ReadOnlySpan<byte> data, ref int position, out string text)
        {
            text = string.Empty;
            if (position + 4 > data.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
            if (length < 0 || position + length > data.Length)
            {
                return false;
            }

            text = Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
            return true;
        }

        for (int i = 0; i < count; i++)
        {
            if (!TryString(data, ref position, out var field) || position >= data.Length)
            {
                return null;
            }

            var kind = data[position++];
            PayloadValue value;
            switch (kind)
            {
                case KindBool when position < data.Length:
                    value = PayloadValue.FromBool(data[position++] != 0);
                    break;
                case KindInteger when position + 8 <= data.Length:
                    value = PayloadValue.FromInteger(BinaryPrimitives.ReadInt64LittleEndian(data[position..]));
                    position += 8;
                    break;
                case KindString when TryString(data, ref position, out var text):
                    value = PayloadValue.FromString(text);
                    break;
                default:
                    return null;
            }

            blocks.Add((field, value));
        }

        return blocks;
    }

    private static int Pad4(int length) => (length + 3) & ~3;
}
