using System.Globalization;
using System.Text;

namespace AotVector.Common.Text;

/// <summary>Client-supplied text made safe for one log line.</summary>
public static class LogText
{
    /// <summary>Control characters escaped as <c>\uXXXX</c>, cut at 100 characters (with an ellipsis).</summary>
    public static string Printable(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, 100) + 8);
        foreach (var c in text.Length > 100 ? text[..100] : text)
        {
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return text.Length > 100 ? sb.Append('…').ToString() : sb.ToString();
    }
}
