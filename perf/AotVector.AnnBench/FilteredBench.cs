using System.Diagnostics;
using System.Globalization;
using System.Text;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment;
using AotVector.Segment.Filters;

namespace AotVector.AnnBench;

/// <summary>
/// Filtered search on one segment: the seeded clustered 128-d set with a payload per point whose fields give filters
/// of chosen selectivity (bool, keyword, integer range, datetime range, geo radius, a nested field, must/should/must_not
/// combinations). One graph (m 16, ef_construct 100); every filter is run single-threaded, first with payload indexes on
/// the indexable fields, then with the indexes dropped. Recall@10 is against exact filtered answers computed here by
/// brute force over the points the filter matches (checked with <see cref="FilterEvaluator"/>, not with the segment's
/// own planner). Prints one JSON object; with <c>BENCH_MASKS=DIR</c> it also writes base/query vectors, one match mask
/// per filter and the filtered truth there, for hnswlib-bench's filtered mode.
/// </summary>
internal static class FilteredBench
{
    private const int Dim = 128;
    private const int K = 10;
    private const string Vector = "";

    private static readonly string[] s_colors = ["red", "green", "blue", "black", "white"];

    public static string Run(string storage, int rows, int queryCount, int ef)
    {
        if (Directory.Exists(storage))
        {
            Directory.Delete(storage, recursive: true);
        }

        var watch = Stopwatch.StartNew();
        var data = SyntheticSet.Generate(rows, Dim, seed: 1, pointSeed: 2);
        var queries = SyntheticSet.Generate(queryCount, Dim, seed: 1, pointSeed: 3);
        var payloads = Payloads(rows);
        using var segment = PointSegment.Create(storage, new Dictionary<string, VectorSpec> { [Vector] = new(Dim, Distance.Euclid) });
        for (var i = 0; i < rows; i++)
        {
            segment.Upsert(1, (ulong)i, new Dictionary<string, VectorData> { [Vector] = (VectorData)data.AsSpan(i * Dim, Dim).ToArray() }, payloads[i]);
        }

        var loadSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        // The payload indexes exist before the graph, so it gets payload links (payload_m 16) for values past the threshold.
        foreach (var (field, type) in IndexedFields)
        {
            segment.CreateFieldIndex(field, type);
        }

        var job = segment.PrepareIndexBuild(Vector, new IndexingPolicy(1, 16, 100, PayloadM: 16, FullScanThresholdKb: 10_000))!;
        job.Run(Math.Max(1, Environment.ProcessorCount), default);
        segment.InstallIndex(job);
        var buildSeconds = watch.Elapsed.TotalSeconds;

        var filters = Filters();
        var masks = filters.Select(f => Mask(f.Filter, payloads)).ToArray();
        watch.Restart();
        var truths = masks.Select(m => Truth(data, queries, m)).ToArray();
        var truthSeconds = watch.Elapsed.TotalSeconds;
        if (Environment.GetEnvironmentVariable("BENCH_MASKS") is { Length: > 0 } maskDir)
        {
            WriteMasks(maskDir, data, queries, filters, masks, truths);
        }

        var options = new SegmentSearchOptions(Ef: ef);
        var unfiltered = Measure(segment, queries, null, Truth(data, queries, null), options);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unfiltered p50={unfiltered.P50:F3} p95={unfiltered.P95:F3} cpu p50={unfiltered.CpuP50:F3} p95={unfiltered.CpuP95:F3} recall={unfiltered.Recall:F3}"));
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture,
            $"{{\"points\":{rows},\"dim\":{Dim},\"queries\":{queryCount},\"ef\":{ef},\"m\":16,\"ef_construct\":100,\"load_seconds\":{loadSeconds:F1},\"build_seconds\":{buildSeconds:F1},\"truth_seconds\":{truthSeconds:F1},");
        json.Append(CultureInfo.InvariantCulture, $"\"unfiltered\":{unfiltered.Json()},\"filters\":[");
        var rowsJson = new List<string>();
        foreach (var indexed in new[] { true, false })
        {
            foreach (var (field, type) in IndexedFields)
            {
                if (indexed)
                {
                    segment.CreateFieldIndex(field, type);
                }
                else
                {
                    segment.DeleteFieldIndex(field);
                }
            }

            for (var f = 0; f < filters.Length; f++)
            {
                var (name, filter) = filters[f];
                var selectivity = masks[f].Count(x => x) / (double)rows;
                var plan = segment.PlanFor(Vector, filter, options);
                Row(name, indexed, selectivity, plan, Measure(segment, queries, filter, truths[f], options));

                // A graph plan again with the request's acorn on (max_selectivity 1: always when the graph is walked).
                var acorn = options with { Acorn = new AcornSearch(true, 1) };
                if (plan is SearchPlan.GraphFiltered or SearchPlan.GraphLinked && segment.PlanFor(Vector, filter, acorn) is var acornPlan && acornPlan != plan)
                {
                    Row(name + " +acorn", indexed, selectivity, acornPlan, Measure(segment, queries, filter, truths[f], acorn));
                }
            }
        }

