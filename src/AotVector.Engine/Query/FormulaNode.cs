using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine;

/// <summary>
/// A formula checked and resolved for evaluation (<see cref="FormulaParser"/>): variables are prefetch indexes or
/// parsed payload paths, conditions are indexes into <see cref="ParsedFormula.Conditions"/>, datetime constants are
/// seconds and each decay's shape is folded into one lambda. Values are doubles, as the reference computes them.
/// </summary>
internal abstract record FormulaNode
{
    public sealed record Constant(double Value) : FormulaNode;

    public sealed record Score(int Prefetch) : FormulaNode;

    public sealed record PayloadNumber(JsonPath Path) : FormulaNode;

    public sealed record ConditionValue(int Index) : FormulaNode;

    public sealed record GeoDistance(GeoPoint Origin, JsonPath To) : FormulaNode;

    public sealed record DatetimeKey(JsonPath Path) : FormulaNode;

    public sealed record Sum(FormulaNode[] Terms) : FormulaNode;

    public sealed record Mult(FormulaNode[] Factors) : FormulaNode;

    public sealed record Div(FormulaNode Left, FormulaNode Right, double? ByZeroDefault) : FormulaNode;

    public sealed record Pow(FormulaNode Base, FormulaNode Exponent) : FormulaNode;

    public sealed record Unary(UnaryFunction Function, FormulaNode Operand) : FormulaNode;

    public sealed record Decay(DecayKind Kind, FormulaNode X, FormulaNode? Target, double Lambda) : FormulaNode;
}

/// <summary>A resolved formula: its root, the conditions it tests and the defaults of its variables.</summary>
internal sealed record ParsedFormula(
    FormulaNode Root,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyDictionary<int, PayloadValue> ScoreDefaults,
    IReadOnlyDictionary<string, PayloadValue> PayloadDefaults,
    bool ReadsPayload);
