namespace AotVector.Server.Security;

/// <summary>Which configured static key a credential equals.</summary>
internal enum KeyMatch : byte
{
    None,

    /// <summary><c>api_key</c> or <c>alt_api_key</c>: full access.</summary>
    Full,

    /// <summary><c>read_only_api_key</c>.</summary>
    ReadOnly,
}
