using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// Bounds on a request's numbers, with the words of their refusal. A front end puts the field's path and its wire's
/// envelope around the problem, as Qdrant's two front ends do: "Validation error in JSON body: [limit: …]" over REST,
/// "Validation error in body: [limit: …]" over gRPC.
/// </summary>
public static class RequestRules
{
    /// <summary>The longest collection or alias name, in characters.</summary>
    public const int MaxNameLength = 255;

    /// <summary>A collection or alias name that is empty or longer than <see cref="MaxNameLength"/>.</summary>
    public const string NameLength = "length must be from 1 to 255";

    /// <summary>The largest dense vector a collection may hold.</summary>
    public const ulong MaxVectorSize = 65_536;

    /// <summary>A limit of 0 (a query, search, recommendation or scroll that asks for nothing).</summary>
    public const string ZeroLimit = "value 0 invalid, must be 1 or larger";

    /// <summary>The fewest points a distance matrix may sample: one point has no neighbours.</summary>
    public const uint MinMatrixSample = 2;

    /// <summary>A distance-matrix sample under <see cref="MinMatrixSample"/>.</summary>
    public static string MatrixSample(uint sample) => $"value {sample} invalid, must be {MinMatrixSample} or larger";

    /// <summary>How deep prefetch branches may nest (the reference's bound).</summary>
    public const int MaxPrefetchDepth = 64;

    /// <summary>
    /// The most points all the prefetch branches of one query may ask for together: each branch holds its results until
    /// its parent has merged them, so the sum bounds what one request keeps in memory.
    /// </summary>
    public const ulong MaxPrefetchLimitTotal = 1_000_000;

    /// <summary>The problem with a vector size, or null when it is one the engine stores.</summary>
    public static string? VectorSize(ulong size) =>
        size is 0 or > MaxVectorSize ? $"value {size} invalid, must be from 1 to {MaxVectorSize}" : null;

    /// <summary>
    /// The first out-of-range value of an HNSW diff, as (its field, the problem), or null. Outside these bounds a build
    /// would change the value it was given (an ef_construct under 4 is raised) and the stored config would not say
    /// what the index is.
    /// </summary>
    public static (string Field, string Problem)? Hnsw(HnswConfigDiff? hnsw) => hnsw switch
    {
        { EfConstruct: < 4 or > 1_000_000 } => ("ef_construct", $"value {hnsw.EfConstruct} invalid, must be from 4 to 1000000"),
        { M: > 100_000 } => ("m", $"value {hnsw.M} invalid, must be at most 100000"),
        { FullScanThreshold: < 10 } => ("full_scan_threshold", $"value {hnsw.FullScanThreshold} invalid, must be 10 or larger"),
        { Memory: { } memory } when Array.IndexOf(QuantizationConfig.MemoryPlacements, memory) < 0 => ("memory", $"unknown memory placement `{memory}`"),
        _ => null,
    };

    /// <summary>The first out-of-range value of an optimizers diff, as (its field, the problem), or null.</summary>
    public static (string Field, string Problem)? Optimizers(OptimizersConfigDiff? optimizers) => optimizers switch
    {
        // Written so that NaN (which no comparison holds for) is refused too.
        { DeletedThreshold: double t } when t is not (>= 0 and <= 1) => ("deleted_threshold", $"value {t} invalid, must be from 0 to 1"),
        { VacuumMinVectorNumber: < 100 } => ("vacuum_min_vector_number", $"value {optimizers.VacuumMinVectorNumber} invalid, must be 100 or larger"),
        _ => null,
    };

    /// <summary>The first out-of-range value of a quantization config, as (its field under the kind, the problem), or null.</summary>
    public static (string Field, string Problem)? Quantization(QuantizationConfig config) => config switch
    {
        // Written so that NaN is refused too.
        { Kind: QuantizationKind.Scalar, Quantile: float q } when q is not (>= 0.5f and <= 1f) => ("scalar.quantile", $"value {q} invalid, must be from 0.5 to 1"),
        _ => null,
    };

    /// <summary>The problem with a search's quantization oversampling, or null (the reference's bound: at least 1).</summary>
    /// <summary>The acorn <c>max_selectivity</c>'s problem (it is a share of the points, 0 to 1), or null.</summary>
    public static string? AcornMaxSelectivity(double selectivity) =>
        double.IsNaN(selectivity) || selectivity < 0 ? $"value {selectivity} invalid, must be 0.0 or larger"
        : selectivity > 1 ? $"value {selectivity} invalid, must be 1.0 or smaller" : null;

    public static string? Oversampling(double oversampling) =>
        oversampling >= 1 && double.IsFinite(oversampling) ? null : $"value {oversampling} invalid, must be 1.0 or larger";

