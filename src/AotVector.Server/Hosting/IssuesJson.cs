using System.Text.Json;
using AotVector.Engine.Api;

namespace AotVector.Server.Hosting;

/// <summary>
/// GET /issues in the reference's shape: {"issues":[{id, description, solution, timestamp, related_collection}]},
/// a solution being {"immediate": request}, {"immediate_choice": [requests]} or {"refactor": text}.
/// </summary>
internal static class IssuesJson
{
    public static void Write(Utf8JsonWriter w, IReadOnlyList<IssueRecord> issues)
    {
        w.WriteStartObject();
        w.WriteStartArray("issues");
        foreach (var issue in issues)
        {
            w.WriteStartObject();
            w.WriteString("id", issue.Id);
            w.WriteString("description", issue.Description);
            w.WriteStartObject("solution");
            if (issue.Solutions.Count == 1)
            {
                w.WritePropertyName("immediate");
                WriteSolution(w, issue.Solutions[0]);
            }
            else if (issue.Solutions.Count > 1)
            {
                w.WriteStartArray("immediate_choice");
                foreach (var s in issue.Solutions)
                {
                    WriteSolution(w, s);
                }

                w.WriteEndArray();
            }
            else
            {
                w.WriteString("refactor", issue.Refactor ?? "");
            }

            w.WriteEndObject();
            w.WriteString("timestamp", OptimizationsJson.Timestamp(issue.Timestamp));
            if (issue.RelatedCollection is { } collection)
            {
                w.WriteString("related_collection", collection);
            }
            else
            {
                w.WriteNull("related_collection");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSolution(Utf8JsonWriter w, IssueSolution s)
    {
        w.WriteStartObject();
        w.WriteString("message", s.Message);
        w.WriteStartObject("action");
        w.WriteString("method", s.Method);
        w.WriteString("uri", s.Uri);
        w.WriteStartObject("headers");
        w.WriteString("content-type", "application/json");
        w.WriteEndObject();
        w.WriteStartObject("body");
        foreach (var (key, value) in s.Body)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
