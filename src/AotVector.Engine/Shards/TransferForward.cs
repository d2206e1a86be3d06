using System.Runtime.CompilerServices;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>
/// The source side of a streamed shard transfer, as the reference's forward proxy: the source replica's points go to
/// the target in batches (ascending ids), and every write the source applies meanwhile is forwarded to the target
/// too, both under the source's writer gate, so each write falls either before a batch is read (the batch carries
/// its effect) or after it was sent (the forwarded write follows the streamed copy). A write is forwarded only for
/// the ids already streamed: the later batches read the others as the write left them. So a delete or an edit made
/// during the transfer is never undone by an older streamed copy, and a write that reached this replica but not the
/// target directly (a peer that had not yet applied the transfer's start) still reaches it.
/// </summary>
/// <remarks>
/// Streamed batches are insert-only on the target: a point a write reached there first keeps its newer content. A
/// forwarded write the target answers with a missing point is left alone (that point comes in a later batch); any
/// other failure stops forwarding and is kept in <see cref="Failure"/>, and the transfer must not finish.
/// </remarks>
public sealed class TransferForward : IDisposable
{
    private readonly LocalShard _source;
    private readonly IShard _target;
    private PointId? _next;
    private bool _started;
    private volatile bool _complete;
    private volatile StrongBox<AvError>? _failure;

    internal TransferForward(LocalShard source, IShard target)
    {
        _source = source;
        _target = target;
    }

    /// <summary>Why a forwarded write failed on the target (the target then misses it), or null.</summary>
    public AvError? Failure => _failure?.Value;

    /// <summary>True once every point of the source went to the target.</summary>
    public bool Complete => _complete;

    /// <summary>
    /// Reads the next batch of up to <paramref name="limit"/> points and hands it to <paramref name="send"/> (which
    /// answers null once the target took it), with the source's writes held back meanwhile. Answers how many points
    /// went; the error <paramref name="send"/> answered, if any, leaves the position where it was.
    /// </summary>
    public Result<int> SendNext(int limit, Func<UpsertPoints, AvError?> send) =>
        _source.Exclusive(() =>
        {
            if (_complete)
            {
                return 0;
            }

            var ids = _source.ScrollIds(null, _started ? _next : null, limit + 1, CancellationToken.None);
            PointId? next = ids.Count > limit ? ids[limit] : null;
            var page = ids.Count > limit ? ids.Take(limit).ToList() : ids;
            if (page.Count > 0)
            {
                var points = _source.Retrieve(page, WithPayload.All, WithVector.All)
                    .Select(p => new PointStruct(p.Id, p.Vectors ?? new Dictionary<string, VectorData>(), p.Payload is { Count: > 0 } payload ? payload : null))
                    .ToList();
                if (send(new UpsertPoints(points, null, UpdateMode.InsertOnly)) is { } failed)
                {
                    return (Result<int>)failed;
                }
            }

            _started = true;
            _next = next;
            _complete = next is null;
            return page.Count;
        });

    /// <summary>Called by the source under its writer gate once <paramref name="operation"/> is applied there.</summary>
    internal void Forward(UpdateOperation operation, bool wait)
    {
        if (_failure is not null || Narrow(operation) is not { } narrowed)
        {
            return;
        }

        Result<UpdateResult> result;
        try
        {
            result = _target.Update(narrowed, wait);
        }
        catch (ShardUnavailableException e)
        {
            result = e.Error;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            result = new AvError(ErrorKind.Unavailable, "forwarding a write to the transfer target failed: " + e.Message);
        }

        if (!result.TryGet(out _, out var error) && error.Kind is not (ErrorKind.NotFound or ErrorKind.PreconditionFailed))
        {
            _failure = new StrongBox<AvError>(error);
        }
    }

    private bool Streamed(PointId id) => _complete || (_started && _next is { } next && id < next);

    /// <summary>The part of <paramref name="operation"/> about points the target already has from the stream, or null.</summary>
    private UpdateOperation? Narrow(UpdateOperation operation)
    {
        switch (operation)
        {
            case UpsertPoints u:
                var points = u.Points.Where(p => Streamed(p.Id)).ToList();
                return points.Count == 0 ? null : u with { Points = points };
            case UpdateVectors uv:
                var vectors = uv.Points.Where(p => Streamed(p.Id)).ToList();
                return vectors.Count == 0 ? null : uv with { Points = vectors };
            case DeletePoints d:
                return Narrow(d.Selector) is { } s1 ? d with { Selector = s1 } : null;
            case SetPayload s:
                return Narrow(s.Selector) is { } s2 ? s with { Selector = s2 } : null;
            case OverwritePayload o:
                return Narrow(o.Selector) is { } s3 ? o with { Selector = s3 } : null;
            case DeletePayloadKeys k:
                return Narrow(k.Selector) is { } s4 ? k with { Selector = s4 } : null;
            case ClearPayload c:
                return Narrow(c.Selector) is { } s5 ? c with { Selector = s5 } : null;
            case DeleteVectors dv:
                return Narrow(dv.Selector) is { } s6 ? dv with { Selector = s6 } : null;
            case CreateFieldIndex or DeleteFieldIndex:
                return operation;
            default:
                // Vector name changes are made by the engine on each replica, never as a replicated write.
                return null;
        }
    }

    // A filter is applied by the target to the points it has, which match as the source's did.
    private PointsSelector? Narrow(PointsSelector selector)
    {
        if (selector.Ids is null)
        {
            return selector;
        }

        var ids = selector.Ids.Where(Streamed).ToList();
        return ids.Count == 0 ? null : selector with { Ids = ids };
    }

    /// <summary>Stops forwarding (writes already forwarded have been).</summary>
    public void Dispose() => _source.StopForwarding(this);
}
