using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// Every row of the permission table, for every kind of caller (static keys and JWTs), over REST and
/// over gRPC. Allowed means the auth layer let the call through (any status but 401/403, or a gRPC
/// status other than UNAUTHENTICATED/PERMISSION_DENIED); refused must be exactly 401 or 403.
/// </summary>
public sealed class PermissionTableTests(PermissionFixture fixture) : IClassFixture<PermissionFixture>
{
    private static readonly (string Method, string Path, string? Body, Right Right)[] s_rest =
    [
        ("GET", "/", null, Right.Anonymous),
        ("GET", "/healthz", null, Right.Anonymous),
        ("GET", "/livez", null, Right.Anonymous),
        ("GET", "/readyz", null, Right.Anonymous),
        ("GET", "/collections", null, Right.Everyone),
        ("GET", "/collections/c", null, Right.Everyone),
        ("GET", "/collections/c/exists", null, Right.Everyone),
        ("GET", "/aliases", null, Right.Everyone),
        ("GET", "/collections/c/aliases", null, Right.Everyone),
        ("GET", "/collections/c/cluster", null, Right.CollectionRead),
        ("GET", "/telemetry", null, Right.Everyone),
        ("GET", "/collections/c/points/1", null, Right.Everyone),
        ("POST", "/collections/c/points", """{"ids":[1]}""", Right.Everyone),
        ("POST", "/collections/c/points/scroll", """{"limit":1}""", Right.Everyone),
        ("POST", "/collections/c/points/count", "{}", Right.Everyone),
        ("POST", "/collections/c/points/query", """{"query":[1,0],"limit":1}""", Right.Everyone),
        ("POST", "/collections/c/points/search", """{"vector":[1,0],"limit":1}""", Right.Everyone),
        ("POST", "/collections/c/points/recommend", """{"positive":[1],"limit":1}""", Right.Everyone),
        ("POST", "/collections/c/points/query/batch", """{"searches":[{"query":[1,0],"limit":1}]}""", Right.Everyone),
        ("POST", "/collections/c/points/query/groups", """{"query":[1,0],"group_by":"k","limit":1}""", Right.Everyone),
        ("POST", "/collections/c/points/search/groups", """{"vector":[1,0],"group_by":"k","limit":1,"group_size":1}""", Right.Everyone),
        ("POST", "/collections/c/points/recommend/groups", """{"positive":[1],"group_by":"k","limit":1,"group_size":1}""", Right.Everyone),
        ("POST", "/collections/c/facet", """{"key":"k"}""", Right.Everyone),
        ("POST", "/collections/c/points/search/matrix/pairs", "{}", Right.Everyone),
        ("POST", "/collections/c/points/search/matrix/offsets", "{}", Right.Everyone),
        ("GET", "/collections/c/optimizations", null, Right.Everyone),
        ("GET", "/issues", null, Right.Everyone),
        ("GET", "/metrics", null, Right.GlobalRead),
        ("GET", "/cluster", null, Right.GlobalRead),
        ("PUT", "/collections/c/points?wait=true", """{"points":[{"id":2,"vector":[0,1]}]}""", Right.PointsWrite),
        ("POST", "/collections/c/points/payload?wait=true", """{"payload":{"a":1},"points":[2]}""", Right.PointsWrite),
        ("POST", "/collections/c/points/delete?wait=true", """{"points":[999]}""", Right.PointsWrite),
        ("PUT", "/collections/c/index?wait=true", """{"field_name":"k","field_schema":"keyword"}""", Right.CollectionWrite),
        ("DELETE", "/collections/c/index/k2?wait=true", null, Right.CollectionWrite),
        ("DELETE", "/issues", null, Right.Manage),
        ("PUT", "/collections/made_by_test", """{"vectors":{"size":2,"distance":"Dot"}}""", Right.Manage),
        ("PATCH", "/collections/c", """{"optimizers_config":{"indexing_threshold":20000}}""", Right.Manage),
        ("DELETE", "/collections/made_by_test", null, Right.Manage),
        ("POST", "/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"c","alias_name":"c_alias"}}]}""", Right.Manage),
        // Snapshots: read lists and downloads, rw creates and deletes, manage uploads and recovers; full ones are global.
        ("GET", "/collections/c/snapshots", null, Right.CollectionRead),
        ("GET", "/collections/c/snapshots/none.snapshot", null, Right.CollectionRead),
        ("POST", "/collections/c/snapshots", null, Right.CollectionWrite),
        ("DELETE", "/collections/c/snapshots/none.snapshot", null, Right.CollectionWrite),
        ("PUT", "/collections/c/snapshots/recover", """{"location":"file://{snapshots}/c/none.snapshot"}""", Right.Manage),
        ("POST", "/collections/c/snapshots/upload", "{}", Right.Manage),
        ("GET", "/collections/c/shards/0/snapshots", null, Right.CollectionRead),
        ("GET", "/collections/c/shards/0/snapshots/none.snapshot", null, Right.CollectionRead),
        ("POST", "/collections/c/shards/0/snapshots", null, Right.CollectionWrite),
        ("DELETE", "/collections/c/shards/0/snapshots/none.snapshot", null, Right.CollectionWrite),
        ("GET", "/collections/c/shards/0/snapshot", null, Right.CollectionWrite),
        ("PUT", "/collections/c/shards/0/snapshots/recover", """{"location":"none.snapshot"}""", Right.Manage),
        ("POST", "/collections/c/shards/0/snapshots/upload", "{}", Right.Manage),
        ("GET", "/snapshots", null, Right.GlobalRead),
        ("GET", "/snapshots/none.snapshot", null, Right.GlobalRead),
        ("POST", "/snapshots", null, Right.Manage),
        ("DELETE", "/snapshots/none.snapshot", null, Right.Manage),
    ];

