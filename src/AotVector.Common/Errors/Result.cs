using System.Diagnostics.CodeAnalysis;

namespace AotVector.Common.Errors;

/// <summary>Either a value or an <see cref="AvError"/>. Expected failures travel as this, not as exceptions.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;
    private readonly AvError _error;

    private Result(T value)
    {
        _value = value;
        _error = default;
        IsOk = true;
    }

    private Result(AvError error)
    {
        _value = default;
        _error = error;
        IsOk = false;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsOk { get; }

    public T? Value => _value;

    public AvError Error => IsOk ? throw new InvalidOperationException("Result holds a value, not an error.") : _error;

    public static Result<T> Ok(T value) => new(value);

    public static Result<T> Fail(AvError error) => new(error);

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(AvError error) => new(error);

    public bool TryGet([MaybeNullWhen(false)] out T value, out AvError error)
    {
        value = _value;
        error = _error;
        return IsOk;
    }

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsOk ? Result<TOut>.Ok(map(_value!)) : Result<TOut>.Fail(_error);
}
