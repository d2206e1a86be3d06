namespace AotVector.Engine.Files;

/// <summary><c>aliases.json</c>, format 1: <c>{"aliases": {"alias": "collection", …}}</c>, aliases in ordinal order.</summary>
internal sealed class AliasesFile
{
    public required Dictionary<string, string> Aliases { get; init; }
}
