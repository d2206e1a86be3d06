using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>
/// Mutates a valid JSON request: values swapped for other types or boundary numbers, members removed or added,
/// arrays resized, values nested deeply; then sometimes the bytes themselves (truncated, invalid UTF-8, garbage).
/// </summary>
internal sealed class JsonMutator(Random rng)
{
    private const int MaxTreeDepth = 400;

    private static readonly JsonDocumentOptions s_deep = new() { MaxDepth = MaxTreeDepth + 64 };
    private static readonly JsonSerializerOptions s_write = new() { MaxDepth = MaxTreeDepth + 64 };

    private static readonly string[] s_numbers =
    [
        "0", "-0", "1", "-1", "0.5", "-0.5", "2", "1e308", "-1e308", "1e309", "-1e309", "1e-400", "5e-324", "4294967295", "4294967296",
        "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "9007199254740993",
        "123456789012345678901234567890", "2147483648", "-2147483649", "65536", "100000000", "1.0", "1E2", "0.0000001",
    ];

    private static readonly string[] s_strings =
    [
        "\"\"", "\"a\"", "\"fuzz\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\ud83d\ude00\"", "\"../..\"", "\"NaN\"",
        "\"Infinity\"", "\"-1\"", "\"1e999\"", "\"00000000-0000-0000-0000-000000000000\"", "\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"",
        "\"5c56c79369f34fbf87e6c4bf54c28c26\"", "\"not-a-uuid\"", "\"2024-01-01T00:00:00Z\"", "\"2024-02-30\"", "\"9999-12-31T23:59:59.999999999+14:00\"",
        "\"Dot\"", "\"Cosine\"", "\"keyword\"", "\"integer\"", "\"geo\"", "\"text\"", "\"desc\"", "\"rrf\"", "\"city\"", "\"a.b[].c\"", "\"[]\"",
    ];

    private static readonly string[] s_others =
    [
        "null", "true", "false", "[]", "{}", "[null]", "[[]]", "{\"\":null}", "[1,2,3]", "[0.1,0.2,0.3,0.4]", "{\"a\":1}", "[\"a\",1,null,{}]",
        "{\"lat\":91,\"lon\":181}", "{\"must\":[]}", "{\"key\":\"n\"}", "[[0.1,0.2,0.3,0.4]]", "{\"indices\":[1,2],\"values\":[0.5]}",
    ];

    private static readonly string[] s_keys =
    [
        "limit", "offset", "filter", "vector", "vectors", "id", "ids", "points", "payload", "with_payload", "with_vector", "query",
        "using", "params", "must", "key", "match", "range", "size", "distance", "score_threshold", "prefetch", "batch", "zzz", "", "\u0000",
    ];

