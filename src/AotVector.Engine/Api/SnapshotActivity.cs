namespace AotVector.Engine.Api;

/// <summary>A collection's snapshot work since the server started, for the reference's snapshot metrics.</summary>
public readonly record struct SnapshotActivity(int CreationsRunning, int RecoveriesRunning, ulong Created);
