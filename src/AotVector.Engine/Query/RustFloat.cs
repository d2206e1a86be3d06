using System.Globalization;

namespace AotVector.Engine;

/// <summary>Numbers in messages written as the reference's Rust prints an f64: "inf", "-inf", "NaN", "1" for 1.0.</summary>
internal static class RustFloat
{
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