    private static readonly byte[][] s_badUtf8 =
    [
        [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3, 0x28], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80],
    ];

    public byte[] Mutate(string json)
    {
        var root = JsonNode.Parse(json, documentOptions: s_deep)!;
        var operations = 1 + rng.Next(3);
        for (var i = 0; i < operations; i++)
        {
            root = MutateTree(root);
        }

        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString(s_write));
        return rng.Next(6) == 0 ? MutateBytes(bytes) : bytes;
    }

    /// <summary>Bodies that are not the request at all: deep nesting past any limit, binary, huge arrays.</summary>
    public byte[] Garbage() => rng.Next(7) switch
    {
        0 => Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000)),
        1 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000)),
        2 => RandomBytes(rng.Next(1, 200)),
        3 => Encoding.ASCII.GetBytes("{\"points\":[" + string.Join(',', Enumerable.Range(0, 20_000)) + "]}"),
        4 => Encoding.ASCII.GetBytes("{\"limit\":1,\"limit\":2,\"limit\":\"x\"}"),
        5 => [0xef, 0xbb, 0xbf, (byte)'{', (byte)'}'],
        _ => Encoding.ASCII.GetBytes(" "),
    };

    private JsonNode MutateTree(JsonNode root)
    {
        var nodes = new List<(JsonNode? Node, JsonNode? Parent, string? Key, int Index)>();
        Collect(root, null, null, -1, nodes, 0);
        var (node, parent, key, index) = nodes[rng.Next(nodes.Count)];
        switch (rng.Next(9))
        {
            case 0 or 1 or 2:
                return Replace(root, parent, key, index, Weird(node));
            case 3:
                // Remove a member or an element.
                if (parent is JsonObject removeFrom && key is not null)
                {
                    removeFrom.Remove(key);
                }
                else if (parent is JsonArray removeAt && index >= 0)
                {
                    removeAt.RemoveAt(index);
                }

                return root;
            case 4:
                if (node is JsonObject addTo)
                {
                    addTo[s_keys[rng.Next(s_keys.Length)] + (rng.Next(4) == 0 ? "_x" : "")] = Weird(null);
                }

                return root;
            case 5:
                return Replace(root, parent, key, index, Nest(node));
            case 6 when node is JsonArray array && array.Count > 0:
                // Many copies of one element (ids, points, conditions, vector components).
                // Bounded so that bodies stay well under the server's request size limit.
                var first = array[0];
                var copies = rng.Next(3) == 0 && (first?.ToJsonString(s_write).Length ?? 4) < 200 ? 2000 : 20;
                for (var i = 0; i < copies; i++)
                {
                    array.Add(first?.DeepClone());
                }

                return root;
            case 7 when node is JsonArray:
                return Replace(root, parent, key, index, Numbers(Pick([0, 1, 3, 5, 1000, 70_000])));
            default:
                return Replace(root, parent, key, index, Weird(null));
        }
    }

    private static JsonNode Replace(JsonNode root, JsonNode? parent, string? key, int index, JsonNode? value)
    {
        if (parent is JsonObject obj && key is not null)
        {
            obj[key] = value;
            return root;
        }

        if (parent is JsonArray array && index >= 0)
        {
            array[index] = value;
            return root;
        }

        return value ?? JsonValue.Create(0);
    }

    /// <summary>A value of another kind, or a boundary of the same kind.</summary>
    private JsonNode? Weird(JsonNode? like)
    {
        var pool = rng.Next(3) == 0 || like is null
            ? Pick([s_numbers, s_strings, s_others])
            : like.GetValueKind() switch
            {
                JsonValueKind.Number => s_numbers,
                JsonValueKind.String => s_strings,
                _ => s_others,
            };
        var text = pool[rng.Next(pool.Length)];
        if (rng.Next(40) == 0)
        {
            text = "\"" + new string('x', 70_000) + "\"";
        }

        return JsonNode.Parse(text, documentOptions: s_deep);
    }

    private JsonNode Nest(JsonNode? inner)
    {
        var depth = Pick([2, 3, 10, 64, 127, 129, 300]);
        var node = inner?.DeepClone() ?? JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = rng.Next(2) == 0 ? new JsonArray(node) : new JsonObject { [Pick(["must", "a", "filter", "should"])] = node };
        }

        return node;
    }

    private JsonArray Numbers(int count)
    {
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(JsonValue.Create(Math.Round((rng.NextDouble() * 2) - 1, 3)));
        }

        return array;
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        var at = bytes.Length == 0 ? 0 : rng.Next(bytes.Length);
        switch (rng.Next(5))
        {
            case 0:
                return bytes[..at];
            case 1:
                // Invalid UTF-8 or an escaped lone surrogate, inside a string when there is one after the cut.
                var quote = Array.IndexOf(bytes, (byte)'"', at);
                var insertAt = quote >= 0 ? quote + 1 : at;
                var text = rng.Next(3) == 0 ? Encoding.ASCII.GetBytes(Pick(["\\ud800", "\\udc00", "\\udbff\\u0041"])) : s_badUtf8[rng.Next(s_badUtf8.Length)];
                return [.. bytes[..insertAt], .. text, .. bytes[insertAt..]];
            case 2:
                var copy = (byte[])bytes.Clone();
                if (copy.Length > 0)
                {
                    copy[at] = (byte)rng.Next(256);
                }

                return copy;
            case 3:
                return [0xef, 0xbb, 0xbf, .. bytes];
            default:
                return [.. bytes, .. Encoding.ASCII.GetBytes(Pick(["}", "]", ",", " x", "\u0000", "{}", "\""]))];
        }
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index, List<(JsonNode?, JsonNode?, string?, int)> nodes, int depth)
    {
        nodes.Add((node, parent, key, index));
        if (depth > MaxTreeDepth)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    Collect(child, obj, name, -1, nodes, depth + 1);
                }

                break;
            case JsonArray array:
                // Long arrays (vectors, repeated ids) contribute a few elements, not all of them.
                for (var i = 0; i < array.Count && i < 8; i++)
                {
                    Collect(array[i], array, null, i, nodes, depth + 1);
                }

                break;
        }
    }

    private T Pick<T>(T[] values) => values[rng.Next(values.Length)];

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
