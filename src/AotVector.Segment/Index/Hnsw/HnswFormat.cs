using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Storage.Checksums;
using Microsoft.Win32.SafeHandles;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// The index file, written next to the segment's vector files and mapped on open (layer 0 is used in place).
/// </summary>
/// <remarks>
/// <para>Little-endian. Header (64 bytes):</para>
/// <list type="table">
///   <listheader><term>Bytes</term><description>Field</description></listheader>
///   <item><term>0..8</term><description>magic <c>"AVHNSWGR"</c></description></item>
///   <item><term>8..12</term><description>u32 format version (2; version 1 files, without the payload links section, still open)</description></item>
///   <item><term>12..16</term><description>u32 distance (<see cref="Common.Model.Distance"/> value), plus <see cref="MaxSimFlag"/> when nodes are multivectors compared by MaxSim</description></item>
///   <item><term>16..20</term><description>u32 dimension</description></item>
///   <item><term>20..24</term><description>u32 node count N (offsets <c>[0, N)</c>)</description></item>
///   <item><term>24..28</term><description>u32 m (layer 0 records hold 2·m links)</description></item>
///   <item><term>28..32</term><description>u32 ef_construct</description></item>
///   <item><term>32..36</term><description>u32 entry point offset</description></item>
///   <item><term>36..40</term><description>i32 top layer (-1 for an empty graph)</description></item>
///   <item><term>40..48</term><description>u64 body length in bytes</description></item>
///   <item><term>48..52</term><description>u32 CRC32-C of the body</description></item>
///   <item><term>52..56</term><description>i32 level seed</description></item>
///   <item><term>56..60</term><description>u32 CRC32-C of header bytes 0..56</description></item>
///   <item><term>60..64</term><description>reserved, zero</description></item>
/// </list>
/// <para>Body, from byte 64:</para>
/// <list type="number">
///   <item>Layer 0: N records of <c>1 + 2m</c> u32, node-major: link count, then the neighbour offsets (unused slots zero).</item>
///   <item>Levels: N bytes, each node's top layer, zero-padded to a multiple of 4.</item>
///   <item>Upper layers: for each node with top layer L &gt; 0, by ascending offset, L records of <c>1 + m</c> u32 (layer 1 first).</item>
///   <item>Payload links (version 2): i32 block count B; when B &gt; 0, i32 byte length of the blocks, the blocks (field
///   name and value, each length-prefixed UTF-8 or a kind byte and value) zero-padded to a multiple of 4, i32 link
///   count T, N + 1 u32 row starts, T u32 targets (see <see cref="PayloadLinks"/>).</item>
/// </list>
/// <para>
/// The file is written atomically (temp file, fsync, rename), so it is either complete or absent; the CRCs catch later
/// corruption. The body is streamed in chunks with its CRC carried along (<see cref="BodyWriter"/>), so a graph over
/// 2 GiB saves without one buffer of its size. On open, layer 0 stays in the mapping and only the small upper layers are
/// read into memory. Zero padding may follow the body (mapping rounds the file up to a page); readers go by the body length.
/// </para>
/// </remarks>
internal static class HnswFormat
{
    public const int HeaderSize = 64;
    public const uint Version = 2;

    /// <summary>The first version, before the payload links section.</summary>
    public const uint Version1 = 1;

    /// <summary>Set in the distance field of a graph over multivectors, so it never opens over plain vectors or the reverse.</summary>
    public const uint MaxSimFlag = 0x100;

    public static ReadOnlySpan<byte> Magic => "AVHNSWGR"u8;

    public static uint DistanceTag(Common.Model.Distance distance, bool maxSim) => (uint)distance | (maxSim ? MaxSimFlag : 0);

    public static string DescribeTag(uint tag) =>
        ((Common.Model.Distance)(tag & ~MaxSimFlag)).ToString() + ((tag & MaxSimFlag) != 0 ? " (MaxSim)" : "");

