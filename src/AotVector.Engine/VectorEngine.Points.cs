using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Inference;
using AotVector.Engine.Operations;
using AotVector.Engine.Strict;

namespace AotVector.Engine;

public sealed partial class VectorEngine
{
    public ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct)
    {
        Result<UpdateResult> Run() => Guard(() =>
        {
            var found = Resolve(access, collection, Needed(operation));
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (_space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full)
            {
                return full;
            }

            // Documents become vectors before the write: the WAL and the segments only ever see vectors.
            if (!DocumentInference.Resolve(operation).TryGet(out var resolved, out var inferenceError))
            {
                return inferenceError;
            }

            if (StrictWrite(c, resolved, options.Timeout) is { } refused)
            {
                return refused;
            }

            var result = c.Update(resolved, options.Wait, options.Ordering);
            if (result.IsOk && operation is CreateFieldIndex index)
            {
                FieldIndexed(c, index.FieldName);
            }

            return result;
        });

        // A few points with no fsync to wait for are applied on the caller's thread: the hop to an update worker and
        // back costs more than the update itself.
        // A cluster write waits on other peers: never on the caller's (possibly socket) thread.
        return !_options.Clustered && RunsInline(operation, options.Wait) ? ValueTask.FromResult(Run()) : new(_updates.Run(Run));
    }

    private const int InlinePoints = 16;

    private static bool RunsInline(UpdateOperation operation, bool wait) =>
        !wait && operation is UpsertPoints { Points.Count: <= InlinePoints };

    public ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct) =>
        new(_updates.Run(() => Guard<IReadOnlyList<UpdateResult>>(() =>
        {
            var needed = AccessLevel.PointsReadWrite;
            foreach (var op in operations)
            {
                needed = Needed(op) > needed ? Needed(op) : needed;
            }

            var found = Resolve(access, collection, needed);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (_space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full)
            {
                return full;
            }

            var resolved = new List<UpdateOperation>(operations.Count);
            foreach (var op in operations)
            {
                if (!DocumentInference.Resolve(op).TryGet(out var withVectors, out var inferenceError))
                {
                    return inferenceError;
                }

                if (StrictWrite(c, withVectors, options.Timeout) is { } refused)
                {
                    return refused;
                }

                resolved.Add(withVectors);
            }

            var results = new List<UpdateResult>(operations.Count);
            foreach (var op in resolved)
            {
                var r = c.Update(op, options.Wait, options.Ordering);
                if (!r.TryGet(out var ok, out var failed))
                {
                    return failed;
                }

                results.Add(ok);
            }

            return results;
        })));

    /// <summary>Payload indexes are collection "extras": a points-only (prw) grant may not change them.</summary>
    private static AccessLevel Needed(UpdateOperation operation) =>
        operation is CreateFieldIndex or DeleteFieldIndex ? AccessLevel.ReadWrite : AccessLevel.PointsReadWrite;

    public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct) =>
        ValueTask.FromResult(Guard<IReadOnlyList<PointRecord>>(() =>
        {
            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            return StrictRead(c, _ => null, null, () => (ulong)request.Ids.Count) is { } refused ? refused : Result<IReadOnlyList<PointRecord>>.Ok(c.Reading(request.Consistency).Retrieve(request));
        }));

    public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct) =>
        ValueTask.FromResult(Guard(() =>
        {
            if (request.Limit == 0)
            {
                return Result<ScrollResult>.Fail(AvError.Validation("[limit: " + RequestRules.ZeroLimit + "]"));
            }

            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            return StrictRead(c, strict => StrictModeCheck.Scroll(request, strict, c), null, () => RateCost.Filtered(request.Filter)) is { } refused
                ? refused
                : c.Reading(request.Consistency).Scroll(request, ct);
        }));

    public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct) =>
        ValueTask.FromResult(Guard(() =>
        {
            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            return StrictRead(c, strict => StrictModeCheck.Count(request, strict, c), null, () => RateCost.Filtered(request.Filter)) is { } refused
                ? refused
                : c.Reading(request.Consistency).Count(request, ct);
        }));

    public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct) =>
        ValueTask.FromResult(WithTimeout(options, request.Query is null ? "Query scroll" : "Search", ct, token => Guard(() => Query(access, collection, request, options.Consistency, options.Timeout, token))));

    public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct) =>
        ValueTask.FromResult(WithTimeout(options, "Search", ct, token => Guard<IReadOnlyList<IReadOnlyList<ScoredPoint>>>(() =>
        {
            // Strict mode checks the whole batch before any of it runs (the queries' own checks come first).
            foreach (var request in requests)
            {
                if (CheckQueryShape(request) is { } invalid)
                {
                    return invalid;
                }
            }

            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (StrictReadBatch(c, requests, options.Timeout) is { } refused)
            {
                return refused;
            }

            var results = new List<IReadOnlyList<ScoredPoint>>(requests.Count);
            foreach (var request in requests)
            {
                var r = Query(access, collection, request, options.Consistency, strictTimeout: null, token, strictChecked: true);
                if (!r.TryGet(out var points, out var failed))
                {
                    return failed;
                }

                results.Add(points);
            }

            return results;
        })));

    /// <summary>
    /// Runs a read under the caller's token and, when the request sets one, its own timeout: a read cut short by the
    /// timeout answers Qdrant's "Timeout error: Operation '…' timed out after …" (REST 408, gRPC DEADLINE_EXCEEDED);
    /// one cut short by the caller answers Cancelled.
    /// </summary>
    private Result<T> WithTimeout<T>(ReadOptions options, string operation, CancellationToken ct, Func<CancellationToken, Result<T>> read)
    {
        if (options.Timeout is not { } timeout)
        {
            return read(ct);
        }

        // Past about 49 days a timer cannot be set: such a timeout is as good as none.
        using var deadline = new CancellationTokenSource(timeout < MaxTimer ? timeout : MaxTimer, _time);
        using var caller = ct.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        var result = read(deadline.Token);
        return !result.IsOk && result.Error.Kind == ErrorKind.Cancelled && !ct.IsCancellationRequested
            ? AvError.Timeout($"Timeout error: Operation '{operation}' timed out after {FormatSeconds(timeout)}")
            : result;
    }

    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    // As Rust prints a Duration of whole seconds ("1s", "30s"); request timeouts are whole seconds.
    private static string FormatSeconds(TimeSpan timeout) =>
        timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s";

    private static AvError? CheckQueryShape(QueryRequest request) =>
        request.Limit == 0 ? AvError.Validation("[limit: " + RequestRules.ZeroLimit + "]") : QueryTreeCheck.Check(request);

    private Result<IReadOnlyList<ScoredPoint>> Query(AccessContext access, string collection, QueryRequest request, ReadConsistency consistency, TimeSpan? strictTimeout, CancellationToken ct, bool strictChecked = false)
    {
        if (CheckQueryShape(request) is { } refused)
        {
            return refused;
        }

        // The caller's access first: embedding a document costs CPU.
        var found = Resolve(access, collection, AccessLevel.Read);
        if (!found.TryGet(out var c, out var error))
        {
            return error;
        }

        if (!DocumentInference.Resolve(request).TryGet(out var withVectors, out var inferenceError))
        {
            return inferenceError;
        }

        request = withVectors;

        if (!strictChecked && StrictRead(c, strict => StrictModeCheck.Query(request, strict, c), strictTimeout, () => RateCost.Query(request)) is { } strictRefusal)
        {
            return strictRefusal;
        }

        // lookup_from reads another collection: the caller needs read access there too.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = c.Reading(consistency).Query(request, name => Resolve(access, name, AccessLevel.Read), ct);
        CheckSlowQuery(c, request.Filter, started);
        return result;
    }
}
