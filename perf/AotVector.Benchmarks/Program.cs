using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AotVector.Benchmarks.Kernels.DistanceBenchmarks).Assembly).Run(args);