    public static int LevelsBytes(int count) => (count + 3) & ~3;

    public readonly record struct Header(
        uint Distance, int Dimension, int Count, int M, int EfConstruct, uint Entry, int MaxLevel, long BodyLength, uint BodyCrc, int Seed, uint FormatVersion = Version);

    public static void Write(Span<byte> header, in Header h)
    {
        header.Slice(0, HeaderSize).Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], h.FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], h.Distance);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], h.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], h.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], h.M);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], h.EfConstruct);
        BinaryPrimitives.WriteUInt32LittleEndian(header[32..], h.Entry);
        BinaryPrimitives.WriteInt32LittleEndian(header[36..], h.MaxLevel);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], h.BodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[48..], h.BodyCrc);
        BinaryPrimitives.WriteInt32LittleEndian(header[52..], h.Seed);
        BinaryPrimitives.WriteUInt32LittleEndian(header[56..], Crc32C.Compute(header[..56]));
    }

    /// <summary>Parses and checks the header's magic, version and CRC; null with a reason when they are wrong.</summary>
    public static Header? TryRead(ReadOnlySpan<byte> header, out string? problem)
    {
        problem = null;
        if (header.Length < HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            problem = "not an HNSW index file (bad magic)";
            return null;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[56..]) != Crc32C.Compute(header[..56]))
        {
            problem = "header checksum mismatch";
            return null;
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version is not (Version or Version1))
        {
            problem = $"unsupported format version {version}";
            return null;
        }

        return new Header(
            BinaryPrimitives.ReadUInt32LittleEndian(header[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[28..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[32..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[36..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[40..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[48..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[52..]),
            version);
    }

    /// <summary>
    /// Writes a body to <c>[HeaderSize, ...)</c> of an open file through one reusable chunk buffer, carrying the
    /// CRC32-C along (<c>Crc32C.Append</c> over the chunks equals <c>Crc32C.Compute</c> over the whole body); the
    /// caller writes the header last, once <see cref="Length"/> and <see cref="Crc"/> are known.
    /// </summary>
    internal sealed class BodyWriter(SafeFileHandle file, int chunkBytes)
    {
        private readonly SafeFileHandle _file = file;
        private readonly byte[] _chunk = new byte[Math.Max(1, chunkBytes)];
        private long _written;
        private int _filled;

        /// <summary>Body bytes appended so far.</summary>
        public long Length => _written + _filled;

        /// <summary>CRC32-C of the body; complete only after <see cref="Flush"/>.</summary>
        public uint Crc { get; private set; }

        public void Append(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                int take = Math.Min(data.Length, _chunk.Length - _filled);
                data[..take].CopyTo(_chunk.AsSpan(_filled));
                _filled += take;
                data = data[take..];
                if (_filled == _chunk.Length)
                {
                    Flush();
                }
            }
        }

        /// <summary>Appends u32 values in slices, because one byte view of a span over 2 GiB would overflow.</summary>
        public void Append(ReadOnlySpan<uint> values)
        {
            const int Slice = 1 << 24;
            while (!values.IsEmpty)
            {
                int take = Math.Min(values.Length, Slice);
                Append(MemoryMarshal.AsBytes(values[..take]));
                values = values[take..];
            }
        }

        public void AppendZeros(int count)
        {
            Span<byte> zeros = stackalloc byte[4];
            zeros.Clear();
            for (; count > 0; count -= zeros.Length)
            {
                Append(zeros[..Math.Min(count, zeros.Length)]);
            }
        }

        /// <summary>Writes out the partly filled chunk and folds it into <see cref="Crc"/>.</summary>
        public void Flush()
        {
            if (_filled == 0)
            {
                return;
            }

            var chunk = _chunk.AsSpan(0, _filled);
            Crc = Crc32C.Append(Crc, chunk);
            RandomAccess.Write(_file, chunk, HeaderSize + _written);
            _written += _filled;
            _filled = 0;
        }
    }
}
