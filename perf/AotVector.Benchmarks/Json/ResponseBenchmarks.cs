using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Json;
using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance.Buffers;

namespace AotVector.Benchmarks.Json;

/// <summary>
/// REST answers built in memory as the handlers build them (<see cref="ResponseWriter.WriteOk{T}(IBufferWriter{byte}, long, T, Action{Utf8JsonWriter, T})"/>
/// into a pooled buffer), without the HTTP layer. The query answer of the load test (10 scored points, no payload,
/// no vectors) and one with a small payload and a 128-d vector per point, written by the hand-written
/// <see cref="ResultWriter"/> and by a source-generated contract with converters for the union-shaped parts (id,
/// payload, vectors), which is what moving points to source generation would take; UpdateResult and CollectionInfo
/// by their generated contracts. The <c>_Before</c> rows are the framing as it was (an ArrayBufferWriter of 256
/// bytes per answer) with the hand-written writers, the baseline of the change.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ResponseBenchmarks
{
    private IReadOnlyList<ScoredPoint> _hits = [];
    private IReadOnlyList<ScoredPoint> _richHits = [];
    private CollectionInfo _info = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        _hits = Enumerable.Range(0, 10).Select(i => new ScoredPoint(PointId.FromNum((ulong)random.Next(60000)), (ulong)i, random.NextSingle() * 1000, null, null)).ToList();
        _richHits = Enumerable.Range(0, 10).Select(i => new ScoredPoint(
            PointId.FromNum((ulong)random.Next(60000)),
            (ulong)i,
            random.NextSingle(),
            new Payload { ["city"] = PayloadValue.FromString("Berlin"), ["n"] = PayloadValue.FromInteger(i), ["price"] = PayloadValue.FromDouble(9.5) },
            new Dictionary<string, VectorData> { [""] = Enumerable.Range(0, 128).Select(_ => random.NextSingle()).ToArray() })).ToList();
        _info = new CollectionInfo(
            CollectionStatus.Green,
            null,
            60000,
            60000,
            3,
            new CollectionConfig(
                new CollectionParams(new VectorsConfig(new VectorParams(784, Distance.Euclid), null), 1, 1, 1, true),
                HnswConfig.Default,
                OptimizersConfig.Default,
                WalConfig.Default),
            new Dictionary<string, PayloadSchemaInfo> { ["city"] = new(PayloadSchemaType.Keyword, 60000) });
    }

    [Benchmark(Baseline = true)]
    public int Query_Before() => Before(_hits, ResultWriter.WriteQueryResponse);

    [Benchmark]
    public int Query() => Answer(_hits, ResultWriter.WriteQueryResponse);

    [Benchmark]
    public int Query_GeneratedPoints() => Answer(CandidateQueryResponse.From(_hits), CandidateJsonContext.Default.CandidateQueryResponse);

    [Benchmark]
    public int QueryPayloadVector_Before() => Before(_richHits, ResultWriter.WriteQueryResponse);

    [Benchmark]
    public int QueryPayloadVector() => Answer(_richHits, ResultWriter.WriteQueryResponse);

    [Benchmark]
    public int QueryPayloadVector_GeneratedPoints() => Answer(CandidateQueryResponse.From(_richHits), CandidateJsonContext.Default.CandidateQueryResponse);

    [Benchmark]
    public int UpdateResult_Before() => Before(new UpdateResult(42, UpdateStatus.Completed), WriteUpdateResultByHand);

    /// <summary>The hand-written writer in today's framing: the generated contract's cost alone.</summary>
    [Benchmark]
    public int UpdateResult_HandWritten() => Answer(new UpdateResult(42, UpdateStatus.Completed), WriteUpdateResultByHand);

    [Benchmark]
    public int UpdateResult() => Answer(UpdateResultDto.From(new UpdateResult(42, UpdateStatus.Completed)), RestJsonContext.Default.UpdateResultDto);

    [Benchmark]
    public int CollectionInfo() => Answer(CollectionInfoDto.From(_info), RestJsonContext.Default.CollectionInfoDto);

    /// <summary>The writer UpdateResult had before its generated contract.</summary>
    private static void WriteUpdateResultByHand(Utf8JsonWriter writer, UpdateResult result)
    {
        writer.WriteStartObject();
        writer.WriteNumber("operation_id"u8, result.OperationId);
        writer.WriteString("status"u8, result.Status switch
        {
            UpdateStatus.Acknowledged => "acknowledged",
            UpdateStatus.Completed => "completed",
            UpdateStatus.WaitTimeout => "wait_timeout",
        });
        writer.WriteEndObject();
    }

    private static int Answer<T>(T value, Action<Utf8JsonWriter, T> writeResult)
    {
        using var body = new ArrayPoolBufferWriter<byte>(4096);
        ResponseWriter.WriteOk(body, 0, value, writeResult);
        return body.WrittenCount;
    }

    private static int Answer<T>(T value, JsonTypeInfo<T> contract)
    {
        using var body = new ArrayPoolBufferWriter<byte>(4096);
        ResponseWriter.WriteOk(body, 0, value, contract);
        return body.WrittenCount;
    }

    /// <summary>ResponseWriter as it was: a new ArrayBufferWriter and Utf8JsonWriter per answer; "time" read as it reads it.</summary>
    private static int Before<T>(T value, Action<Utf8JsonWriter, T> writeResult)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body, ResponseWriter.Options))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result"u8);
            writeResult(writer, value);
            writer.WriteString("status"u8, "ok"u8);
            writer.WriteNumber("time"u8, Stopwatch.GetElapsedTime(0).TotalSeconds);
            writer.WriteEndObject();
        }

        return body.WrittenCount;
    }
}

/// <summary>Scored points as a generated contract would have them: a DTO per point, converters for the unions.</summary>
internal sealed record CandidateQueryResponse(CandidateScoredPoint[] Points)
{
    public static CandidateQueryResponse From(IReadOnlyList<ScoredPoint> hits)
    {
        var points = new CandidateScoredPoint[hits.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var hit = hits[i];
            float? score = float.IsNaN(hit.Score) ? null : float.IsFinite(hit.Score) ? hit.Score : hit.Score > 0 ? float.MaxValue : float.MinValue;
            points[i] = new CandidateScoredPoint(hit.Id, hit.Version, score, hit.Payload, hit.Vectors);
        }

        return new CandidateQueryResponse(points);
    }
}

internal sealed record CandidateScoredPoint(
    PointId Id,
    ulong Version,
    float? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Payload? Payload,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, VectorData>? Vector);

internal sealed class CandidatePointIdConverter : JsonConverter<PointId>
{
    public override PointId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, PointId value, JsonSerializerOptions options) => PointIdJson.Write(writer, value);
}

internal sealed class CandidatePayloadConverter : JsonConverter<Payload>
{
    public override Payload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, Payload value, JsonSerializerOptions options) => PayloadJson.WriteObject(writer, value);
}

internal sealed class CandidateVectorsConverter : JsonConverter<IReadOnlyDictionary<string, VectorData>>
{
    public override IReadOnlyDictionary<string, VectorData> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, VectorData> value, JsonSerializerOptions options) => VectorJson.WriteVectors(writer, value);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(CandidatePointIdConverter), typeof(CandidatePayloadConverter), typeof(CandidateVectorsConverter)])]
[JsonSerializable(typeof(CandidateQueryResponse))]
internal sealed partial class CandidateJsonContext : JsonSerializerContext;
