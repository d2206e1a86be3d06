using System.Buffers.Binary;
using AotVector.Common.Errors;
using AotVector.Storage.Vectors;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class VectorFileTests
{
    private static VectorFile OpenOk(string path, int dimension)
    {
        var result = VectorFile.Open(path, dimension);
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return result.Value!;
    }

    [Fact]
    public void Open_NewFile_IsEmpty()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 8);

        Assert.Equal(0u, file.Count);
        Assert.Equal(8, file.Dimension);
    }

    [Fact]
    public void Set_ThenGet_ReturnsSameVector()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 5);
        float[] vector = [1, -2, 3.5f, 0, float.MaxValue];

        file.Set(0, vector);

        Assert.Equal(1u, file.Count);
        Assert.Equal(vector, file.Get(0).ToArray());
    }

    [Fact]
    public void Set_ManyVectorsBeyondInitialCapacity_GrowsAndKeepsAll()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 17);
        var vectors = SeededRandom.Vectors(seed: 1, count: 3000, dim: 17);

        for (var i = 0; i < vectors.Length; i++)
        {
            file.Set((uint)i, vectors[i]);
        }

        Assert.Equal(3000u, file.Count);
        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(vectors[i], file.Get((uint)i).ToArray());
        }
    }

    [Fact]
    public void Set_SkippingOffsets_GapReadsAsZeroVectors()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 4);

        file.Set(9, [1, 2, 3, 4]);

        Assert.Equal(10u, file.Count);
        Assert.Equal(new float[4], file.Get(3).ToArray());
    }

    [Fact]
    public void Set_Overwrite_ReplacesVectorAndKeepsCount()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 2);
        file.Set(0, [1, 1]);
        file.Set(1, [2, 2]);

        file.Set(0, [3, 3]);

        Assert.Equal(2u, file.Count);
        Assert.Equal(new float[] { 3, 3 }, file.Get(0).ToArray());
    }

    [Fact]
    public void Reopen_AfterFlush_ReturnsSameVectors()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        var vectors = SeededRandom.Vectors(seed: 2, count: 1500, dim: 32);
        using (var file = OpenOk(path, 32))
        {
            for (var i = 0; i < vectors.Length; i++)
            {
                file.Set((uint)i, vectors[i]);
            }

            file.Flush();
        }

        using var reopened = OpenOk(path, 32);

        Assert.Equal(1500u, reopened.Count);
        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(vectors[i], reopened.Get((uint)i).ToArray());
        }
    }

    [Fact]
    public void GetBlock_Range_ReturnsContiguousRows()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 3);
        var vectors = SeededRandom.Vectors(seed: 3, count: 10, dim: 3);
        for (var i = 0; i < vectors.Length; i++)
        {
            file.Set((uint)i, vectors[i]);
        }

        var block = file.GetBlock(4, 5);

        Assert.Equal(15, block.Length);
        for (var row = 0; row < 5; row++)
        {
            Assert.Equal(vectors[4 + row], block.Slice(row * 3, 3).ToArray());
        }

        Assert.Equal(0, file.GetBlock(10, 0).Length);
    }

    [Fact]
    public void GetBlock_PastCount_Throws()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 3);
        file.Set(0, [1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetBlock(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetBlock(1, -1));
    }

    [Fact]
    public void Get_OffsetAtCount_Throws()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 3);
        file.Set(0, [1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.Get(1));
    }

    [Fact]
    public void Set_WrongLength_Throws()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 3);

        Assert.Throws<ArgumentException>(() => file.Set(0, [1, 2]));
    }

    [Fact]
    public void Flush_FileLayout_MatchesDocumentedFormat()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        using (var file = OpenOk(path, 16))
        {
            file.Set(0, Enumerable.Range(0, 16).Select(i => (float)i).ToArray());
            file.Set(1, Enumerable.Range(100, 16).Select(i => (float)i).ToArray());
            file.Flush();
        }

        var bytes = File.ReadAllBytes(path);

        Assert.Equal("AVVECF32"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));

        // Data begins at byte 64 of a page-aligned mapping: 64-byte aligned; with dim 16, vector 1 is too.
        Assert.Equal(0f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(64)));
        Assert.Equal(100f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(64 + (16 * 4))));
    }

    [Fact]
    public void Open_DimensionMismatch_ReturnsError()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        using (var file = OpenOk(path, 4))
        {
            file.Set(0, [1, 2, 3, 4]);
        }

        var result = VectorFile.Open(path, 5);

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.Internal, result.Error.Kind);
    }

    [Fact]
    public void Open_NotAVectorFile_ReturnsDataLoss()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0x5A, 200).ToArray());

        var result = VectorFile.Open(path, 4);

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.DataLoss, result.Error.Kind);
    }

    [Fact]
    public void Open_CountBeyondFileLength_ReturnsDataLoss()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        using (var file = OpenOk(path, 4))
        {
            file.Set(0, [1, 2, 3, 4]);
            file.Flush();
        }

        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 1_000_000);
        File.WriteAllBytes(path, bytes);

        var result = VectorFile.Open(path, 4);

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.DataLoss, result.Error.Kind);
    }

    [Fact]
    public void Open_InvalidDimension_ReturnsBadRequest()
    {
        using var dir = new TempDirectory();

        var result = VectorFile.Open(dir.Combine("v.bin"), 0);

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.BadRequest, result.Error.Kind);
    }

    [Fact]
    public void Get_ConcurrentReaderWhileWriterGrows_SeesPublishedVectors()
    {
        using var dir = new TempDirectory();
        using var file = OpenOk(dir.Combine("v.bin"), 8);
        const int total = 20_000;
        var failures = 0;

        var reader = new Thread(() =>
        {
            var seen = 0u;
            while (seen < total)
            {
                var count = file.Count;
                for (var i = seen; i < count; i++)
                {
                    var v = file.Get(i);
                    if (v[0] != i || v[7] != -i)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                seen = count;
            }
        });
        reader.Start();

        var vector = new float[8];
        for (var i = 0; i < total; i++)
        {
            vector[0] = i;
            vector[7] = -i;
            file.Set((uint)i, vector);
        }

        reader.Join();
        Assert.Equal(0, failures);
    }
}
