using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace AotVector.Benchmarks;

/// <summary>
/// <c>paired CLASS ROUNDS OPS METHOD...</c>: the methods of one benchmark class timed in turn, OPS calls each per
/// round, in ABBA order, and the median per-call time and median per-round ratio to the first method printed, with
/// the bytes each call allocates. On a host shared with other work a disturbance lands on both sides of a round's
/// ratio, where BenchmarkDotNet's runs of one method after another see different moments.
/// </summary>
internal static class PairedRun
{
    public static int Run(string[] args)
    {
        if (args is not [var className, var roundsText, var opsText, _, ..])
        {
            Console.Error.WriteLine("usage: paired CLASS ROUNDS OPS METHOD [METHOD...]   e.g. paired ResponseBenchmarks 41 20000 Query_Before Query");
            return 2;
        }

        var type = typeof(PairedRun).Assembly.GetTypes().Single(t => t.Name == className);
        var instance = Activator.CreateInstance(type)!;
        type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<BenchmarkDotNet.Attributes.GlobalSetupAttribute>() is not null)?.Invoke(instance, null);
        var methods = args[3..].Select(name => (Name: name, Call: (Func<int>)Delegate.CreateDelegate(typeof(Func<int>), instance, type.GetMethod(name)!))).ToArray();
        var rounds = int.Parse(roundsText, CultureInfo.InvariantCulture);
        var ops = int.Parse(opsText, CultureInfo.InvariantCulture);

        var nanos = methods.Select(_ => new List<double>()).ToArray();
        var bytes = new long[methods.Length];
        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            foreach (var (_, call) in methods)
            {
                Repeat(call, ops);
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < methods.Length; k++)
            {
                var m = round % 2 == 0 ? k : methods.Length - 1 - k;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                Repeat(methods[m].Call, ops);
                nanos[m].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / ops);
                bytes[m] = (GC.GetAllocatedBytesForCurrentThread() - allocated) / ops;
            }
        }

        Console.WriteLine($"| Method | median ns | min ns | median ratio to {methods[0].Name} | allocated B |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (var m = 0; m < methods.Length; m++)
        {
            var ratio = Median(nanos[m].Zip(nanos[0], (x, y) => x / y));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {methods[m].Name} | {Median(nanos[m]):F0} | {nanos[m].Min():F0} | {ratio:F2} | {bytes[m]} |"));
        }

        return 0;
    }

    private static void Repeat(Func<int> call, int ops)
    {
        for (var i = 0; i < ops; i++)
        {
            call();
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
