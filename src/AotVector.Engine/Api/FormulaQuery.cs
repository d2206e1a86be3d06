using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// Score boosting: each point found by the branches gets the value of <see cref="Formula"/>, computed from its scores
/// in the branches (<c>$score</c>, <c>$score[i]</c>), its payload and filter conditions. <see cref="Defaults"/> stand in
/// for a variable a point has no value for (keyed as the variable is written: <c>"price"</c>, <c>"$score[1]"</c>).
/// Needs prefetch branches; larger results rank first.
/// </summary>
public sealed record FormulaQuery(FormulaExpression Formula, IReadOnlyDictionary<string, PayloadValue> Defaults) : QueryInput;

/// <summary>One node of a formula, as the request wrote it (checked and resolved when the query runs).</summary>
public abstract record FormulaExpression;

/// <summary>A number; a single-precision value on both wires, as the reference reads it.</summary>
public sealed record ConstantExpression(float Value) : FormulaExpression;

/// <summary><c>$score</c>, <c>$score[i]</c> or a payload key path.</summary>
public sealed record VariableExpression(string Name) : FormulaExpression;

/// <summary>A filter condition: 1 for a point that meets it, 0 otherwise.</summary>
public sealed record ConditionExpression(Condition Condition) : FormulaExpression;

/// <summary>The haversine distance in meters from <see cref="Origin"/> to the geo point at payload key <see cref="To"/>.</summary>
public sealed record GeoDistanceExpression(GeoPoint Origin, string To) : FormulaExpression;

/// <summary>A datetime constant, as seconds since the Unix epoch.</summary>
public sealed record DatetimeExpression(string Value) : FormulaExpression;

/// <summary>The datetime at payload key <see cref="Key"/>, as seconds since the Unix epoch.</summary>
public sealed record DatetimeKeyExpression(string Key) : FormulaExpression;

public sealed record SumExpression(IReadOnlyList<FormulaExpression> Terms) : FormulaExpression;

public sealed record MultExpression(IReadOnlyList<FormulaExpression> Factors) : FormulaExpression;

/// <summary><see cref="Left"/> / <see cref="Right"/>; a zero divisor gives <see cref="ByZeroDefault"/> when set, else an error.</summary>
public sealed record DivExpression(FormulaExpression Left, FormulaExpression Right, float? ByZeroDefault) : FormulaExpression;

public sealed record PowExpression(FormulaExpression Base, FormulaExpression Exponent) : FormulaExpression;

public enum UnaryFunction : byte
{
    Neg,
    Abs,
    Sqrt,
    Exp,
    Log10,
    Ln,
}

public sealed record UnaryExpression(UnaryFunction Function, FormulaExpression Operand) : FormulaExpression;

public enum DecayKind : byte
{
    Lin,
    Exp,
    Gauss,
}

/// <summary>
/// A decay of <see cref="X"/> around <see cref="Target"/> (default 0): 1 at the target, <see cref="Midpoint"/>
/// (default 0.5) at a distance of <see cref="Scale"/> (default 1) from it.
/// </summary>
public sealed record DecayExpression(DecayKind Kind, FormulaExpression X, FormulaExpression? Target, float? Scale, float? Midpoint) : FormulaExpression;
