using AotVector.Common.Model;

namespace AotVector.Engine.Collections;

/// <summary>
/// How PATCH changes a collection's <c>metadata</c>, as the reference's <c>update_metadata</c>: each top-level key
/// given replaces the stored one, a key given as null is removed, and keys not given stay. A collection without
/// metadata takes the given object as it is (nulls included), as the reference stores it.
/// </summary>
internal static class MetadataMerge
{
    public static Payload Apply(Payload? current, Payload given)
    {
        if (current is null)
        {
            return given.DeepClone();
        }

        var merged = current.DeepClone();
        foreach (var (key, value) in given.Fields)
        {
            if (value.IsNull)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value.DeepClone();
            }
        }

        return merged;
    }
}
