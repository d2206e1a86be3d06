using System.Globalization;
using System.Text;

namespace AotVector.Server.Hosting;

/// <summary>
/// Writes the Prometheus text exposition format (0.0.4): a family's HELP and TYPE lines, then its samples. A family
/// with no samples is left out entirely, as the reference leaves it out.
/// </summary>
internal sealed class PrometheusText(StringBuilder sb)
{
    public StringBuilder Builder => sb;

    /// <summary>A family of unlabelled or labelled samples of one type ("gauge" or "counter").</summary>
    public void Family(string name, string help, string type, IReadOnlyList<(double Value, (string Name, string Value)[] Labels)> samples)
    {
        if (samples.Count == 0)
        {
            return;
        }

        Header(name, help, type);
        foreach (var (value, labels) in samples)
        {
            Sample(name, labels, value);
        }
    }

    public void Single(string name, string help, string type, double value) => Family(name, help, type, [(value, [])]);

    /// <summary>A histogram family: per label set, cumulative buckets with their upper bounds, then +Inf, sum and count.</summary>
    public void Histogram(string name, string help, IReadOnlyList<((string Name, string Value)[] Labels, double[] Bounds, long[] Cumulative, double Sum, long Count)> series)
    {
        if (series.Count == 0)
        {
            return;
        }

        Header(name, help, "histogram");
        foreach (var (labels, bounds, cumulative, sum, count) in series)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                Sample(name + "_bucket", [.. labels, ("le", Number(bounds[i]))], cumulative[i]);
            }

            Sample(name + "_bucket", [.. labels, ("le", "+Inf")], count);
            Sample(name + "_sum", labels, sum);
            Sample(name + "_count", labels, count);
        }
    }

    private void Header(string name, string help, string type) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private void Sample(string name, (string Name, string Value)[] labels, double value)
    {
        sb.Append(name);
        if (labels.Length > 0)
        {
            sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(labels[i].Name).Append("=\"");
                Escape(labels[i].Value);
                sb.Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(Number(value)).Append('\n');
    }

    private void Escape(string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append("\\\\"),
                '"' => sb.Append("\\\""),
                '\n' => sb.Append("\\n"),
                _ => sb.Append(c),
            };
        }
    }

    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);
}
