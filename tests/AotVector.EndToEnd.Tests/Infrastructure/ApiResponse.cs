using System.Net;
using System.Text.Json;

namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>One HTTP exchange with the server: status, headers, raw text and (when it is JSON) the parsed body.</summary>
public sealed class ApiResponse
{
    private readonly ServerProcess _server;
    private readonly string _request;
    private JsonElement? _json;

    internal ApiResponse(ServerProcess server, string request, HttpStatusCode status, string? contentType, string text)
    {
        _server = server;
        _request = request;
        Status = (int)status;
        ContentType = contentType;
        Text = text;
    }

    public int Status { get; }

    public string? ContentType { get; }

    public string Text { get; }

    /// <summary>The parsed body; fails the test with the raw text if it is not JSON.</summary>
    public JsonElement Json
    {
        get
        {
            if (_json is null)
            {
                try
                {
                    using var doc = JsonDocument.Parse(Text);
                    _json = doc.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    Assert.Fail($"Response is not JSON ({e.Message}).\n{Describe()}");
                }
            }

            return _json!.Value;
        }
    }

    /// <summary>Asserts the HTTP status code.</summary>
    public ApiResponse Expect(int status)
    {
        if (Status != status)
        {
            Assert.Fail($"Expected HTTP {status} but got {Status}.\n{Describe()}");
        }

        return this;
    }

    /// <summary>Asserts 200 with Qdrant's success envelope and returns <c>result</c>.</summary>
    public JsonElement Ok()
    {
        Expect(200);
        var root = Json;
        Check(root.ValueKind == JsonValueKind.Object, "envelope is not an object");
        Check(root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "ok", "envelope status is not \"ok\"");
        Check(root.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Number, "envelope has no numeric time");
        Check(root.TryGetProperty("result", out var result), "envelope has no result");
        return result;
    }

    /// <summary>Asserts an error status with Qdrant's error body <c>{"status":{"error":…},"time":…}</c> and returns the message.</summary>
    public string Error(int status)
    {
        Expect(status);
        var root = Json;
        Check(root.ValueKind == JsonValueKind.Object, "error body is not an object");
        Check(!root.TryGetProperty("result", out _), "error body must not carry result");
        Check(root.TryGetProperty("time", out var time) && time.ValueKind == JsonValueKind.Number, "error body has no numeric time");
        Check(
            root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String,
            "error body has no status.error string");
        return root.GetProperty("status").GetProperty("error").GetString()!;
    }

    /// <summary>Fails the test with <paramref name="what"/> and the full exchange when <paramref name="condition"/> is false.</summary>
    public void Check(bool condition, string what)
    {
        if (!condition)
        {
            Assert.Fail(what + "\n" + Describe());
        }
    }

    public string Describe() =>
        $"request: {_request}\nresponse: HTTP {Status} ({ContentType}) {Truncate(Text, 4000)}\n{_server.Logs(3000)}";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
