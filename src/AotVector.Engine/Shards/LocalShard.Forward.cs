namespace AotVector.Engine.Shards;

/// <summary>
/// This replica as the source of a streamed transfer: its writes are forwarded to the target (see
/// <see cref="TransferForward"/>), and a batch is read and sent with writes held back.
/// </summary>
internal sealed partial class LocalShard
{
    // Set and cleared under the writer gate: a write either sees it and forwards, or finished before it was set
    // (and the batches read later carry its effect).
    private TransferForward? _forward;

    /// <summary>Starts forwarding this replica's writes to <paramref name="target"/>; null when a transfer already does.</summary>
    public TransferForward? StartForwarding(Ports.IShard target)
    {
        lock (_writers)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_forward is not null)
            {
                return null;
            }

            _forward = new TransferForward(this, target);
            return _forward;
        }
    }

    internal void StopForwarding(TransferForward forward)
    {
        lock (_writers)
        {
            if (ReferenceEquals(_forward, forward))
            {
                _forward = null;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with no write to this replica in progress or starting.</summary>
    internal T Exclusive<T>(Func<T> action)
    {
        lock (_writers)
        {
            return action();
        }
    }
}