        void Row(string name, bool indexed, double selectivity, SearchPlan plan, Measured result)
        {
            rowsJson.Add(string.Create(CultureInfo.InvariantCulture,
                $"{{\"filter\":\"{name}\",\"indexed\":{(indexed ? "true" : "false")},\"selectivity\":{selectivity:G4},\"plan\":\"{plan}\",\"measure\":{result.Json()}}}"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-30} indexed={indexed,-5} sel={selectivity,8:P3} plan={plan,-13} p50={result.P50,7:F3} p95={result.P95,7:F3} cpu p50={result.CpuP50,7:F3} p95={result.CpuP95,7:F3} recall={result.Recall:F3}"));
        }

        json.Append(string.Join(",", rowsJson)).Append("]}");
        return json.ToString();
    }

    private static readonly (string Field, FieldIndexType Type)[] IndexedFields =
    [
        ("flag", FieldIndexType.Bool), ("rare", FieldIndexType.Bool), ("tag", FieldIndexType.Keyword),
        ("rank", FieldIndexType.Integer), ("time", FieldIndexType.Datetime),
    ];

    // flag: bool 50%; rare: bool 10%; tag: one of 1,000 keywords (0.1% each); rank: integer uniform in [0, 10,000);
    // time: a datetime uniform over 2024; loc: a geo point uniform in a 10 x 10 degree box; items: 1-3 objects
    // {color, size} (nested). Drawn independently of the vectors.
    private static Payload[] Payloads(int rows)
    {
        var random = new Random(2424);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var payloads = new Payload[rows];
        for (var i = 0; i < rows; i++)
        {
            var items = new List<PayloadValue>();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                items.Add(PayloadValue.FromObject(new Payload
                {
                    ["color"] = PayloadValue.FromString(s_colors[random.Next(s_colors.Length)]),
                    ["size"] = PayloadValue.FromInteger(random.Next(100)),
                }));
            }

            payloads[i] = new Payload
            {
                ["flag"] = PayloadValue.FromBool(random.Next(2) == 0),
                ["rare"] = PayloadValue.FromBool(random.Next(10) == 0),
                ["tag"] = PayloadValue.FromString("t" + random.Next(1000).ToString(CultureInfo.InvariantCulture)),
                ["rank"] = PayloadValue.FromInteger(random.Next(10_000)),
                ["time"] = PayloadValue.FromString(start.AddSeconds(random.NextDouble() * 366 * 86400).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                ["loc"] = PayloadValue.FromObject(new Payload
                {
                    ["lon"] = PayloadValue.FromDouble(10 + (random.NextDouble() * 10)),
                    ["lat"] = PayloadValue.FromDouble(40 + (random.NextDouble() * 10)),
                }),
                ["items"] = PayloadValue.FromArray(items),
            };
        }

        return payloads;
    }

