using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Formula queries and MMR from the wire. The engine checks what both wires share (variables, decay params, MMR
/// bounds); here only the wire's own gaps are refused: an expression, operand or origin left unset.
/// </summary>
internal static class FormulaMapping
{
    public static Result<QueryInput> ToEngine(Wire.Formula formula)
    {
        if (formula.Expression is null)
        {
            return Unset("formula.expression");
        }

        if (!ToEngine(formula.Expression, "formula.expression").TryGet(out var root, out var error))
        {
            return error;
        }

        var defaults = new Dictionary<string, PayloadValue>(StringComparer.Ordinal);
        foreach (var (key, value) in formula.Defaults)
        {
            defaults[key] = PayloadMapping.ToEngine(value);
        }

        return new FormulaQuery(root, defaults);
    }

    public static Result<QueryInput> ToEngine(Wire.NearestInputWithMmr input)
    {
        if (input.Nearest is null)
        {
            return Unset("nearest_with_mmr.nearest");
        }

        if (!VectorMapping.ToEngine(input.Nearest).TryGet(out var target, out var error))
        {
            return error;
        }

        var mmr = input.Mmr is { } m
            ? new MmrParams(m.HasDiversity ? m.Diversity : null, m.HasCandidatesLimit ? m.CandidatesLimit : null)
            : new MmrParams();
        return new NearestQuery(target, mmr);
    }

    private static Result<FormulaExpression> ToEngine(Wire.Expression? expression, string path)
    {
        if (expression is null)
        {
            return Unset(path);
        }

        switch (expression.VariantCase)
        {
            case Wire.Expression.VariantOneofCase.Constant:
                return new ConstantExpression(expression.Constant);
            case Wire.Expression.VariantOneofCase.Variable:
                return new VariableExpression(expression.Variable);
            case Wire.Expression.VariantOneofCase.Condition:
                return FilterMapping.ToEngine(expression.Condition).TryGet(out var condition, out var error)
                    ? new ConditionExpression(condition)
                    : error;
            case Wire.Expression.VariantOneofCase.GeoDistance:
            {
                var geo = expression.GeoDistance;
                if (geo.Origin is null)
                {
                    return Unset(path + ".geo_distance.origin");
                }

                if (!JsonPath.TryParse(geo.To, out _, out var problem))
                {
                    return AvError.BadRequest(path + ".geo_distance.to: " + problem);
                }

                return new GeoDistanceExpression(new GeoPoint(geo.Origin.Lon, geo.Origin.Lat), geo.To);
            }

            case Wire.Expression.VariantOneofCase.Datetime:
                return new DatetimeExpression(expression.Datetime);
            case Wire.Expression.VariantOneofCase.DatetimeKey:
                return JsonPath.TryParse(expression.DatetimeKey, out _, out var keyProblem)
                    ? new DatetimeKeyExpression(expression.DatetimeKey)
                    : AvError.BadRequest(path + ".datetime_key: " + keyProblem);
            case Wire.Expression.VariantOneofCase.Mult:
                return List(expression.Mult.Mult, path + ".mult").TryGet(out var factors, out error) ? new MultExpression(factors) : error;
            case Wire.Expression.VariantOneofCase.Sum:
                return List(expression.Sum.Sum, path + ".sum").TryGet(out var terms, out error) ? new SumExpression(terms) : error;
            case Wire.Expression.VariantOneofCase.Div:
            {
                var div = expression.Div;
                if (!ToEngine(div.Left, path + ".div.left").TryGet(out var left, out error)
                    || !ToEngine(div.Right, path + ".div.right").TryGet(out var right, out error))
                {
                    return error;
                }

                return new DivExpression(left, right, div.HasByZeroDefault ? div.ByZeroDefault : null);
            }

            case Wire.Expression.VariantOneofCase.Pow:
            {
                var pow = expression.Pow;
                if (!ToEngine(pow.Base, path + ".pow.base").TryGet(out var b, out error)
                    || !ToEngine(pow.Exponent, path + ".pow.exponent").TryGet(out var exponent, out error))
                {
                    return error;
                }

                return new PowExpression(b, exponent);
            }

            case Wire.Expression.VariantOneofCase.Neg:
                return Unary(UnaryFunction.Neg, expression.Neg, path + ".neg");
            case Wire.Expression.VariantOneofCase.Abs:
                return Unary(UnaryFunction.Abs, expression.Abs, path + ".abs");
            case Wire.Expression.VariantOneofCase.Sqrt:
                return Unary(UnaryFunction.Sqrt, expression.Sqrt, path + ".sqrt");
            case Wire.Expression.VariantOneofCase.Exp:
                return Unary(UnaryFunction.Exp, expression.Exp, path + ".exp");
            case Wire.Expression.VariantOneofCase.Log10:
                return Unary(UnaryFunction.Log10, expression.Log10, path + ".log10");
            case Wire.Expression.VariantOneofCase.Ln:
                return Unary(UnaryFunction.Ln, expression.Ln, path + ".ln");
            case Wire.Expression.VariantOneofCase.ExpDecay:
                return Decay(DecayKind.Exp, expression.ExpDecay, path + ".exp_decay");
            case Wire.Expression.VariantOneofCase.GaussDecay:
                return Decay(DecayKind.Gauss, expression.GaussDecay, path + ".gauss_decay");
            case Wire.Expression.VariantOneofCase.LinDecay:
                return Decay(DecayKind.Lin, expression.LinDecay, path + ".lin_decay");
            default:
                return Unset(path);
        }
    }

    private static Result<FormulaExpression> Unary(UnaryFunction function, Wire.Expression operand, string path) =>
        ToEngine(operand, path).TryGet(out var inner, out var error) ? new UnaryExpression(function, inner) : error;

    private static Result<FormulaExpression> Decay(DecayKind kind, Wire.DecayParamsExpression decay, string path)
    {
        if (!ToEngine(decay.X, path + ".x").TryGet(out var x, out var error))
        {
            return error;
        }

        FormulaExpression? target = null;
        if (decay.Target is { } t && !ToEngine(t, path + ".target").TryGet(out target, out error))
        {
            return error;
        }

        return new DecayExpression(kind, x, target, decay.HasScale ? decay.Scale : null, decay.HasMidpoint ? decay.Midpoint : null);
    }

    private static Result<IReadOnlyList<FormulaExpression>> List(Google.Protobuf.Collections.RepeatedField<Wire.Expression> items, string path)
    {
        var list = new List<FormulaExpression>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (!ToEngine(items[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]").TryGet(out var item, out var error))
            {
                return error;
            }

            list.Add(item);
        }

        return list;
    }

    private static AvError Unset(string path) => AvError.BadRequest(path + ": an expression is required but none is set");
}
