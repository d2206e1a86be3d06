using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Json;
using CommunityToolkit.HighPerformance.Buffers;

namespace AotVector.Protocol.Rest.Tests.Json;

/// <summary>The envelope around a result, and the per-thread writer it reuses from one body to the next.</summary>
public sealed partial class ResponseWriterTests
{
    [Fact]
    public void ResultThatThrowsHalfWritten_LeavesNothingBehindForTheNextBody()
    {
        using (var broken = new ArrayPoolBufferWriter<byte>())
        {
            Assert.Throws<InvalidOperationException>(() => ResponseWriter.WriteOk(broken, Stopwatch.GetTimestamp(), 1, static (writer, _) =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("half"u8);
                throw new InvalidOperationException("result writer failed");
            }));
        }

        using var next = new ArrayPoolBufferWriter<byte>();
        ResponseWriter.WriteOk(next, Stopwatch.GetTimestamp(), new CountResultDto(3), RestJsonContext.Default.CountResultDto);
        Assert.Equal("""{"result":{"count":3},"status":"ok","time":T}""", MaskTime(next));

        using var error = new ArrayPoolBufferWriter<byte>();
        ResponseWriter.WriteError(error, Stopwatch.GetTimestamp(), AvError.BadRequest("bad"));
        Assert.Equal("""{"status":{"error":"Wrong input: bad"},"time":T}""", MaskTime(error));
    }

    [Fact]
    public async Task BodiesOnManyThreads_AreEachWhole()
    {
        var bodies = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            using var body = new ArrayPoolBufferWriter<byte>();
            ResponseWriter.WriteOk(body, Stopwatch.GetTimestamp(), new CountResultDto((ulong)i), RestJsonContext.Default.CountResultDto);
            return (i, MaskTime(body));
        })));

        foreach (var (i, body) in bodies)
        {
            Assert.Equal("{\"result\":{\"count\":" + i + "},\"status\":\"ok\",\"time\":T}", body);
        }
    }

    private static string MaskTime(ArrayPoolBufferWriter<byte> body) => TimeMember().Replace(Encoding.UTF8.GetString(body.WrittenSpan), "\"time\":T}");

    [GeneratedRegex("""\"time\":[0-9][0-9.eE+-]*\}$""")]
    private static partial Regex TimeMember();
}
