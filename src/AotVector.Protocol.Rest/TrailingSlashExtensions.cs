using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Rest;

/// <summary>
/// Qdrant normalizes request paths (actix NormalizePath::trim): repeated slashes merge and a trailing slash is
/// dropped, so "/collections/" and "/collections//c/" reach the same handlers. Must run before routing.
/// </summary>
public static class TrailingSlashExtensions
{
    /// <summary>Adds the path normalization. Call it before <c>app.UseRouting()</c> (WebApplication otherwise routes first).</summary>
    public static IApplicationBuilder UseTrailingSlashTrim(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(static next => context =>
        {
            var path = context.Request.Path.Value;
            if (path is not null && NeedsNormalizing(path))
            {
                context.Request.Path = new PathString(Normalize(path));
            }

            return next(context);
        });
    }

    /// <summary>"/a//b/" → "/a/b"; "/" stays "/".</summary>
    internal static string Normalize(string path)
    {
        var builder = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c == '/' && builder.Length > 0 && builder[^1] == '/')
            {
                continue;
            }

            builder.Append(c);
        }

        if (builder.Length > 1 && builder[^1] == '/')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    private static bool NeedsNormalizing(string path) =>
        (path.Length > 1 && path[^1] == '/') || path.Contains("//", StringComparison.Ordinal);
}
