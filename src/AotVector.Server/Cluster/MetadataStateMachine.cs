using System.Buffers;
using AotVector.Engine.Cluster;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace AotVector.Server.Cluster;

/// <summary>
/// DotNext's state machine around <see cref="ClusterMetadata"/>: each committed log entry is one encoded
/// <see cref="MetaOp"/>, applied in log order on every peer. A snapshot (the whole metadata) is taken every
/// <c>compact_wal_entries</c> applied entries, which lets the log be compacted and a late peer catch up from it.
/// </summary>
internal sealed class MetadataStateMachine : SimpleStateMachine
{
    private readonly ConsensusState _state;
    private int _sinceSnapshot;

    public MetadataStateMachine(ConsensusState state)
        : base(state.SnapshotDirectory) => _state = state;

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        if (entry.IsConfiguration)
        {
            return ValueTask.FromResult(false);
        }

        var bytes = entry.TryGetPayload(out var payload) ? payload.ToArray() : entry.GetPayload().SelectMany(m => m.ToArray()).ToArray();
        var op = ClusterMetadata.Decode(bytes);
        if (op is not null)
        {
            var result = _state.Metadata.Apply(op);
            _state.Applied(op.Id, result);
        }

        var compact = _state.CompactWalEntries > 0 && ++_sinceSnapshot >= _state.CompactWalEntries;
        if (compact)
        {
            _sinceSnapshot = 0;
        }

        return ValueTask.FromResult(compact);
    }

    protected override async ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        var bytes = _state.Metadata.Save();
        await writer.WriteLittleEndianAsync(bytes.Length, token).ConfigureAwait(false);
        await writer.WriteAsync(bytes, null, token).ConfigureAwait(false);
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        var bytes = await File.ReadAllBytesAsync(snapshotFile.FullName, token).ConfigureAwait(false);
        var length = BitConverter.ToInt32(bytes, 0);
        _state.Metadata.Restore(bytes.AsSpan(sizeof(int), length));
    }
}
