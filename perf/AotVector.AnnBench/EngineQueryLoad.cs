using System.Diagnostics;
using System.Globalization;
using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;

namespace AotVector.AnnBench;

/// <summary>
/// The in-process baseline of the server load test: the same nearest-neighbour queries straight into an open
/// <see cref="VectorEngine"/> from N threads, one query at a time each, as N clients would send them. Compiled into
/// LoadGen (JIT, tiered PGO) and into AnnBench (`engine-query`, Native AOT), so the server's front end can be compared
/// with the engine compiled exactly as the server is, and with the JIT engine as well.
/// </summary>
internal static class EngineQueryLoad
{
    /// <summary>One row: a warm-up pass over every query, then a timed pass. Ids are the query's top-10 numeric ids.</summary>
    public static EngineQueryRow Run(VectorEngine engine, string collection, float[][] vectors, int ef, int clients, Func<int, int[], double> recallOf) =>
        RunChunk(engine, collection, vectors, ef, clients, 0, vectors.Length, warmUp: true, recallOf);

    /// <summary>
    /// One row over queries <paramref name="start"/> .. start+count (wrapping round the set), with or without a warm-up
    /// pass over them first. The paired load measurement times short chunks of these between chunks of server load.
    /// </summary>
    public static EngineQueryRow RunChunk(VectorEngine engine, string collection, float[][] vectors, int ef, int clients, int start, int count, bool warmUp,
        Func<int, int[], double> recallOf)
    {
        var searchParams = new SearchParams((ulong)ef);
        var found = new int[count][];
        var latencies = new double[count];
        if (warmUp)
        {
            Drive(engine, collection, vectors, searchParams, clients, start, found, null);
        }

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        Drive(engine, collection, vectors, searchParams, clients, start, found, latencies);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpu0;
        Array.Sort(latencies);
        var recall = 0.0;
        for (var k = 0; k < count; k++)
        {
            recall += recallOf((start + k) % vectors.Length, found[k]);
        }

        return new EngineQueryRow(clients, count / seconds, latencies[count / 2], latencies[(int)(count * 0.99)], recall / count, seconds, cpu);
    }

    /// <summary>The share of the exact top 10 (<paramref name="truth"/>) among the ids found.</summary>
    public static double RecallAt10(ReadOnlySpan<uint> truth, int[] ids)
    {
        var hits = 0;
        foreach (var id in ids)
        {
            hits += truth[..10].Contains((uint)id) ? 1 : 0;
        }

        return hits / 10.0;
    }

    // found[k] and latencies[k] belong to query (first + k) mod the set's size.
    private static void Drive(VectorEngine engine, string collection, float[][] vectors, SearchParams searchParams, int clients, int first, int[][] found, double[]? latencies)
    {
        // Dedicated threads: the engine's query is synchronous, and a client loop should not wait on the pool.
        var next = -1;
        var threads = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < found.Length)
            {
                var start = Stopwatch.GetTimestamp();
                var r = engine.QueryAsync(AccessContext.Full, collection, new QueryRequest(
                    new NearestQuery(new DenseVectorInput(vectors[(first + i) % vectors.Length])), null, null, 10, 0, null, searchParams, WithPayload.None, WithVector.None), default, default).Result;
                if (!r.TryGet(out var hits, out var error))
                {
                    throw new InvalidOperationException("query failed: " + error.Message);
                }

                var ids = new int[hits.Count];
                for (var k = 0; k < ids.Length; k++)
                {
                    ids[k] = (int)hits[k].Id.Num;
                }

                found[i] = ids;
                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            t.Join();
        }
    }
}

internal sealed record EngineQueryRow(int Clients, double Qps, double P50Ms, double P99Ms, double Recall, double Seconds, double CpuSeconds)
{
    /// <summary>One line LoadGen reads back from the AOT process: space-separated key=value, invariant culture.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"engine-query clients={Clients} qps={Qps:F3} p50={P50Ms:F4} p99={P99Ms:F4} recall={Recall:F5} seconds={Seconds:F4} cpu={CpuSeconds:F4}");

    public static EngineQueryRow Parse(string line)
    {
        var f = line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return new EngineQueryRow((int)f["clients"], f["qps"], f["p50"], f["p99"], f["recall"], f["seconds"], f["cpu"]);
    }
}
