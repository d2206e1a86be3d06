using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>
    /// The refusal of a vector name this collection does not have, worded as the reference's ("Not existing vector
    /// name error: …") and naming the vectors it does have, so a query that forgot <c>using</c> says what to write.
    /// </summary>
    private AvError UnknownVector(string name)
    {
        var vectors = Config.Params.Vectors;
        if (vectors.Single is not null)
        {
            return NoSuchVector(name + " (this collection has one unnamed vector: leave out `using`)");
        }

        var names = vectors.Named is { Count: > 0 } named ? "`" + string.Join("`, `", named.Keys.Order(StringComparer.Ordinal)) + "`" : "none";
        return name.Length == 0
            ? NoSuchVector($"no vector name was given, and this collection has named vectors only: {names} (name one with `using`)")
            : NoSuchVector($"{name} (this collection's vectors: {names})");
    }
}
