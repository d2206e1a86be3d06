namespace AotVector.Storage.WriteAheadLog;

internal enum WalHeaderStatus : byte
{
    Ok,
    Bad,
    UnsupportedVersion,
}
