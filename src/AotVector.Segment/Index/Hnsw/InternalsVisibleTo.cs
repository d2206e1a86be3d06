using System.Runtime.CompilerServices;

// The ANN harness drives the index directly (no segment), like the tests do.
[assembly: InternalsVisibleTo("AotVector.AnnBench")]
[assembly: InternalsVisibleTo("AotVector.Benchmarks")]
