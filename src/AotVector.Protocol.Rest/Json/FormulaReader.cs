using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The expression language of <c>{"formula": …, "defaults": {…}}</c> queries, read as the reference's untagged
/// enum reads it: a number is a constant, a string a variable, an object one operator by its key (<c>sum</c>,
/// <c>mult</c>, <c>div</c>, <c>lin_decay</c>…) or else a filter condition.
/// </summary>
internal static class FormulaReader
{
    private const string Expected =
        "a number, a variable, a condition or one of `sum`, `mult`, `div`, `neg`, `abs`, `sqrt`, `pow`, `exp`, `log10`, `ln`, `geo_distance`, `datetime`, `datetime_key`, `lin_decay`, `exp_decay`, `gauss_decay`";

    public static Dictionary<string, PayloadValue> ReadDefaults(JsonElement e, string path)
    {
        var defaults = new Dictionary<string, PayloadValue>(StringComparer.Ordinal);
        if (JsonRead.IsAbsent(e))
        {
            return defaults;
        }

        JsonRead.Object(e, path);
        foreach (var p in e.EnumerateObject())
        {
            defaults[p.Name] = PayloadJson.ReadValue(p.Value);
        }

        return defaults;
    }

    public static FormulaExpression Read(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return new ConstantExpression(JsonRead.Single(e, path));
            case JsonValueKind.String:
                return new VariableExpression(e.GetString()!);
            case JsonValueKind.Object:
                break;
            default:
                JsonRead.InvalidType(e, path, Expected);
                return null!;
        }

        var count = 0;
        JsonProperty only = default;
        foreach (var p in e.EnumerateObject())
        {
            only = p;
            count++;
        }

        if (count == 1 && Operator(only, BodyPath.Field(path, only.Name)) is { } expression)
        {
            return expression;
        }

        return new ConditionExpression(FilterReader.ReadCondition(e, path));
    }

    // The operator an object of one key names, or null when the key is no operator (then it is a condition).
    private static FormulaExpression? Operator(JsonProperty p, string at) => p.Name switch
    {
        "sum" => new SumExpression(List(p.Value, at)),
        "mult" => new MultExpression(List(p.Value, at)),
        "neg" => new UnaryExpression(UnaryFunction.Neg, Read(p.Value, at)),
        "abs" => new UnaryExpression(UnaryFunction.Abs, Read(p.Value, at)),
        "sqrt" => new UnaryExpression(UnaryFunction.Sqrt, Read(p.Value, at)),
        "exp" => new UnaryExpression(UnaryFunction.Exp, Read(p.Value, at)),
        "log10" => new UnaryExpression(UnaryFunction.Log10, Read(p.Value, at)),
        "ln" => new UnaryExpression(UnaryFunction.Ln, Read(p.Value, at)),
        "div" => Div(p.Value, at),
        "pow" => Pow(p.Value, at),
        "geo_distance" => GeoDistance(p.Value, at),
        "datetime" => new DatetimeExpression(JsonRead.String(p.Value, at)),
        "datetime_key" => new DatetimeKeyExpression(JsonRead.KeyPath(p.Value, at)),
        "lin_decay" => Decay(DecayKind.Lin, p.Value, at),
        "exp_decay" => Decay(DecayKind.Exp, p.Value, at),
        "gauss_decay" => Decay(DecayKind.Gauss, p.Value, at),
        _ => null,
    };

    private static List<FormulaExpression> List(JsonElement e, string path)
    {
        JsonRead.Array(e, path, "a list of expressions");
        var list = new List<FormulaExpression>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(Read(item, BodyPath.Index(path, i++)));
        }

        return list;
    }

    private static DivExpression Div(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "an object with `left` and `right`");
        FormulaExpression? left = null, right = null;
        float? byZero = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "left":
                    left = Read(p.Value, at);
                    break;
                case "right":
                    right = Read(p.Value, at);
                    break;
                case "by_zero_default":
                    byZero = JsonRead.OptionalSingle(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `left`, `right`, `by_zero_default`");
                    break;
            }
        }

        return new DivExpression(left ?? Missing(path, "left"), right ?? Missing(path, "right"), byZero);
    }

    private static PowExpression Pow(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "an object with `base` and `exponent`");
        FormulaExpression? b = null, exponent = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "base":
                    b = Read(p.Value, at);
                    break;
                case "exponent":
                    exponent = Read(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `base`, `exponent`");
                    break;
            }
        }

        return new PowExpression(b ?? Missing(path, "base"), exponent ?? Missing(path, "exponent"));
    }

    private static GeoDistanceExpression GeoDistance(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "an object with `origin` and `to`");
        GeoPoint? origin = null;
        string? to = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "origin":
                    origin = GeoReader.ReadPoint(p.Value, at);
                    break;
                case "to":
                    to = JsonRead.KeyPath(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `origin`, `to`");
                    break;
            }
        }

        if (origin is null)
        {
            JsonRead.Missing(path, "origin");
        }

        return new GeoDistanceExpression(origin.Value, to ?? Missing<string>(path, "to"));
    }

    private static DecayExpression Decay(DecayKind kind, JsonElement e, string path)
    {
        JsonRead.Object(e, path, "an object with `x`");
        FormulaExpression? x = null, target = null;
        float? scale = null, midpoint = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "x":
                    x = Read(p.Value, at);
                    break;
                case "target":
                    target = JsonRead.IsAbsent(p.Value) ? null : Read(p.Value, at);
                    break;
                case "scale":
                    scale = JsonRead.OptionalSingle(p.Value, at);
                    break;
                case "midpoint":
                    midpoint = JsonRead.OptionalSingle(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `x`, `target`, `scale`, `midpoint`");
                    break;
            }
        }

        return new DecayExpression(kind, x ?? Missing(path, "x"), target, scale, midpoint);
    }

    private static FormulaExpression Missing(string path, string field) => Missing<FormulaExpression>(path, field);

    private static T Missing<T>(string path, string field)
    {
        JsonRead.Missing(path, field);
        return default!;
    }
}
