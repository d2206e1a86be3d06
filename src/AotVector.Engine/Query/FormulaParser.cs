using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment.Filters;

namespace AotVector.Engine;

/// <summary>
/// Checks a <see cref="FormulaQuery"/> and resolves it for evaluation, with the reference's rules and words: variables
/// are <c>$score</c>, <c>$score[i]</c> or payload paths; a decay's midpoint and scale are checked and folded into one
/// lambda; datetime constants are parsed once. Every refusal is a 400 "Wrong input: Validation failed: …".
/// </summary>
internal static class FormulaParser
{
    private const string ScoreKeyword = "score";
    private const double DefaultMidpoint = 0.5;
    private const double DefaultScale = 1.0;

    public static Result<ParsedFormula> Parse(FormulaQuery query)
    {
        var conditions = new List<Condition>();
        var readsPayload = false;
        if (!Node(query.Formula, conditions, ref readsPayload).TryGet(out var root, out var error))
        {
            return error;
        }

        var scoreDefaults = new Dictionary<int, PayloadValue>();
        var payloadDefaults = new Dictionary<string, PayloadValue>(StringComparer.Ordinal);
        foreach (var (key, value) in query.Defaults)
        {
            if (!Variable(key).TryGet(out var variable, out error))
            {
                return error;
            }

            if (variable is FormulaNode.Score score)
            {
                if (!value.TryGetNumber(out _))
                {
                    return AvError.Validation("[defaults: Score default must be a number]");
                }

                scoreDefaults[score.Prefetch] = value;
            }
            else
            {
                payloadDefaults[((FormulaNode.PayloadNumber)variable).Path.Text] = value;
            }
        }

        return new ParsedFormula(root, conditions, scoreDefaults, payloadDefaults, readsPayload);
    }