    private static (string Name, Filter Filter)[] Filters()
    {
        static Filter Must(params Condition[] c) => new(Must: c);
        static FieldCondition Bool(string key, bool value) => new(key, Match: new MatchValue(PayloadValue.FromBool(value)));
        static FieldCondition Rank(double lt) => new("rank", Range: new RangeCondition(Lt: lt));
        static FieldCondition Tag(int n) => new("tag", Match: n == 1
            ? new MatchValue(PayloadValue.FromString("t7"))
            : new MatchAny([.. Enumerable.Range(0, n).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture))], null));
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            ("rank 0.01%", Must(Rank(1))),
            ("tag 0.1%", Must(Tag(1))),
            ("rank 1%", Must(Rank(100))),
            ("tag 2%", Must(Tag(20))),
            ("rare bool 10%", Must(Bool("rare", true))),
            ("rank 10%", Must(Rank(1000))),
            ("flag bool 50%", Must(Bool("flag", true))),
            ("rank 90%", Must(Rank(9000))),
            ("rare bool 90%", Must(Bool("rare", false))),
            ("time 5%", Must(new FieldCondition("time", DatetimeRange: new DatetimeRange(Gte: start.AddDays(100), Lt: start.AddDays(100 + 18.3))))),
            ("geo radius 2%", Must(new FieldCondition("loc", GeoRadius: new GeoRadius(new GeoPoint(15, 45), 90_000)))),
            ("nested 4%", Must(new NestedCondition("items", Must(new FieldCondition("color", Match: new MatchValue(PayloadValue.FromString("red"))), new FieldCondition("size", Range: new RangeCondition(Lt: 10)))))),
            ("must flag+rank 5%", Must(Bool("flag", true), Rank(1000))),
            ("should tag|rank 1.5%", new Filter(Should: [Tag(5), Rank(100)])),
            ("must_not rare,rank<50% 45%", new Filter(Must: [Rank(5000)], MustNot: [Bool("rare", true)])),
        ];
    }

    private static bool[] Mask(Filter? filter, Payload[] payloads)
    {
        var mask = new bool[payloads.Length];
        var evaluator = new FilterEvaluator();
        for (var i = 0; i < payloads.Length; i++)
        {
            mask[i] = filter is null || evaluator.Matches(filter, (ulong)i, payloads[i], _ => true);
        }

        return mask;
    }

    // Exact top-10 of each query among the rows the mask lets through (null: all rows).
    private static uint[][] Truth(float[] data, float[] queries, bool[]? mask)
    {
        var queryCount = queries.Length / Dim;
        var truth = new uint[queryCount][];
        Parallel.For(0, queryCount, q =>
        {
            var top = new TopHits(K);
            var query = queries.AsSpan(q * Dim, Dim);
            for (var i = 0; i < data.Length / Dim; i++)
            {
                if (mask is null || mask[i])
                {
                    top.Add(new SearchHit((ulong)i, -SquaredL2.Compute(query, data.AsSpan(i * Dim, Dim)), 0));
                }
            }

            truth[q] = [.. top.ToSortedList().Select(h => (uint)h.Id.Num)];
        });
        return truth;
    }

    // A warm-up pass over a tenth of the queries, then each query once, timed one by one: wall time, and the calling
    // thread's CPU time (what the query cost, without the time the thread waited for a core on a shared machine).
    private static Measured Measure(PointSegment segment, float[] queries, Filter? filter, uint[][] truth, SegmentSearchOptions options)
    {
        var queryCount = queries.Length / Dim;
        for (var q = 0; q < Math.Max(1, queryCount / 10); q++)
        {
            segment.Search(Vector, queries.AsSpan(q * Dim, Dim), filter, K, options);
        }

        var latencies = new double[queryCount];
        var cpu = new double[queryCount];
        long found = 0, wanted = 0;
        for (var q = 0; q < queryCount; q++)
        {
            var cpuStart = ThreadCpu.Milliseconds();
            var start = Stopwatch.GetTimestamp();
            var hits = segment.Search(Vector, queries.AsSpan(q * Dim, Dim), filter, K, options);
            latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpu[q] = ThreadCpu.Milliseconds() - cpuStart;
            wanted += truth[q].Length;
            foreach (var hit in hits)
            {
                if (truth[q].Contains((uint)hit.Id.Num))
                {
                    found++;
                }
            }
        }

        Array.Sort(latencies);
        Array.Sort(cpu);
        static double At(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
        return new Measured(At(latencies, 0.5), At(latencies, 0.95), At(cpu, 0.5), At(cpu, 0.95), wanted == 0 ? 1 : found / (double)wanted);
    }

    private static void WriteMasks(string dir, float[] data, float[] queries, (string Name, Filter Filter)[] filters, bool[][] masks, uint[][][] truths)
    {
        Directory.CreateDirectory(dir);
        BinMatrix.Write<float>(Path.Combine(dir, "base.fbin"), data, Dim);
        BinMatrix.Write<float>(Path.Combine(dir, "query.fbin"), queries, Dim);
        var names = new StringBuilder();
        for (var f = 0; f < filters.Length; f++)
        {
            names.Append(filters[f].Name).Append('\n');
            File.WriteAllBytes(Path.Combine(dir, $"mask{f}.bin"), [.. masks[f].Select(x => x ? (byte)1 : (byte)0)]);
            var flat = new uint[truths[f].Length * K];
            for (var q = 0; q < truths[f].Length; q++)
            {
                Array.Fill(flat, uint.MaxValue, q * K, K);
                truths[f][q].CopyTo(flat, q * K);
            }

            BinMatrix.Write<uint>(Path.Combine(dir, $"truth{f}.ibin"), flat, K);
        }

        File.WriteAllText(Path.Combine(dir, "filters.txt"), names.ToString());
    }

    private readonly record struct Measured(double P50, double P95, double CpuP50, double CpuP95, double Recall)
    {
        public string Json() => string.Create(CultureInfo.InvariantCulture,
            $"{{\"p50_ms\":{P50:F3},\"p95_ms\":{P95:F3},\"cpu_p50_ms\":{CpuP50:F3},\"cpu_p95_ms\":{CpuP95:F3},\"recall\":{Recall:F4}}}");
    }
}
