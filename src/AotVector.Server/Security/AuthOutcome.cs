namespace AotVector.Server.Security;

internal enum AuthOutcome : byte
{
    /// <summary>The request may proceed with <see cref="AuthDecision.Access"/>.</summary>
    Granted,

    /// <summary>401 / UNAUTHENTICATED: no usable credential.</summary>
    Unauthenticated,

    /// <summary>403 / PERMISSION_DENIED: a credential that may not do this (or a rejected token).</summary>
    Forbidden,
}
