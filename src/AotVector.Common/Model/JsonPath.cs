using System.Diagnostics.CodeAnalysis;
using System.Text;
using AotVector.Common.Errors;

namespace AotVector.Common.Model;

/// <summary>
/// A payload key path as Qdrant writes it: <c>a.b</c>, <c>a[].b</c>, <c>a[0]</c>, <c>"quoted key".x</c>.
/// Unquoted keys use <c>[A-Za-z0-9_-]</c>; a quoted key may hold anything but <c>"</c>.
/// </summary>
/// <remarks>
/// Arrays are flattened only at <c>[]</c>: <c>a.b</c> over an array at <c>a</c> finds nothing, as in Qdrant.
/// The mutating members (<see cref="SetMerge"/>, <see cref="Delete"/>) change objects in place, so the
/// root must not share nested objects with payloads held elsewhere (deep-clone first).
/// </remarks>
public sealed class JsonPath : IEquatable<JsonPath>
{
    private readonly Step[] _steps;

    private JsonPath(string text, Step[] steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The path as it was written.</summary>
    public string Text { get; }

    /// <summary>The first key (always a key): the top-level payload field the path starts at.</summary>
    public string Head => _steps[0].Key!;

    /// <summary>True when the path is a single plain key (no nesting, no indexes).</summary>
    public bool IsSimpleKey => _steps.Length == 1;

    public static Result<JsonPath> Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : AvError.BadRequest(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "Invalid JSON path: the path is empty";
            return false;
        }

        var steps = new List<Step>(4);
        var i = 0;
        if (!TryReadKey(text, ref i, out var first, out error))
        {
            return false;
        }

        steps.Add(Step.ForKey(first));
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                i++;
                if (!TryReadKey(text, ref i, out var key, out error))
                {
                    return false;
                }

                steps.Add(Step.ForKey(key));
            }
            else if (c == '[')
            {
                i++;
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i >= text.Length || text[i] != ']')
                {
                    error = Fail(text, i, "expected digits or ']' after '['");
                    return false;
                }

                if (i == start)
                {
                    steps.Add(Step.Wildcard);
                }
                else if (int.TryParse(text.AsSpan(start, i - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(Step.ForIndex(index));
                }
                else
                {
                    error = Fail(text, start, "array index is too large");
                    return false;
                }

                i++;
            }
            else
            {
                error = Fail(text, i, $"unexpected character '{c}' (expected '.' or '[')");
                return false;
            }
        }