    /// <summary>
    /// <c>$score</c> (the first branch's score), <c>$score[i]</c>, or a payload path. Another <c>$</c> word is refused,
    /// as is <c>$score</c> followed by anything but one index.
    /// </summary>
    internal static Result<FormulaNode> Variable(string text)
    {
        if (text.StartsWith('$'))
        {
            var word = text[1..];
            if (word == ScoreKeyword)
            {
                return new FormulaNode.Score(0);
            }

            if (!JsonPath.TryParse(word, out var reserved, out _))
            {
                return VariableError(text, "Invalid reserved variable: " + text);
            }

            if (reserved.Head != ScoreKeyword)
            {
                return VariableError(text, "Invalid reserved word: " + text);
            }

            var rest = word[ScoreKeyword.Length..];
            if (rest.Length > 2 && rest[0] == '[' && rest[^1] == ']'
                && int.TryParse(rest.AsSpan(1, rest.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return new FormulaNode.Score(index);
            }

            return VariableError(text, "Invalid reserved variable: " + text);
        }

        return JsonPath.TryParse(text, out var path, out _)
            ? new FormulaNode.PayloadNumber(path)
            : VariableError(text, "Invalid payload variable: " + text);
    }

    /// <summary>
    /// The lambda of a decay from its midpoint and scale, as the reference folds them: the value is the midpoint at a
    /// distance of one scale from the target.
    /// </summary>
    internal static Result<double> Lambda(DecayKind kind, float? midpointGiven, float? scaleGiven)
    {
        var midpoint = midpointGiven is { } m ? (double)m : DefaultMidpoint;
        var scale = scaleGiven is { } s ? (double)s : DefaultScale;
        if (kind == DecayKind.Lin)
        {
            if (!(midpoint is >= 0.0 and <= 1.0))
            {
                return Failed($"Linear decay midpoint should be in the range [0.0, 1.0], got {RustFloat.Format(midpoint)}.");
            }
        }
        else if (!(midpoint > 0.0 && midpoint < 1.0))
        {
            return Failed($"Decay midpoint should be in the range (0.0, 1.0), got {RustFloat.Format(midpoint)}.");
        }

        if (!(scale > 0.0))
        {
            return Failed($"Decay scale should be non-zero positive, got {RustFloat.Format(scale)}.");
        }

        return kind switch
        {
            DecayKind.Lin => (1.0 - midpoint) / scale,
            DecayKind.Exp => Math.Log(midpoint) / scale,
            DecayKind.Gauss => Math.Log(midpoint) / (scale * scale),
        };
    }

    private static Result<FormulaNode> Node(FormulaExpression expression, List<Condition> conditions, ref bool readsPayload)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return new FormulaNode.Constant(constant.Value);
            case VariableExpression variable:
            {
                var parsed = Variable(variable.Name);
                readsPayload |= parsed.TryGet(out var node, out _) && node is FormulaNode.PayloadNumber;
                return parsed;
            }

            case ConditionExpression condition:
                conditions.Add(condition.Condition);
                return new FormulaNode.ConditionValue(conditions.Count - 1);
            case GeoDistanceExpression geo:
                if (!JsonPath.TryParse(geo.To, out var to, out var pathError))
                {
                    return Failed("failed to parse geo_distance key " + geo.To + ": " + pathError);
                }

                readsPayload = true;
                return new FormulaNode.GeoDistance(geo.Origin, to);
            case DatetimeExpression datetime:
                return PayloadDatetime.TryParse(datetime.Value, out var instant)
                    ? new FormulaNode.Constant(FormulaScorer.Seconds(instant))
                    : Failed($"failed to parse date-time {datetime.Value}: input is not a datetime the payload accepts");
            case DatetimeKeyExpression key:
                if (!JsonPath.TryParse(key.Key, out var keyPath, out var keyError))
                {
                    return Failed("failed to parse datetime_key " + key.Key + ": " + keyError);
                }

                readsPayload = true;
                return new FormulaNode.DatetimeKey(keyPath);
            case SumExpression sum:
            {
                if (!Nodes(sum.Terms, conditions, ref readsPayload).TryGet(out var terms, out var error))
                {
                    return error;
                }

                return new FormulaNode.Sum(terms);
            }

            case MultExpression mult:
            {
                if (!Nodes(mult.Factors, conditions, ref readsPayload).TryGet(out var factors, out var error))
                {
                    return error;
                }

                return new FormulaNode.Mult(factors);
            }

            case DivExpression div:
            {
                if (!Node(div.Left, conditions, ref readsPayload).TryGet(out var left, out var error)
                    || !Node(div.Right, conditions, ref readsPayload).TryGet(out var right, out error))
                {
                    return error;
                }

                return new FormulaNode.Div(left, right, div.ByZeroDefault is { } d ? d : null);
            }

            case PowExpression pow:
            {
                if (!Node(pow.Base, conditions, ref readsPayload).TryGet(out var b, out var error)
                    || !Node(pow.Exponent, conditions, ref readsPayload).TryGet(out var e, out error))
                {
                    return error;
                }

                return new FormulaNode.Pow(b, e);
            }

            case UnaryExpression unary:
            {
                if (!Node(unary.Operand, conditions, ref readsPayload).TryGet(out var operand, out var error))
                {
                    return error;
                }

                return new FormulaNode.Unary(unary.Function, operand);
            }

            case DecayExpression decay:
            {
                if (!Lambda(decay.Kind, decay.Midpoint, decay.Scale).TryGet(out var lambda, out var error)
                    || !Node(decay.X, conditions, ref readsPayload).TryGet(out var x, out error))
                {
                    return error;
                }

                FormulaNode? target = null;
                if (decay.Target is { } t && !Node(t, conditions, ref readsPayload).TryGet(out target, out error))
                {
                    return error;
                }

                return new FormulaNode.Decay(decay.Kind, x, target, lambda);
            }

            default:
                return Failed("unknown formula expression");
        }
    }

    private static Result<FormulaNode[]> Nodes(IReadOnlyList<FormulaExpression> expressions, List<Condition> conditions, ref bool readsPayload)
    {
        var nodes = new FormulaNode[expressions.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!Node(expressions[i], conditions, ref readsPayload).TryGet(out var node, out var error))
            {
                return error;
            }

            nodes[i] = node;
        }

        return nodes;
    }

    private static AvError VariableError(string text, string message) => Failed($"failed to parse variable ID {text}: {message}");

    private static AvError Failed(string description) => AvError.BadRequest("Validation failed: " + description);
}
