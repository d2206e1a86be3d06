using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Strings; answers <c>match.value</c> (string) and <c>match.any</c> (strings).</summary>
internal sealed class KeywordIndex(string field, JsonPath path) : HashFieldIndex<string>(field, path, StringComparer.Ordinal)
{
    public override FieldIndexType Type => FieldIndexType.Keyword;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        switch (condition.Match)
        {
            case MatchValue { Value.Kind: PayloadKind.String } m:
                AddPostings(m.Value.AsString, candidates);
                return true;
            case MatchAny any when HasNoItems(any.Integers):
                foreach (var keyword in any.Keywords ?? [])
                {
                    AddPostings(keyword, candidates);
                }

                return true;
            default:
                return false;
        }
    }

    protected override PayloadValue BlockValue(string key) => PayloadValue.FromString(key);

    // A stable hash (the same in every process), so a tenant's points stay together across rebuilds.
    protected override ulong LayoutValue(string key) => LayoutHash.Of(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key.AsSpan()));

    protected override bool TryConvert(PayloadValue value, out string key, out bool isOther)
    {
        isOther = false;
        if (value.Kind == PayloadKind.String)
        {
            key = value.AsString;
            return true;
        }

        key = string.Empty;
        return false;
    }
}