        path = new JsonPath(text, [.. steps]);
        error = null;
        return true;
    }

    /// <summary>The values at this path, in document order; empty when the path leads nowhere.</summary>
    public List<PayloadValue> Evaluate(Payload payload)
    {
        var results = new List<PayloadValue>(1);
        Evaluate(payload, results);
        return results;
    }

    /// <summary>Appends the values at this path to <paramref name="results"/>.</summary>
    public void Evaluate(Payload payload, List<PayloadValue> results)
    {
        if (payload.TryGetValue(_steps[0].Key!, out var head))
        {
            Collect(head, 1, results);
        }
    }

    /// <summary>
    /// Merges <paramref name="values"/> into the object at this path (set_payload with <c>key</c>), creating
    /// objects where the path is missing or holds a non-object. Array steps apply to existing arrays only.
    /// </summary>
    public void SetMerge(Payload root, Payload values)
    {
        var updated = SetAt(PayloadValue.FromObject(root), 0, values);
        _ = updated; // the root is an object, so the merge happened in place
    }

    /// <summary>Removes what this path addresses: a key, an array element (<c>a[0]</c>), or every element (<c>a[]</c>).</summary>
    /// <returns>Whether anything was removed.</returns>
    public bool Delete(Payload root)
    {
        var removed = false;
        DeleteAt(PayloadValue.FromObject(root), 0, ref removed);
        return removed;
    }

    public override string ToString() => Text;

    public bool Equals(JsonPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as JsonPath);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    private void Collect(PayloadValue value, int i, List<PayloadValue> results)
    {
        if (i == _steps.Length)
        {
            results.Add(value);
            return;
        }

        var step = _steps[i];
        switch (step.Kind)
        {
            case StepKind.Key:
                if (value.Kind == PayloadKind.Object && value.AsObject.TryGetValue(step.Key!, out var child))
                {
                    Collect(child, i + 1, results);
                }

                break;
            case StepKind.Index:
                if (value.Kind == PayloadKind.Array && step.Index < value.AsArray.Count)
                {
                    Collect(value.AsArray[step.Index], i + 1, results);
                }

                break;
            case StepKind.Wildcard:
                if (value.Kind == PayloadKind.Array)
                {
                    foreach (var item in value.AsArray)
                    {
                        Collect(item, i + 1, results);
                    }
                }

                break;
        }
    }

    // Returns the new value for the slot that held `current` (null = leave the slot as it was).
    private PayloadValue? SetAt(PayloadValue? current, int i, Payload values)
    {
        if (i == _steps.Length)
        {
            if (current is { Kind: PayloadKind.Object })
            {
                var target = current.AsObject;
                foreach (var (key, value) in values.Fields)
                {
                    target[key] = value.DeepClone();
                }

                return current;
            }

            return PayloadValue.FromObject(values.DeepClone());
        }

        var step = _steps[i];
        switch (step.Kind)
        {
            case StepKind.Key:
            {
                var isObject = current is { Kind: PayloadKind.Object };
                var obj = isObject ? current!.AsObject : new Payload();
                var replaced = SetAt(obj[step.Key!], i + 1, values);
                if (replaced is not null)
                {
                    obj[step.Key!] = replaced;
                }

                return isObject ? current : PayloadValue.FromObject(obj);
            }

            case StepKind.Index:
            {
                if (current is not { Kind: PayloadKind.Array } || step.Index >= current.AsArray.Count)
                {
                    return null;
                }

                var items = new List<PayloadValue>(current.AsArray);
                var replaced = SetAt(items[step.Index], i + 1, values);
                if (replaced is null)
                {
                    return null;
                }

                items[step.Index] = replaced;
                return PayloadValue.FromArray(items);
            }

            case StepKind.Wildcard:
            {
                if (current is not { Kind: PayloadKind.Array })
                {
                    return null;
                }

                var items = new List<PayloadValue>(current.AsArray);
                for (var k = 0; k < items.Count; k++)
                {
                    items[k] = SetAt(items[k], i + 1, values) ?? items[k];
                }

                return PayloadValue.FromArray(items);
            }

            default:
                return null;
        }
    }

    // Returns the new value for the slot that held `current` (the same instance when changed in place or not at all).
    private PayloadValue DeleteAt(PayloadValue current, int i, ref bool removed)
    {
        var step = _steps[i];
        var last = i == _steps.Length - 1;
        switch (step.Kind)
        {
            case StepKind.Key:
                if (current.Kind != PayloadKind.Object)
                {
                    return current;
                }

                var obj = current.AsObject;
                if (last)
                {
                    removed |= obj.Remove(step.Key!);
                }
                else if (obj.TryGetValue(step.Key!, out var child))
                {
                    var updated = DeleteAt(child, i + 1, ref removed);
                    if (!ReferenceEquals(updated, child))
                    {
                        obj[step.Key!] = updated;
                    }
                }

                return current;

            case StepKind.Index:
            {
                if (current.Kind != PayloadKind.Array || step.Index >= current.AsArray.Count)
                {
                    return current;
                }

                var items = new List<PayloadValue>(current.AsArray);
                if (last)
                {
                    items.RemoveAt(step.Index);
                    removed = true;
                    return PayloadValue.FromArray(items);
                }

                var updated = DeleteAt(items[step.Index], i + 1, ref removed);
                if (ReferenceEquals(updated, items[step.Index]))
                {
                    return current;
                }

                items[step.Index] = updated;
                return PayloadValue.FromArray(items);
            }

            case StepKind.Wildcard:
            {
                if (current.Kind != PayloadKind.Array)
                {
                    return current;
                }

                if (last)
                {
                    removed |= current.AsArray.Count > 0;
                    return PayloadValue.FromArray([]);
                }

                var items = new List<PayloadValue>(current.AsArray);
                var changed = false;
                for (var k = 0; k < items.Count; k++)
                {
                    var updated = DeleteAt(items[k], i + 1, ref removed);
                    if (!ReferenceEquals(updated, items[k]))
                    {
                        items[k] = updated;
                        changed = true;
                    }
                }

                return changed ? PayloadValue.FromArray(items) : current;
            }

            default:
                return current;
        }
    }

    private static bool TryReadKey(string text, ref int i, [NotNullWhen(true)] out string? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (i >= text.Length)
        {
            error = Fail(text, i, "expected a key");
            return false;
        }

        if (text[i] == '"')
        {
            var close = text.IndexOf('"', i + 1);
            if (close < 0)
            {
                error = Fail(text, i, "unterminated quoted key");
                return false;
            }

            key = text.Substring(i + 1, close - i - 1);
            i = close + 1;
            error = null;
            return true;
        }

        var start = i;
        while (i < text.Length && IsKeyChar(text[i]))
        {
            i++;
        }

        if (i == start)
        {
            error = Fail(text, i, $"expected a key, found '{text[i]}' (unquoted keys use A-Z, a-z, 0-9, '_' and '-'; quote other keys)");
            return false;
        }

        key = text[start..i];
        error = null;
        return true;
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    private static string Fail(string text, int position, string reason) =>
        new StringBuilder("Invalid JSON path \"").Append(text).Append("\": ").Append(reason).Append(" at position ").Append(position).ToString();

    private enum StepKind : byte
    {
        Key,
        Index,
        Wildcard,
    }

    private readonly record struct Step(StepKind Kind, string? Key, int Index)
    {
        public static readonly Step Wildcard = new(StepKind.Wildcard, null, 0);

        public static Step ForKey(string key) => new(StepKind.Key, key, 0);

        public static Step ForIndex(int index) => new(StepKind.Index, null, index);
    }
}
