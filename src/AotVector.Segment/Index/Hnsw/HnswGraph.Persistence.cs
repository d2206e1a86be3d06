using System.Runtime.InteropServices;
using AotVector.Common.Errors;
using AotVector.Kernels.Distance;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>Saving to and opening from the file described by <see cref="HnswFormat"/>.</summary>
internal sealed partial class HnswGraph<TSimilarity>
{
    // Save streams and Open checks the CRC through chunks of this size, so bodies over 2 GiB work.
    private const int ChunkBytes = 64 << 20;

    public void Save(string path) => Save(path, ChunkBytes);

    /// <summary>Writes the file through a chunk buffer of <paramref name="chunkBytes"/> (tests use a tiny one).</summary>
    internal void Save(string path, int chunkBytes)
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(HnswGraph<TSimilarity>));
        }

        // Same recipe as AtomicFile (temp file, fsync, rename, fsync the directory), with the body streamed.
        var fullPath = Path.GetFullPath(path);
        var tempPath = fullPath + ".tmp";
        try
        {
            using var handle = File.OpenHandle(tempPath, FileMode.Create, FileAccess.Write, FileShare.None);
            var body = new HnswFormat.BodyWriter(handle, chunkBytes);
            if (_level0 is not null)
            {
                body.Append(_level0.AsSpan());
            }
            else
            {
                for (long done = 0; done < Level0Bytes; done += ChunkBytes)
                {
                    body.Append(_file!.GetSpan(HnswFormat.HeaderSize + done, (int)Math.Min(ChunkBytes, Level0Bytes - done)));
                }
            }

            body.Append(_levels.AsSpan(0, _count));
            body.AppendZeros(HnswFormat.LevelsBytes(_count) - _count);
            foreach (var links in _upper)
            {
                if (links is not null)
                {
                    body.Append(links.AsSpan());
                }
            }

            if (_payloadLinks is { } extra)
            {
                extra.Write(body);
            }
            else
            {
                PayloadLinks.WriteNone(body);
            }

            body.Flush();
            var header = new HnswFormat.Header(
                HnswFormat.DistanceTag(TSimilarity.Kind, TSimilarity.IsMulti), Dimension, _count, Parameters.M, Parameters.EfConstruct, (uint)_top, (int)(_top >> 32), body.Length, body.Crc, Parameters.Seed);
            Span<byte> headerBytes = stackalloc byte[HnswFormat.HeaderSize];
            HnswFormat.Write(headerBytes, header);
            RandomAccess.Write(handle, headerBytes, fileOffset: 0);
            RandomAccess.FlushToDisk(handle);
        }
        catch (IOException)
        {
            // A full disk: the graph in use stays as it was, and no partial file is left taking space.
            File.Delete(tempPath);
            throw;
        }

        File.Move(tempPath, fullPath, overwrite: true);
        AtomicFile.FlushDirectory(Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>
    /// Maps a saved graph over <paramref name="vectors"/> (which must hold at least the graph's nodes). Layer 0 stays in
    /// the mapping whatever its size; only the levels and the small upper layers are read into memory.
    /// </summary>
    internal static Result<HnswGraph<TSimilarity>> Open(string path, IVectorSource vectors)
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

    private static Result<HnswGraph<TSimilarity>> Open(string path, IVectorSource vectors, MappedFile file, long length)
    {
        var read = HnswFormat.TryRead(file.GetSpan(0, HnswFormat.HeaderSize), out var problem);
        if (read is not { } header)
        {
            return DataLoss(path, problem!);
        }

        if (header.Distance != HnswFormat.DistanceTag(TSimilarity.Kind, TSimilarity.IsMulti) || header.Dimension != vectors.Dimension)
        {
            return AvError.Internal($"HNSW index '{path}' is for {HnswFormat.DescribeTag(header.Distance)}/{header.Dimension}, expected {HnswFormat.DescribeTag(HnswFormat.DistanceTag(TSimilarity.Kind, TSimilarity.IsMulti))}/{vectors.Dimension}");
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
        if (header.BodyLength < level0Bytes + levelsBytes || HnswFormat.HeaderSize + header.BodyLength > length)
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

        PayloadLinks? extra = null;
        if (header.FormatVersion >= HnswFormat.Version)
        {
            var rest = HnswFormat.HeaderSize + header.BodyLength - position;
            extra = PayloadLinks.Read(file.GetSpan(position, (int)Math.Min(int.MaxValue, rest)), count, out var linksProblem);
            if (linksProblem is not null)
            {
                return DataLoss(path, linksProblem);
            }
        }

        var graph = new HnswGraph<TSimilarity>(vectors, parameters, count, levels, upper, level0: null, file)
        {
            _top = Pack(header.Entry, header.MaxLevel),
            _payloadLinks = extra,
        };
        return graph;
    }

    private static AvError DataLoss(string path, string problem) => new(ErrorKind.DataLoss, $"HNSW index '{path}' is damaged: {problem}.");
}