    /// <summary>The first out-of-range value of a WAL diff, as (its field, the problem), or null.</summary>
    public static (string Field, string Problem)? Wal(WalConfigDiff? wal) => wal switch
    {
        { WalCapacityMb: 0 } => ("wal_capacity_mb", "value 0 invalid, must be 1 or larger"),
        _ => null,
    };

    /// <summary>The most candidates an MMR query may re-rank (the reference's bound: the work grows with its square).</summary>
    public const uint MaxMmrCandidates = 16_384;

    /// <summary>The first out-of-range value of MMR params, as (its field, the problem), or null.</summary>
    public static (string Field, string Problem)? Mmr(MmrParams mmr) => mmr switch
    {
        // Written so that NaN is refused too.
        { Diversity: float d } when d is not (>= 0f and <= 1f) => ("diversity", $"value {JsonFloat(d)} invalid, must be from 0.0 to 1.0"),
        { CandidatesLimit: > MaxMmrCandidates } => ("candidates_limit", $"value {mmr.CandidatesLimit} invalid, must be {MaxMmrCandidates} or smaller"),
        _ => null,
    };

    // A float as the reference's validation messages print it, from its JSON form: 2 is "2.0".
    internal static string JsonFloat(float value)
    {
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return float.IsFinite(value) && !text.Contains('.') && !text.Contains('E') ? text + ".0" : text;
    }

    /// <summary>Prefetch branches nested deeper than <see cref="MaxPrefetchDepth"/>; <paramref name="path"/> is the first branch past it.</summary>
    public static AvError PrefetchDepth(int depth, string path) =>
        AvError.BadRequest($"Validation failed: prefetches depth {depth} exceeds max depth {MaxPrefetchDepth} at {path}");

    /// <summary>Branches asking for more than <see cref="MaxPrefetchLimitTotal"/> points together; <paramref name="path"/> is where the sum passed it.</summary>
    public static AvError PrefetchLimitTotal(ulong total, string path) =>
        AvError.BadRequest($"{path}.limit: the prefetch limits add up to {total}, more than {MaxPrefetchLimitTotal}");

    /// <summary>Branches with nothing to merge them: the reference's words.</summary>
    public static AvError PrefetchWithoutQuery { get; } =
        new(ErrorKind.BadRequest, "Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query.");

    public static AvError ScoreThresholdWithoutQuery { get; } =
        new(ErrorKind.BadRequest, "Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");

    /// <summary>Fusion ranks the branches' results, not a vector: a <c>using</c> beside it means a mistake.</summary>
    public static AvError FusionWithUsing { get; } =
        new(ErrorKind.BadRequest, "Bad request: Fusion queries cannot be combined with the 'using' field.");

    public static AvError FormulaWithoutPrefetch { get; } = AvError.BadRequest("Validation failed: cannot apply Formula without prefetches");

    public static AvError FusionWithoutPrefetch { get; } = AvError.BadRequest("Validation failed: cannot apply Fusion without prefetches");

    public static AvError RrfWeightCount(int weights, int prefetches) =>
        AvError.BadRequest($"Validation failed: Number of weights in RRF should match number of pre-fetches: got {weights}, expected {prefetches}");

    public static AvError RrfWeightValue(string path) => AvError.BadRequest(path + ": RRF weights must be finite numbers");

    /// <summary>A limit or an RRF k of 0, found by the engine itself (front ends refuse it first, in their wire's words).</summary>
    public static AvError ZeroAt(string path) => AvError.BadRequest(path + ": " + ZeroLimit);

    /// <summary>The reference's checks of a <c>slice</c> condition (its gRPC words; REST gets the same), or null when it is valid.</summary>
    public static AvError? Slice(uint index, uint total) =>
        total == 0 ? new AvError(ErrorKind.BadRequest, "Slice total must be greater than 0")
        : index >= total ? new AvError(ErrorKind.BadRequest, SliceIndex)
        : null;

    /// <summary>
    /// A slice index not below its total. The reference reads such a slice and then refuses it in validation (422 over
    /// REST), while a total of 0 does not read at all (400).
    /// </summary>
    public const string SliceIndex = "Slice index must be less than the total number of slices";

    /// <summary>A payload index asked for without its type (the engine does not guess it from the data).</summary>
    public static AvError MissingFieldSchema { get; } = AvError.BadRequest("Can't auto-detect field type, please specify `field_schema` in the request");

    /// <summary>
    /// The refusal of a recommendation without the examples its strategy needs: the average of the positives needs
    /// one, the scoring strategies one of either kind. Null when there are enough.
    /// </summary>
    public static AvError? RecommendExamples(int positives, int negatives, RecommendStrategy strategy) =>
        positives == 0 && (strategy == RecommendStrategy.AverageVector || negatives == 0)
            ? AvError.BadRequest("At least one positive vector ID required")
            : null;
}
