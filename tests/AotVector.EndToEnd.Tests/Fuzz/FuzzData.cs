using System.Globalization;
using System.Net;
using System.Text;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>
/// The collections the fuzzed requests aim at, so that most of them reach the engine: "fuzz" (one 4-d Dot
/// vector, payload indexes) and "fuzz_named" (named vectors "a" and "b"), each with a few points carrying
/// keyword, integer, list, geo, datetime and nested payloads. Put back whenever a request deleted them.
/// </summary>
internal static class FuzzData
{
    public const string Collection = "fuzz";
    public const string NamedCollection = "fuzz_named";
    public const int Dimension = 4;
    public const int Points = 40;

    private static readonly string[] s_cities = ["Berlin", "Paris", "Rome", "Oslo"];

    public static async Task EnsureAsync(HttpClient rest, CancellationToken ct)
    {
        if (!await ExistsAsync(rest, Collection, ct))
        {
            await SendAsync(rest, HttpMethod.Put, "/collections/" + Collection, """{"vectors":{"size":4,"distance":"Dot"},"hnsw_config":{"m":8,"ef_construct":16}}""", ct);
            await SendAsync(rest, HttpMethod.Put, $"/collections/{Collection}/index?wait=true", """{"field_name":"city","field_schema":"keyword"}""", ct);
            await SendAsync(rest, HttpMethod.Put, $"/collections/{Collection}/index?wait=true", """{"field_name":"n","field_schema":"integer"}""", ct);
            await SendAsync(rest, HttpMethod.Put, $"/collections/{Collection}/points?wait=true", PointsJson(named: false), ct);
        }

        if (!await ExistsAsync(rest, NamedCollection, ct))
        {
            await SendAsync(rest, HttpMethod.Put, "/collections/" + NamedCollection, """{"vectors":{"a":{"size":4,"distance":"Cosine"},"b":{"size":2,"distance":"Euclid"}}}""", ct);
            await SendAsync(rest, HttpMethod.Put, $"/collections/{NamedCollection}/points?wait=true", PointsJson(named: true), ct);
        }
    }

    private static string PointsJson(bool named)
    {
        var rng = new Random(Points);
        var sb = new StringBuilder("{\"points\":[");
        for (var i = 1; i <= Points; i++)
        {
            if (i > 1)
            {
                sb.Append(',');
            }

            string Floats(int n) => string.Join(',', Enumerable.Range(0, n).Select(_ => ((rng.NextDouble() * 2) - 1).ToString("F4", CultureInfo.InvariantCulture)));
            var vector = named ? $"{{\"a\":[{Floats(Dimension)}],\"b\":[{Floats(2)}]}}" : $"[{Floats(Dimension)}]";
            sb.Append(CultureInfo.InvariantCulture, $$$"""
                {"id":{{{i}}},"vector":{{{vector}}},"payload":{"city":"{{{s_cities[i % s_cities.Length]}}}","n":{{{i}}},"tags":["t{{{i % 3}}}","all"],
                "geo":{"lat":{{{50 + (i % 5)}}},"lon":{{{10 + (i % 7)}}}},"ts":"2024-01-{{{1 + (i % 28):00}}}T00:00:00Z","nested":[{"x":{{{i % 4}}}}]}}
                """);
        }

        return sb.Append("]}").ToString();
    }

    private static async Task<bool> ExistsAsync(HttpClient rest, string name, CancellationToken ct)
    {
        using var response = await rest.GetAsync($"/collections/{name}/exists", ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK && text.Contains("\"exists\":true", StringComparison.Ordinal);
    }

    private static async Task SendAsync(HttpClient rest, HttpMethod method, string path, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await rest.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new InvalidOperationException($"fuzz setup {method} {path} failed: {(int)response.StatusCode} {text}");
        }
    }
}
