namespace AotVector.Server.Config;

/// <summary>The <c>storage.performance</c> section.</summary>
internal sealed record PerformanceSettings
{
    /// <summary><c>max_search_threads</c>; 0 means automatic.</summary>
    public int MaxSearchThreads { get; init; }

    /// <summary><c>max_optimization_threads</c> (alias <c>max_optimization_runtime_threads</c>); 0 means automatic.</summary>
    public int MaxOptimizationThreads { get; init; }

    /// <summary><c>optimizer_cpu_budget</c>: 0 automatic, negative leaves CPUs free, positive is exact.</summary>
    public int OptimizerCpuBudget { get; init; }

    /// <summary><c>update_rate_limit</c>; null means automatic.</summary>
    public int? UpdateRateLimit { get; init; }
}
