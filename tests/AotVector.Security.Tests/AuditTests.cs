using System.Net;
using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// The audit log of the published server: a line per refused request (by the security layer or by the engine's
/// per-collection checks) and per management action, over REST and gRPC, no line for reads, scrapes and health
/// checks, never a credential; off by default; a directory it cannot open stops startup.
/// </summary>
public sealed class AuditTests
{
    private const string WrongKey = "not_the_key_but_close";
    private const string Vector = """{"vectors":{"size":2,"distance":"Dot"}}""";
    private const string Point = """{"points":[{"id":1,"vector":[1,0]}]}""";

    private static readonly string s_aliceToken = TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"mine","access":"rw"}],"sub":"alice"}""");

    private static Task<SecureServer> StartAsync(params (string, string)[] more) => SecureServer.StartAsync(env:
    [
        ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
        ("QDRANT__SERVICE__READ_ONLY_API_KEY", SecureServer.ReadOnlyKey),
        ("QDRANT__SERVICE__JWT_RBAC", "true"),
        ("QDRANT__AUDIT__ENABLED", "true"),
        .. more,
    ]);

    private static string AuditDir(SecureServer server) => Path.Combine(server.Process.WorkingDirectory, "storage", "audit");

    [Fact]
    public async Task Refused_requests_are_audited_with_who_and_why_and_no_secret()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        using var wrong = server.CreateHttp(WrongKey);
        using var readOnly = server.CreateHttp(SecureServer.ReadOnlyKey);
        using var alice = server.CreateHttp(s_aliceToken);
        using var channel = server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/mine", SecureServer.Json(Vector))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/theirs", SecureServer.Json(Vector))).StatusCode);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/collections"))
        {
            request.Headers.Add("x-request-id", "req-wrong-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PutAsync("/collections/mine/points?wait=true", SecureServer.Json(Point))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsync("/collections/mine/points?wait=true", SecureServer.Json(Point))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PutAsync("/collections/theirs/points?wait=true", SecureServer.Json(Point))).StatusCode);

        var upsert = new UpsertPoints
        {
            CollectionName = "theirs",
            Wait = true,
            Points = { new PointStruct { Id = new PointId { Num = 2 }, Vectors = new Vectors { Vector = new Qdrant.Client.Grpc.Vector { Data = { 0f, 1f } } } } },
        };
        var denied = await Assert.ThrowsAsync<RpcException>(() => qdrant.Points.UpsertAsync(upsert, SecureServer.Bearer(s_aliceToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => qdrant.Collections.ListAsync(new ListCollectionsRequest(), SecureServer.Key(WrongKey)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.DeleteAsync("/collections/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/collections/theirs")).StatusCode);

        var lines = await AuditFile.WaitForAsync(AuditDir(server), 9, server);
        AuditFile.Expect(lines[0], "PUT", "/collections/{name}", "ApiKey", "mine", "ok");
        AuditFile.Expect(lines[1], "PUT", "/collections/{name}", "ApiKey", "theirs", "ok");
        AuditFile.Expect(lines[2], "GET", "/collections", "None", null, "denied", "Invalid API key or JWT");
        Assert.Equal("req-wrong-key", lines[2].GetProperty("tracing_id").GetString());
        AuditFile.Expect(lines[3], "PUT", "/collections/{name}/points", "ApiKey", "mine", "denied", "Forbidden: ");
        foreach (var (line, method, api) in new[] { (lines[4], "PUT", "/collections/{name}/points"), (lines[5], "grpc", "/qdrant.Points/Upsert") })
        {
            // The engine's own words, e.g. "Forbidden: Write access to collection theirs is required".
            AuditFile.Expect(line, method, api, "Jwt", "theirs", "denied", "Forbidden: ");
            Assert.Contains("collection theirs", line.GetProperty("error").GetString());
            Assert.Equal("alice", line.GetProperty("subject").GetString());
        }

        AuditFile.Expect(lines[6], "grpc", "/qdrant.Collections/List", "None", null, "denied", "Invalid API key or JWT");
        AuditFile.Expect(lines[7], "DELETE", "/collections/{name}", "ApiKey", "mine", "denied", "Forbidden: Global manage access is required");
        AuditFile.Expect(lines[8], "DELETE", "/collections/{name}", "ApiKey", "theirs", "ok");
        foreach (var line in lines)
        {
            Assert.Equal("127.0.0.1", line.GetProperty("remote").GetString());
            Assert.True(DateTimeOffset.TryParse(line.GetProperty("timestamp").GetString(), out _));
        }

        var text = AuditFile.ReadAll(AuditDir(server));
        foreach (var secret in new[] { SecureServer.ApiKey, SecureServer.ReadOnlyKey, WrongKey, s_aliceToken, s_aliceToken.Split('.')[2] })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task Management_actions_are_audited_over_rest_and_grpc_and_reads_scrapes_and_health_checks_are_not()
    {
        await using var server = await StartAsync(("QDRANT__AUDIT__TRUST_FORWARDED_HEADERS", "true"));
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        using var anonymous = server.CreateHttp();
        using var channel = server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        var key = SecureServer.Key(SecureServer.ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/a", SecureServer.Json(Vector))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsync("/collections/a", SecureServer.Json(Vector))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync("/collections/a", SecureServer.Json("""{"optimizers_config":{"indexing_threshold":10000}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/a/index?wait=true", SecureServer.Json("""{"field_name":"k","field_schema":"keyword"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/collections/a/index/k?wait=true")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/collections/aliases", SecureServer.Json("""{"actions":[{"create_alias":{"collection_name":"a","alias_name":"al"}}]}"""))).StatusCode);

        // Reads, scrapes and health checks: no lines.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/a/points?wait=true", SecureServer.Json(Point))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/collections/a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/collections/a/points/query", SecureServer.Json("""{"query":[1,0],"limit":1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/telemetry")).StatusCode);
        foreach (var probe in new[] { "/", "/healthz", "/livez", "/readyz" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(probe)).StatusCode);
        }

        await qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest());
        await HealthV1.CheckAsync(channel, []);
        await qdrant.Collections.ListAsync(new ListCollectionsRequest(), key);

        await qdrant.Collections.CreateAsync(new CreateCollection { CollectionName = "g", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 2, Distance = Distance.Dot } } }, key);
        await qdrant.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection { CollectionName = "g", Wait = true, FieldName = "k", FieldType = FieldType.Keyword }, key);
        await qdrant.Points.DeleteFieldIndexAsync(new DeleteFieldIndexCollection { CollectionName = "g", Wait = true, FieldName = "k" }, key);
        await qdrant.Collections.UpdateAliasesAsync(new ChangeAliases { Actions = { new AliasOperations { DeleteAlias = new DeleteAlias { AliasName = "al" } } } }, key);
        var missing = await Assert.ThrowsAsync<RpcException>(() => qdrant.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection { CollectionName = "nope", FieldName = "k", FieldType = FieldType.Keyword }, key).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        await qdrant.Collections.DeleteAsync(new DeleteCollection { CollectionName = "g" }, key);

        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/collections/a"))
        {
            request.Headers.Add("X-Forwarded-For", "203.0.113.9, 10.0.0.1");
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(request)).StatusCode);
        }

        var lines = await AuditFile.WaitForAsync(AuditDir(server), 13, server);
        AuditFile.Expect(lines[0], "PUT", "/collections/{name}", "ApiKey", "a", "ok");
        AuditFile.Expect(lines[1], "PUT", "/collections/{name}", "ApiKey", "a", "ok", "Wrong input: ");
        AuditFile.Expect(lines[2], "PATCH", "/collections/{name}", "ApiKey", "a", "ok");
        AuditFile.Expect(lines[3], "PUT", "/collections/{name}/index", "ApiKey", "a", "ok");
        AuditFile.Expect(lines[4], "DELETE", "/collections/{name}/index/{field_name}", "ApiKey", "a", "ok");
        AuditFile.Expect(lines[5], "POST", "/collections/aliases", "ApiKey", null, "ok");
        AuditFile.Expect(lines[6], "grpc", "/qdrant.Collections/Create", "ApiKey", "g", "ok");
        AuditFile.Expect(lines[7], "grpc", "/qdrant.Points/CreateFieldIndex", "ApiKey", "g", "ok");
        AuditFile.Expect(lines[8], "grpc", "/qdrant.Points/DeleteFieldIndex", "ApiKey", "g", "ok");
        AuditFile.Expect(lines[9], "grpc", "/qdrant.Collections/UpdateAliases", "ApiKey", null, "ok");
        AuditFile.Expect(lines[10], "grpc", "/qdrant.Points/CreateFieldIndex", "ApiKey", "nope", "ok", "Not found: ");
        AuditFile.Expect(lines[11], "grpc", "/qdrant.Collections/Delete", "ApiKey", "g", "ok");
        AuditFile.Expect(lines[12], "DELETE", "/collections/{name}", "ApiKey", "a", "ok");
        Assert.Equal("203.0.113.9", lines[12].GetProperty("remote").GetString());
        Assert.Equal("127.0.0.1", lines[11].GetProperty("remote").GetString());
    }

    [Fact]
    public async Task Audit_is_off_by_default()
    {
        await using var server = await SecureServer.StartAsync(env: [("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey)]);
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        using var wrong = server.CreateHttp(WrongKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/a", SecureServer.Json(Vector))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/collections/a")).StatusCode);

        Assert.False(Directory.Exists(AuditDir(server)));
        Assert.Empty(Directory.GetFiles(server.Process.WorkingDirectory, "audit.*", SearchOption.AllDirectories));
        Assert.DoesNotContain("Audit log enabled", server.Process.StandardOutput);
    }

    [Fact]
    public async Task An_audit_dir_that_cannot_be_opened_stops_startup_with_one_line()
    {
        var options = new ServerOptions();
        await using var process = ServerProcess.Create(options);
        var blocker = process.WriteFile("blocker", "a file, not a directory");
        options.WithEnv("QDRANT__AUDIT__ENABLED", "true").WithEnv("QDRANT__AUDIT__DIR", Path.Combine(blocker, "audit"));

        process.Start();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var error = process.StandardError.Trim();
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("aotvector: configuration error: audit.dir: cannot open the audit log in ", error);
    }

    /// <summary>Reads the audit files while the server writes them (lines arrive shortly after the answers).</summary>
    private static class AuditFile
    {
        public static string ReadAll(string dir)
        {
            var text = new System.Text.StringBuilder();
            foreach (var path in Directory.GetFiles(dir, "audit.*.log").Order(StringComparer.Ordinal))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                text.Append(reader.ReadToEnd());
            }

            return text.ToString();
        }

        /// <summary>
        /// Waits for <paramref name="count"/> lines. The last request of a test is one that writes a line, and lines
        /// are written in order, so once it is there every line before it is too: an extra one would show in the count.
        /// </summary>
        public static async Task<JsonElement[]> WaitForAsync(string dir, int count, SecureServer server)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string[] lines = [];
            while (DateTime.UtcNow < deadline)
            {
                lines = Directory.Exists(dir) ? ReadAll(dir).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
                if (lines.Length >= count)
                {
                    break;
                }

                await Task.Delay(50);
            }

            Assert.True(lines.Length == count, $"expected {count} audit lines, got {lines.Length}:\n{string.Join('\n', lines)}\n{server.Process.Logs()}");
            return lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        }

        public static void Expect(JsonElement line, string method, string api, string authType, string? collection, string result, string? errorPrefix = null)
        {
            var text = line.GetRawText();
            Assert.True(method == line.GetProperty("method").GetString(), text);
            Assert.True(api == line.GetProperty("api").GetString(), text);
            Assert.True(authType == line.GetProperty("auth_type").GetString(), text);
            Assert.True(collection == (line.TryGetProperty("collection", out var c) ? c.GetString() : null), text);
            Assert.True(result == line.GetProperty("result").GetString(), text);
            var error = line.TryGetProperty("error", out var e) ? e.GetString() : null;
            Assert.True(errorPrefix is null ? error is null : error?.StartsWith(errorPrefix, StringComparison.Ordinal) == true, text);
        }
    }
}
