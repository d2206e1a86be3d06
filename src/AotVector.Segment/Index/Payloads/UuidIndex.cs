using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// Strings that parse as UUIDs, stored parsed. Answers <c>match.value</c>/<c>match.any</c> on strings; points whose
/// strings do not parse are always candidates, so exact string equality (checked afterwards) stays authoritative.
/// </summary>
internal sealed class UuidIndex(string field, JsonPath path) : HashFieldIndex<Guid>(field, path, null)
{
    public override FieldIndexType Type => FieldIndexType.Uuid;

    protected override ulong LayoutValue(Guid key)
    {
        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes);
        return LayoutHash.Of(bytes);
    }

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        switch (condition.Match)
        {
            case MatchValue { Value.Kind: PayloadKind.String } m:
                AddKeyword(m.Value.AsString, candidates);
                return true;
            case MatchAny any when HasNoItems(any.Integers):
                foreach (var keyword in any.Keywords ?? [])
                {
                    AddKeyword(keyword, candidates);
                }

                return true;
            default:
                return false;
        }
    }

    protected override bool TryConvert(PayloadValue value, out Guid key, out bool isOther)
    {
        key = Guid.Empty;
        if (value.Kind != PayloadKind.String)
        {
            isOther = false;
            return false;
        }

        var ok = Guid.TryParse(value.AsString, out key);
        isOther = !ok;
        return ok;
    }

    private void AddKeyword(string keyword, Candidates candidates)
    {
        if (Guid.TryParse(keyword, out var uuid))
        {
            AddPostings(uuid, candidates);
        }
        else
        {
            candidates.AddAll(Others);
        }
    }
}
