using AotVector.Benchmarks;
using BenchmarkDotNet.Running;

if (args is ["paired", .. var rest])
{
    return PairedRun.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(PairedRun).Assembly).Run(args);
return 0;
