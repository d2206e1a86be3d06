using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine.Catalog;

/// <summary>Collection and alias name rules (Qdrant's: 1..255 chars, no path or shell specials).</summary>
internal static class CollectionNames
{
    private const string Forbidden = "<>:\"/\\|?*\0\u001F";

    public static AvError? Validate(string name, string field = "collection_name")
    {
        if (name.Length is 0 or > RequestRules.MaxNameLength)
        {
            return Invalid(field, RequestRules.NameLength);
        }

        foreach (var c in name)
        {
            if (Forbidden.Contains(c, StringComparison.Ordinal) || char.IsControl(c))
            {
                return Invalid(field, $"collection name cannot contain \"{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c)}\" char");
            }
        }

        // "." and ".." would name the storage directory itself or its parent.
        if (name is "." or "..")
        {
            return Invalid(field, "collection name cannot be \".\" or \"..\"");
        }

        return null;
    }

    private static AvError Invalid(string field, string problem) =>
        new(ErrorKind.Validation, $"Validation error in path parameters: [{field}: {problem}]");
}
