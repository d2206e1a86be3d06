using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine;

/// <summary>Applies a with_payload include/exclude selector to a payload (top-level keys).</summary>
internal static class PayloadSelection
{
    public static Payload Apply(Payload payload, WithPayload selector)
    {
        if (selector.Include is { } include)
        {
            var picked = new Payload(include.Count);
            foreach (var key in include)
            {
                var top = TopLevel(key);
                if (payload.TryGetValue(top, out var value))
                {
                    picked[top] = value;
                }
            }

            return picked;
        }

        if (selector.Exclude is { } exclude)
        {
            var kept = payload.DeepClone();
            foreach (var key in exclude)
            {
                kept.Remove(TopLevel(key));
            }

            return kept;
        }

        return payload;
    }

    private static string TopLevel(string key)
    {
        var dot = key.IndexOfAny(['.', '[']);
        return dot < 0 ? key : key[..dot];
    }
}
