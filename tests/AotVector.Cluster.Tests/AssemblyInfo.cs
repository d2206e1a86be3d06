// Every test runs three or four server processes; on a small machine they run one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
