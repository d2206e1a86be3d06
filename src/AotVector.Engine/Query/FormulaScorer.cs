using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment.Filters;

namespace AotVector.Engine;

/// <summary>What a formula reads of one point: its id (for its branch scores), its payload and the conditions it meets.</summary>
internal readonly record struct FormulaPoint(PointId Id, Payload? Payload, IReadOnlyList<bool> Conditions);

/// <summary>
/// Evaluates one formula for many points, in doubles, as the reference does: a missing branch score is its default or
/// 0; a payload variable is its value (an array of one value counts as that value), else its default, else an error;
/// a product stops at a zero factor and a quotient at a zero dividend; any non-finite step is an error naming it.
/// </summary>
internal sealed class FormulaScorer(ParsedFormula formula, IReadOnlyList<IReadOnlyDictionary<PointId, float>> branchScores)
{
    private const string NumberType = "number";
    private const string GeoType = "geo point";
    private const string DatetimeType = "datetime";

    /// <summary>Seconds since the Unix epoch, from whole microseconds as the reference keeps datetimes.</summary>
    public static double Seconds(DateTimeOffset instant) =>
        (double)((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10) / 1_000_000.0;

    /// <summary>The point's score: the formula's value as a float, or the first error met.</summary>
    public Result<float> Score(in FormulaPoint point)
    {
        if (!TryEval(formula.Root, point, out var value, out var error))
        {
            return error;
        }

        var single = (float)value;
        return float.IsFinite(single) ? single : NonFinite($"{RustFloat.Format(value)} as f32 = {RustFloat.Format(single)}");
    }

    private bool TryEval(FormulaNode node, in FormulaPoint point, out double value, out AvError error)
    {
        error = default;
        switch (node)
        {
            case FormulaNode.Constant constant:
                value = constant.Value;
                return true;
            case FormulaNode.Score score:
                value = ScoreOf(score.Prefetch, point.Id);
                return true;
            case FormulaNode.PayloadNumber variable:
                return TryNumber(variable.Path, point, out value, out error);
            case FormulaNode.ConditionValue condition:
                value = point.Conditions[condition.Index] ? 1.0 : 0.0;
                return true;
            case FormulaNode.GeoDistance geo:
                if (!TryPayload(geo.To, point, GeoType, out var geoValue, out error))
                {
                    value = 0;
                    return false;
                }

                if (!GeoMath.TryGetPoint(geoValue, out var to))
                {
                    value = 0;
                    error = TypeError(geo.To, GeoType, "Value is not a geo point (an object with numeric `lon` and `lat`)");
                    return false;
                }

                value = GeoMath.HaversineMeters(geo.Origin, to);
                return true;
            case FormulaNode.DatetimeKey key:
                return TryDatetime(key.Path, point, out value, out error);
            case FormulaNode.Sum sum:
                value = 0;
                foreach (var term in sum.Terms)
                {
                    if (!TryEval(term, point, out var t, out error))
                    {
                        return false;
                    }

                    value += t;
                }

                return true;
            case FormulaNode.Mult mult:
                value = 1;
                foreach (var factor in mult.Factors)
                {
                    if (!TryEval(factor, point, out var f, out error))
                    {
                        return false;
                    }

                    // A zero factor decides the product; later factors are not evaluated (nor their errors raised).
                    if (f == 0.0)
                    {
                        value = 0;
                        return true;
                    }

                    value *= f;
                }

                return true;
            case FormulaNode.Div div:
                return TryDiv(div, point, out value, out error);
            case FormulaNode.Pow pow:
            {
                if (!TryEval(pow.Base, point, out var b, out error) || !TryEval(pow.Exponent, point, out var e, out error))
                {
                    value = 0;
                    return false;
                }

                value = Math.Pow(b, e);
                return Finite(value, $"{RustFloat.Format(b)}^{RustFloat.Format(e)} = {RustFloat.Format(value)}", out error);
            }

            case FormulaNode.Unary unary:
                return TryUnary(unary, point, out value, out error);
            case FormulaNode.Decay decay:
                return TryDecay(decay, point, out value, out error);
            default:
                value = 0;
                error = AvError.Internal("unknown formula node");
                return false;
        }
    }

    private bool TryDiv(FormulaNode.Div div, in FormulaPoint point, out double value, out AvError error)
    {
        if (!TryEval(div.Left, point, out var left, out error))
        {
            value = 0;
            return false;
        }

        // A zero dividend gives 0 whatever the divisor, which is then not evaluated.
        if (left == 0.0)
        {
            value = 0;
            return true;
        }

        if (!TryEval(div.Right, point, out var right, out error))
        {
            value = 0;
            return false;
        }

        if (right == 0.0 && div.ByZeroDefault is { } byZero)
        {
            value = byZero;
            return true;
        }

        value = left / right;
        return Finite(value, $"{RustFloat.Format(left)}/{RustFloat.Format(right)} = {RustFloat.Format(value)}", out error);
    }

    private bool TryUnary(FormulaNode.Unary unary, in FormulaPoint point, out double value, out AvError error)
    {
        if (!TryEval(unary.Operand, point, out var x, out error))
        {
            value = 0;
            return false;
        }

        switch (unary.Function)
        {
            case UnaryFunction.Neg:
                value = -x;
                return true;
            case UnaryFunction.Abs:
                value = Math.Abs(x);
                return true;
            case UnaryFunction.Sqrt:
                value = Math.Sqrt(x);
                return Finite(value, $"√{RustFloat.Format(x)} = {RustFloat.Format(value)}", out error);
            case UnaryFunction.Exp:
                value = Math.Exp(x);
                return Finite(value, $"exp({RustFloat.Format(x)}) = {RustFloat.Format(value)}", out error);
            case UnaryFunction.Log10:
                value = Math.Log10(x);
                return Finite(value, $"log10({RustFloat.Format(x)}) = {RustFloat.Format(value)}", out error);
            default:
                value = Math.Log(x);
                return Finite(value, $"ln({RustFloat.Format(x)}) = {RustFloat.Format(value)}", out error);
        }
    }

    // 1 at the target and falling with the distance from it, never below 0.
    private bool TryDecay(FormulaNode.Decay decay, in FormulaPoint point, out double value, out AvError error)
    {
        value = 0;
        if (!TryEval(decay.X, point, out var x, out error))
        {
            return false;
        }

        var target = 0.0;
        if (decay.Target is { } t && !TryEval(t, point, out target, out error))
        {
            return false;
        }

        var diff = x - target;
        value = decay.Kind switch
        {
            DecayKind.Exp => Math.Exp(decay.Lambda * Math.Abs(diff)),
            DecayKind.Gauss => Math.Exp(decay.Lambda * diff * diff),
            DecayKind.Lin => Math.Max(0.0, (-decay.Lambda * Math.Abs(diff)) + 1.0),
        };
        return true;
    }

    private double ScoreOf(int prefetch, PointId id)
    {
        if (prefetch < branchScores.Count && branchScores[prefetch].TryGetValue(id, out var score))
        {
            return score;
        }

        return formula.ScoreDefaults.TryGetValue(prefetch, out var fallback) && fallback.TryGetNumber(out var number) ? number : 0.0;
    }

    private bool TryNumber(JsonPath path, in FormulaPoint point, out double value, out AvError error)
    {
        value = 0;
        if (!TryPayload(path, point, NumberType, out var found, out error))
        {
            return false;
        }

        if (found.TryGetNumber(out value))
        {
            return true;
        }

        error = TypeError(path, NumberType, "Value is not a number");
        return false;
    }

    private bool TryDatetime(JsonPath path, in FormulaPoint point, out double value, out AvError error)
    {
        value = 0;
        if (!TryPayload(path, point, DatetimeType, out var found, out error))
        {
            return false;
        }

        if (found.Kind != PayloadKind.String)
        {
            error = TypeError(path, DatetimeType, "Value is not a string");
            return false;
        }

        if (!PayloadDatetime.TryParse(found.AsString, out var instant))
        {
            error = TypeError(path, DatetimeType, "input is not a datetime the payload accepts");
            return false;
        }

        value = Seconds(instant);
        return true;
    }

    // The value at the path (several values read as one array, which no type accepts), else the default.
    private bool TryPayload(JsonPath path, in FormulaPoint point, string expected, out PayloadValue value, out AvError error)
    {
        error = default;
        var values = point.Payload is { } payload ? path.Evaluate(payload) : [];
        if (!path.Text.EndsWith("[]", StringComparison.Ordinal))
        {
            values = Flatten(values);
        }

        switch (values.Count)
        {
            case 1:
                value = values[0];
                return true;
            case > 1:
                value = PayloadValue.FromArray(values);
                return true;
        }

        if (formula.PayloadDefaults.TryGetValue(path.Text, out var fallback))
        {
            value = fallback;
            return true;
        }

        value = PayloadValue.Null;
        error = TypeError(path, expected, "No value found in a payload nor defaults");
        return false;
    }

    // An array at the path counts as its elements, as payload indexes read it.
    private static List<PayloadValue> Flatten(List<PayloadValue> values)
    {
        if (!values.Exists(v => v.Kind == PayloadKind.Array))
        {
            return values;
        }

        var flat = new List<PayloadValue>();
        foreach (var v in values)
        {
            if (v.Kind == PayloadKind.Array)
            {
                flat.AddRange(v.AsArray);
            }
            else
            {
                flat.Add(v);
            }
        }

        return flat;
    }

    private static bool Finite(double value, string expression, out AvError error)
    {
        error = double.IsFinite(value) ? default : NonFinite(expression);
        return double.IsFinite(value);
    }

    private static AvError NonFinite(string expression) =>
        AvError.BadRequest($"The expression {expression} produced a non-finite number");

    private static AvError TypeError(JsonPath path, string expected, string description) =>
        AvError.BadRequest($"Expected {expected} value for {path.Text} in the payload and/or in the formula defaults. Error: {description}");
}