    public static TheoryData<string> Callers() => new(Credentials.Names);

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Rest(string caller)
    {
        using var http = fixture.Server.CreateHttp();
        var credential = Credentials.Value(caller);
        var failures = new List<string>();
        foreach (var (method, path, body, right) in s_rest)
        {
            // Collection "other" is outside every collection token; reads there must be refused to them.
            foreach (var target in path.Contains("/c/", StringComparison.Ordinal) || path.EndsWith("/c", StringComparison.Ordinal) ? ["c", "other"] : new[] { "c" })
            {
                var actualPath = target == "c" ? path : path.Replace("/c/", "/other/", StringComparison.Ordinal).Replace("/collections/c", "/collections/other", StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(method), actualPath);
                if (body is not null)
                {
                    var snapshots = Path.Combine(fixture.Server.Process.WorkingDirectory, "snapshots");
                    request.Content = SecureServer.Json(body.Replace("{snapshots}", snapshots, StringComparison.Ordinal).Replace("/c/", "/" + target + "/", StringComparison.Ordinal));
                }

                if (credential is not null)
                {
                    // Half the callers send the bearer form, half the api-key header.
                    if (caller.Length % 2 == 0)
                    {
                        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
                    }
                    else
                    {
                        request.Headers.TryAddWithoutValidation("api-key", credential);
                    }
                }

                using var response = await http.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = Credentials.Expected(caller, right);
                if (target == "other" && caller.StartsWith("jwt_coll", StringComparison.Ordinal) && expected == 0)
                {
                    expected = 403;
                }

                var ok = expected == 0 ? status is not (401 or 403) && status < 500 : status == expected;
                if (!ok)
                {
                    failures.Add($"{method} {actualPath}: expected {(expected == 0 ? "allowed" : expected)}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (status == 403 && !path.StartsWith("/healthz", StringComparison.Ordinal) && caller is not ("jwt_expired" or "jwt_bad_signature"))
                {
                    // A refused right is the JSON error envelope, as for any engine error.
                    var text = await response.Content.ReadAsStringAsync();
                    if (!text.StartsWith("{\"status\":{\"error\":\"Forbidden", StringComparison.Ordinal))
                    {
                        failures.Add($"{method} {actualPath}: 403 body is not the envelope: {text}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Grpc(string caller)
    {
        using var channel = fixture.Server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        var credential = Credentials.Value(caller);
        var headers = credential is null ? new Metadata() : caller.Length % 2 == 0 ? SecureServer.Bearer(credential) : SecureServer.Key(credential);
        var vector = new Vectors { Vector = new Vector { Data = { 1f, 0f } } };
        var rows = new (string Name, Right Right, Func<string, Task> Call)[]
        {
            ("qdrant.Qdrant/HealthCheck", Right.Anonymous, _ => qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest(), headers).ResponseAsync),
            ("grpc.health.v1.Health/Check", Right.Anonymous, _ => HealthV1.CheckAsync(channel, headers)),
            ("Collections/List", Right.Everyone, _ => qdrant.Collections.ListAsync(new ListCollectionsRequest(), headers).ResponseAsync),
            ("Collections/Get", Right.Everyone, c => qdrant.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = c }, headers).ResponseAsync),
            ("Collections/CollectionExists", Right.Everyone, c => qdrant.Collections.CollectionExistsAsync(new CollectionExistsRequest { CollectionName = c }, headers).ResponseAsync),
            ("Collections/ListAliases", Right.Everyone, _ => qdrant.Collections.ListAliasesAsync(new ListAliasesRequest(), headers).ResponseAsync),
            ("Points/Get", Right.Everyone, c => qdrant.Points.GetAsync(new GetPoints { CollectionName = c, Ids = { new PointId { Num = 1 } } }, headers).ResponseAsync),
            ("Points/Scroll", Right.Everyone, c => qdrant.Points.ScrollAsync(new ScrollPoints { CollectionName = c, Limit = 1 }, headers).ResponseAsync),
            ("Points/Count", Right.Everyone, c => qdrant.Points.CountAsync(new CountPoints { CollectionName = c }, headers).ResponseAsync),
            ("Points/Query", Right.Everyone, c => qdrant.Points.QueryAsync(new QueryPoints { CollectionName = c, Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0f } } } }, Limit = 1 }, headers).ResponseAsync),
            ("Points/Search", Right.Everyone, c => qdrant.Points.SearchAsync(new SearchPoints { CollectionName = c, Vector = { 1f, 0f }, Limit = 1 }, headers).ResponseAsync),
            ("Points/QueryGroups", Right.Everyone, c => qdrant.Points.QueryGroupsAsync(new QueryPointGroups { CollectionName = c, Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0f } } } }, GroupBy = "k" }, headers).ResponseAsync),
            ("Points/Facet", Right.Everyone, c => qdrant.Points.FacetAsync(new FacetCounts { CollectionName = c, Key = "k" }, headers).ResponseAsync),
            ("Points/SearchMatrixPairs", Right.Everyone, c => qdrant.Points.SearchMatrixPairsAsync(new SearchMatrixPoints { CollectionName = c }, headers).ResponseAsync),
            ("Points/SearchMatrixOffsets", Right.Everyone, c => qdrant.Points.SearchMatrixOffsetsAsync(new SearchMatrixPoints { CollectionName = c }, headers).ResponseAsync),
            ("Points/Upsert", Right.PointsWrite, c => qdrant.Points.UpsertAsync(new UpsertPoints { CollectionName = c, Wait = true, Points = { new PointStruct { Id = new PointId { Num = 3 }, Vectors = vector } } }, headers).ResponseAsync),
            ("Points/Delete", Right.PointsWrite, c => qdrant.Points.DeleteAsync(new DeletePoints { CollectionName = c, Wait = true, Points = new PointsSelector { Points = new PointsIdsList { Ids = { new PointId { Num = 999 } } } } }, headers).ResponseAsync),
            ("Points/CreateFieldIndex", Right.CollectionWrite, c => qdrant.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection { CollectionName = c, Wait = true, FieldName = "k", FieldType = FieldType.Keyword }, headers).ResponseAsync),
            ("Collections/Create", Right.Manage, _ => qdrant.Collections.CreateAsync(new CreateCollection { CollectionName = "made_by_grpc", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 2, Distance = Distance.Dot } } }, headers).ResponseAsync),
            ("Collections/Delete", Right.Manage, _ => qdrant.Collections.DeleteAsync(new DeleteCollection { CollectionName = "made_by_grpc" }, headers).ResponseAsync),
            ("Snapshots/List", Right.CollectionRead, c => qdrant.Snapshots.ListAsync(new ListSnapshotsRequest { CollectionName = c }, headers).ResponseAsync),
            ("Snapshots/Create", Right.CollectionWrite, c => qdrant.Snapshots.CreateAsync(new CreateSnapshotRequest { CollectionName = c }, headers).ResponseAsync),
            ("Snapshots/Delete", Right.CollectionWrite, c => qdrant.Snapshots.DeleteAsync(new DeleteSnapshotRequest { CollectionName = c, SnapshotName = "none.snapshot" }, headers).ResponseAsync),
            ("Snapshots/ListFull", Right.GlobalRead, _ => qdrant.Snapshots.ListFullAsync(new ListFullSnapshotsRequest(), headers).ResponseAsync),
            ("Snapshots/CreateFull", Right.Manage, _ => qdrant.Snapshots.CreateFullAsync(new CreateFullSnapshotRequest(), headers).ResponseAsync),
            ("Snapshots/DeleteFull", Right.Manage, _ => qdrant.Snapshots.DeleteFullAsync(new DeleteFullSnapshotRequest { SnapshotName = "none.snapshot" }, headers).ResponseAsync),
            ("Collections/UpdateAliases", Right.Manage, c => qdrant.Collections.UpdateAliasesAsync(new ChangeAliases { Actions = { new AliasOperations { CreateAlias = new CreateAlias { CollectionName = c, AliasName = "g_alias" } } } }, headers).ResponseAsync),
        };

        var failures = new List<string>();
        foreach (var (name, right, call) in rows)
        {
            foreach (var target in new[] { "c", "other" })
            {
                var expected = Credentials.Expected(caller, right);
                var scoped = right is Right.Everyone or Right.CollectionRead or Right.PointsWrite or Right.CollectionWrite && name != "Collections/List" && name != "Collections/ListAliases";
                if (target == "other" && (!scoped || right == Right.Anonymous))
                {
                    continue;
                }

                if (target == "other" && caller.StartsWith("jwt_coll", StringComparison.Ordinal) && expected == 0)
                {
                    expected = 403;
                }

                StatusCode status;
                try
                {
                    await call(target);
                    status = StatusCode.OK;
                }
                catch (RpcException e)
                {
                    status = e.StatusCode;
                }

                var ok = expected switch
                {
                    0 => status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.Internal or StatusCode.Unavailable),
                    401 => status == StatusCode.Unauthenticated,
                    _ => status == StatusCode.PermissionDenied,
                };
                if (!ok)
                {
                    failures.Add($"{name} on {target}: expected {(expected == 0 ? "allowed" : expected)}, got {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
