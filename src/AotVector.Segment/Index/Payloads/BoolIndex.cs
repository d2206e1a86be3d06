using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Booleans; answers <c>match.value</c> (bool).</summary>
internal sealed class BoolIndex(string field, JsonPath path) : HashFieldIndex<bool>(field, path, null)
{
    public override FieldIndexType Type => FieldIndexType.Bool;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        if (condition.Match is MatchValue { Value.Kind: PayloadKind.Bool } m)
        {
            AddPostings(m.Value.AsBool, candidates);
            return true;
        }

        return false;
    }

    protected override PayloadValue BlockValue(bool key) => PayloadValue.FromBool(key);

    protected override bool TryConvert(PayloadValue value, out bool key, out bool isOther)
    {
        isOther = false;
        key = value.Kind == PayloadKind.Bool && value.AsBool;
        return value.Kind == PayloadKind.Bool;
    }
}
