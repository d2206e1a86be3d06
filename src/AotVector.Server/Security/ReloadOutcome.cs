namespace AotVector.Server.Security;

internal enum ReloadOutcome : byte
{
    /// <summary>The files hold what is already served.</summary>
    Unchanged,

    /// <summary>New files passed every check and new handshakes now use them.</summary>
    Reloaded,

    /// <summary>The files are unreadable, broken, mismatched or out of validity; the last good one stays.</summary>
    Failed,
}
