using System.Net.Http.Headers;
using System.Text;

namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>Raw HTTP calls against a <see cref="ServerProcess"/>, returning <see cref="ApiResponse"/>.</summary>
public static class ServerHttp
{
    public static Task<ApiResponse> GetAsync(this ServerProcess server, string path) =>
        server.SendAsync(HttpMethod.Get, path, null);

    public static Task<ApiResponse> DeleteAsync(this ServerProcess server, string path) =>
        server.SendAsync(HttpMethod.Delete, path, null);

    public static Task<ApiResponse> PostAsync(this ServerProcess server, string path, string json) =>
        server.SendAsync(HttpMethod.Post, path, json);

    public static Task<ApiResponse> PutAsync(this ServerProcess server, string path, string json) =>
        server.SendAsync(HttpMethod.Put, path, json);

    public static Task<ApiResponse> PatchAsync(this ServerProcess server, string path, string json) =>
        server.SendAsync(HttpMethod.Patch, path, json);

    public static async Task<ApiResponse> SendAsync(this ServerProcess server, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return await server.SendAsync(request, json).ConfigureAwait(false);
    }

    /// <summary>Sends a prepared request; <paramref name="bodyForLog"/> is what failure messages show of the body.</summary>
    public static async Task<ApiResponse> SendAsync(this ServerProcess server, HttpRequestMessage request, string? bodyForLog)
    {
        var described = $"{request.Method} {request.RequestUri} {Shorten(bodyForLog)}";
        using var response = await server.Http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return new ApiResponse(server, described, response.StatusCode, response.Content.Headers.ContentType?.MediaType, text);
    }

    private static string Shorten(string? body) =>
        body is null ? string.Empty : body.Length <= 1500 ? body : body[..1500] + "…";
}
