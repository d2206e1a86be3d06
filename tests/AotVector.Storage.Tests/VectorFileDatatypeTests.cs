using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Storage.Vectors;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

/// <summary>
/// Vector files of float16 and uint8 values: records of 2 and 1 bytes per value, the element type in the header
/// taken by an open that does not name one, refused by one that names another, and float accessors only for float32.
/// </summary>
public sealed class VectorFileDatatypeTests
{
    [Theory]
    [InlineData(VectorDatatype.Float16, 2)]
    [InlineData(VectorDatatype.Uint8, 1)]
    public void Records_HoldTheDatatypesBytes_AndReopenKeepsTheType(VectorDatatype datatype, int elementSize)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        byte[] record = [.. Enumerable.Range(1, 6 * elementSize).Select(i => (byte)i)];
        using (var file = VectorFile.Open(path, 6, datatype).Value!)
        {
            Assert.Equal(6 * elementSize, file.RecordBytes);
            file.SetRecord(2, record);
            Assert.Equal(record, file.GetRecord(2).ToArray());
            Assert.Equal(new byte[6 * elementSize], file.GetRecord(0).ToArray());
            Assert.Throws<ArgumentException>(() => file.Get(2).ToArray());
            Assert.Throws<ArgumentException>(() => file.Set(3, new float[6]));
            file.Flush();
        }

        using (var reopened = VectorFile.Open(path, 6, datatype: null).Value!)
        {
            Assert.Equal(datatype, reopened.Datatype);
            Assert.Equal(3u, reopened.Count);
            Assert.Equal(record, reopened.GetRecords(2, 1).ToArray());
        }

        var wrong = VectorFile.Open(path, 6, datatype == VectorDatatype.Uint8 ? VectorDatatype.Float16 : VectorDatatype.Uint8);
        Assert.Equal(ErrorKind.Internal, wrong.Error.Kind);
        Assert.Equal(ErrorKind.Internal, VectorFile.Open(path, 6).Error.Kind);
    }

    [Fact]
    public void AFloat32File_OpensWithoutNamingItsType()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("v.bin");
        using (var file = VectorFile.Open(path, 2).Value!)
        {
            file.Set(0, [1f, 2f]);
            file.Flush();
        }

        using var reopened = VectorFile.Open(path, 2, datatype: null).Value!;
        Assert.Equal(VectorDatatype.Float32, reopened.Datatype);
        Assert.Equal(new float[] { 1, 2 }, reopened.Get(0).ToArray());
    }
}
