using AotVector.Common.Model;

namespace AotVector.Server.Security;

/// <summary>
/// The JWT <c>value_exists</c> claim: the token is only good while a point whose payload holds every
/// key/value pair exists in <see cref="Collection"/> (revocation by deleting that point).
/// </summary>
internal sealed record ValueExistsClaim(string Collection, IReadOnlyList<KeyValuePair<string, PayloadValue>> Matches);
