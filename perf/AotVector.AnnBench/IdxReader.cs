using System.Buffers.Binary;
using System.IO.Compression;

namespace AotVector.AnnBench;

/// <summary>
/// Reads the gzipped IDX image files Debian's <c>dataset-fashion-mnist</c> installs
/// (<c>/usr/share/datasets/fashion-mnist/*-images-idx3-ubyte.gz</c>): magic 0x00000803, u32 count, rows, cols
/// (big-endian), then count×rows×cols unsigned bytes. Pixels become floats 0..255, as in ann-benchmarks'
/// fashion-mnist-784-euclidean.
/// </summary>
internal static class IdxReader
{
    private const int ImageMagic = 0x00000803;

    public static (float[] Values, int Rows, int Cols) ReadImages(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[16];
        gzip.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != ImageMagic)
        {
            throw new InvalidDataException($"{path} is not an IDX image file");
        }

        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int cols = BinaryPrimitives.ReadInt32BigEndian(header[8..]) * BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        var pixels = new byte[(long)count * cols];
        gzip.ReadExactly(pixels);
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i];
        }

        return (values, count, cols);
    }
}
