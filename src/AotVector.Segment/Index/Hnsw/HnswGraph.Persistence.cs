using System.Runtime.InteropServices;
using AotVector.Common.Errors;
using AotVector.Kernels.Distance;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>Saving to and opening from the file described by <see cref="HnswFormat"/>.</summary>
internal sealed partial class HnswGraph<TMetric>
{
    // CRC and copies go through the mapping in slices, so bodies over 2 GiB work.
    private const int ChunkBytes = 64 << 20;

    public void Save(string path)
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(HnswGraph<TMetric>));
        }

        int levelsBytes = HnswFormat.LevelsBytes(_count);
        long upperBytes = 0;
        foreach (var links in _upper)
        {
            upperBytes += (links?.Length ?? 0) * sizeof(uint);
        }

        long bodyLength = Level0Bytes + levelsBytes + upperBytes;
        if (HnswFormat.HeaderSize + bodyLength > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument("Index is too large to save in one buffer.", nameof(path));
        }

        var buffer = new byte[HnswFormat.HeaderSize + bodyLength];
        var body = buffer.AsSpan(HnswFormat.HeaderSize);
        MemoryMarshal.AsBytes(Level0Table).CopyTo(body);
        _levels.CopyTo(body[Level0Bytes..]);
        int position = Level0Bytes + levelsBytes;
        foreach (var links in _upper)
        {
            if (links is not null)
            {
                MemoryMarshal.AsBytes(links.AsSpan()).CopyTo(body[position..]);
                position += links.Length * sizeof(uint);
            }
        }

        var header = new HnswFormat.Header(
            (uint)TMetric.Kind, Dimension, _count, Parameters.M, Parameters.EfConstruct, (uint)_top, (int)(_top >> 32), bodyLength, Crc32C.Compute(body), Parameters.Seed);
        HnswFormat.Write(buffer, header);
        AtomicFile.WriteAllBytes(path, buffer);
    }

    /// <summary>Maps a saved graph over <paramref name="vectors"/> (which must hold at least the graph's nodes).</summary>
    internal static Result<HnswGraph<TMetric>> Open(string path, IVectorSource vectors)
    {
        if (!File.Exists(path))
        {
            return AvError.NotFound($"HNSW index file '{path}'");
        }

        long length = new FileInfo(path).Length;
        if (length < HnswFormat.HeaderSize)
        {
            return DataLoss(path, "shorter than its header");
        }

        var file = MappedFile.Open(path, length);
        try
        {
            var opened = Open(path, vectors, file, length);
            if (!opened.IsOk)
            {
                file.Dispose();
            }

            return opened;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static Result<HnswGraph<TMetric>> Open(string path, IVectorSource vectors, MappedFile file, long length)
    {
        var read = HnswFormat.TryRead(file.GetSpan(0, HnswFormat.HeaderSize), out var problem);
        if (read is not { } header)
        {
            return DataLoss(path, problem!);
        }

        if (header.Distance != (uint)TMetric.Kind || header.Dimension != vectors.Dimension)
        {
            return AvError.Internal($"HNSW index '{path}' is for {(Common.Model.Distance)header.Distance}/{header.Dimension}, expected {TMetric.Kind}/{vectors.Dimension}");
        }

        var parameters = new HnswParameters(header.M, header.EfConstruct, header.Seed);
        if (!parameters.IsValid || header.Count < 0 || (uint)header.Count > vectors.Count || header.MaxLevel > MaxLevelCap
            || (header.Count == 0) != (header.MaxLevel < 0) || (header.Count > 0 && header.Entry >= (uint)header.Count))
        {
            return DataLoss(path, "inconsistent header");
        }

        int count = header.Count;
        long level0Bytes = (long)count * (1 + parameters.M0) * sizeof(uint);
        int levelsBytes = HnswFormat.LevelsBytes(count);
        if (level0Bytes > int.MaxValue || header.BodyLength < level0Bytes + levelsBytes || HnswFormat.HeaderSize + header.BodyLength > length)
        {
            return DataLoss(path, "truncated body");
        }

        uint crc = 0;
        for (long done = 0; done < header.BodyLength; done += ChunkBytes)
        {
            int chunk = (int)Math.Min(ChunkBytes, header.BodyLength - done);
            crc = Crc32C.Append(crc, file.GetSpan(HnswFormat.HeaderSize + done, chunk));
        }

        if (crc != header.BodyCrc)
        {
            return DataLoss(path, "body checksum mismatch");
        }

        long position = HnswFormat.HeaderSize + level0Bytes;
        var levels = file.GetSpan(position, count).ToArray();
        position += levelsBytes;
        var upper = new uint[]?[count];
        int strideUpper = 1 + parameters.M;
        for (int i = 0; i < count; i++)
        {
            int level = levels[i];
            if (level > header.MaxLevel)
            {
                return DataLoss(path, "node above the top layer");
            }

            if (level > 0)
            {
                int bytes = level * strideUpper * sizeof(uint);
                if (position + bytes > HnswFormat.HeaderSize + header.BodyLength)
                {
                    return DataLoss(path, "truncated upper layers");
                }

                upper[i] = MemoryMarshal.Cast<byte, uint>(file.GetSpan(position, bytes)).ToArray();
                position += bytes;
            }
        }

        var graph = new HnswGraph<TMetric>(vectors, parameters, count, levels, upper, level0: null, file)
        {
            _top = Pack(header.Entry, header.MaxLevel),
        };
        return graph;
    }

    private static AvError DataLoss(string path, string problem) => new(ErrorKind.DataLoss, $"HNSW index '{path}' is damaged: {problem}.");
}
