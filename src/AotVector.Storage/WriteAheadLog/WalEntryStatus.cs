namespace AotVector.Storage.WriteAheadLog;

internal enum WalEntryStatus : byte
{
    /// <summary>A valid entry was read.</summary>
    Ok,

    /// <summary>Clean end: no bytes left before the limit.</summary>
    End,

    /// <summary>Fewer bytes left than the entry needs: an interrupted write.</summary>
    Torn,

    /// <summary>Wrong sequence number, absurd length or checksum mismatch.</summary>
    Corrupt,
}
