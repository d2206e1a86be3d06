using System.Net;
using System.Reflection;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Kernels;
using AotVector.Protocol.Grpc;
using AotVector.Protocol.Rest;
using AotVector.Server.Cluster;
using AotVector.Server.Config;
using AotVector.Server.Security;
using AotVector.Server.Security.Audit;
using AotVector.Server.Snapshots;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging.Console;

namespace AotVector.Server.Hosting;

/// <summary>Composes the engine and both front ends in one Kestrel app: REST on http_port, gRPC on grpc_port.</summary>
internal static class ServerHost
{
    public static string Version =>
        typeof(ServerHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(LoadedSettings loaded, StartupSnapshots startupSnapshots, string? peerUri = null, string? bootstrapUri = null)
    {
        var settings = loaded.Settings;
        var service = settings.Service;
        if (!BindAddresses.TryResolve(service.Host, out var addresses, out var hostError))
        {
            Console.Error.WriteLine($"aotvector: configuration error: service.host: {hostError}");
            return 2;
        }

        // The REST port answers the probes from here on, while the rest of the server is built (see EarlyProbes).
        var bindError = string.Empty;
        var early = service.EnableTls ? null : EarlyProbes.TryStart(addresses, service.HttpPort, out bindError);
        if (!service.EnableTls && early is null)
        {
            Console.Error.WriteLine("aotvector: cannot listen: " + bindError);
            return 1;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = loaded.ContentRoot });
        builder.Logging.ClearProviders();
        LogOutput.AddConsole(builder.Logging, settings.Logger);
        builder.Logging.SetMinimumLevel(LogLevels.Parse(settings.LogLevel));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        // Any level enabled here makes the host open a logging scope and start an Activity for every request
        // (a handful of allocations and async-local writes each); the category only logs request starts and ends.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // The host logs a failed start (a port in use) as an error with the whole stack trace; RunAsync's caller
        // below says it in one line instead, and we run no hosted services whose faults this category would report.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);

        using var tls = CreateCertificateProvider(loaded);
        if (service.EnableTls && tls is null)
        {
            return 2;
        }

        if (tls is not null)
        {
            // The slim builder leaves out Kestrel's HTTPS services, which UseHttps needs.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.Services.AddSingleton(tls);
        }

        var maxBody = (long)service.MaxRequestSizeMb * 1024 * 1024;
        // Inline scheduling: Kestrel parses and answers on the thread that completed the socket operation instead
        // of handing every read and write to the pool (with inline socket completions, set in Program.cs, that is
        // the socket engine's thread). On a small box each wake-up costs more than the work it hands over.
        // KestrelScheduling does the same for HTTP/2 streams; RequestScheduling, the first middleware, then sends
        // every request to the pool except short reads (gRPC or REST) from one-at-a-time clients; RequestBodyLimit
        // leaves after a gRPC message's read and RestCall.ReadBodyAsync after a REST body's. Responses are serialized before they are
        // written, so no handler work is left to resume on the socket thread after a flush.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = maxBody;
            // HTTP/2 on the REST port needs ALPN, so clear-text REST is HTTP/1.1 only (as Qdrant's).
            Listen(k, addresses, service.HttpPort, tls is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2, tls, early);
            if (service.GrpcPort is { } grpcPort)
            {
                // h2c with prior knowledge, as the official .NET client expects on http://; with TLS, ALPN h2.
                Listen(k, addresses, grpcPort, HttpProtocols.Http2, tls);
            }
        });

        var storagePath = loaded.ResolvePath(settings.Storage.StoragePath);
        // The engine logs before the host is built (collections load before the ports open), in the host's format.
        using var loggerFactory = LoggerFactory.Create(l => LogOutput.AddConsole(l, settings.Logger).SetMinimumLevel(LogLevels.Parse(settings.LogLevel)));
        if (!AuditLog.TryOpen(loaded, loggerFactory, out var audit))
        {
            return 1;
        }

        using var auditLog = audit;
        using var snapshotFetcher = new HttpSnapshotFetcher(service.SnapshotUrlRecoveryAllowLocal, MegabytesOrNull(service.MaxSnapshotSizeMb));
        VectorEngine engine;
        try
        {
            engine = VectorEngine.Open(ToEngineOptions(loaded, storagePath) with { SnapshotFetcher = snapshotFetcher, Clustered = settings.Cluster.Enabled }, loggerFactory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("aotvector: cannot open storage: " + e.Message);
            return 1;
        }

        engine.SlowQueryThreshold = TimeSpan.FromSeconds(service.SlowQuerySecs);
        // --snapshot / --storage-snapshot: restored before the ports open, as the reference does.
        if (await StartupRestore.RunAsync(engine, startupSnapshots, loggerFactory.CreateLogger("AotVector.Server")).ConfigureAwait(false) is { } restoreError)
        {
            Console.Error.WriteLine("aotvector: " + restoreError);
            engine.Dispose();
            return 1;
        }

        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton<ICollectionsApi>(engine);
        // Cluster mode: the p2p port, consensus restored from storage, collection management through consensus.
        var cluster = settings.Cluster.Enabled
            ? await ConsensusNode.CreateAsync(loaded, peerUri, bootstrapUri, engine, storagePath, addresses,
                l => LogOutput.AddConsole(l, settings.Logger).SetMinimumLevel(LogLevels.Parse(settings.LogLevel)), loggerFactory).ConfigureAwait(false)
            : null;
        if (settings.Cluster.Enabled && cluster is null)
        {
            early?.Stop();
            engine.Dispose();
            return 2;
        }

        builder.Services.AddSingleton<IPointsApi>(engine);
        ClusterHosting.Register(builder.Services, cluster);
        builder.Services.AddSingleton<ISnapshotsApi>(engine);
        builder.Services.AddSingleton<IStorageStatus>(engine);
        ShutdownDrain.Configure(builder.Services);
        builder.Services.AddSingleton(loaded);
        if (service.GrpcPort is not null)
        {
            builder.Services.AddQdrantGrpc((int)Math.Min(maxBody, int.MaxValue));
            if (audit is not null)
            {
                AuditInterceptor.Register(builder.Services);
            }
        }

        if (service.EnableCors)
        {
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader()));
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AotVector.Server");
        ServerLog.Starting(logger, Version, SimdInfo.Describe(), Environment.ProcessorCount);
        foreach (var warning in loaded.Warnings)
        {
            ServerLog.ConfigWarning(logger, warning);
        }

        _ = engine.Loaded.ContinueWith(_ => ServerLog.StorageLoaded(logger, storagePath, engine.CollectionCount, engine.TotalPoints), TaskScheduler.Default);
        tls?.Start(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AotVector.Security"));
        var authenticator = CreateAuthenticator(service);

        // The pipeline, in order. Nothing before authentication reads a request body, and nothing after it buffers
        // more than max_request_size_mb (docs/security.md, "Request size and memory"):
        //   1. RequestScheduling: which requests leave the socket thread (reads headers only).
        //   2. Trailing-slash trim, routing: pick the endpoint (headers only).
        //   3. CORS (when enabled): answers pre-flights, which carry no key.
        //   4. AuditMiddleware (when audit.enabled): writes a line for refusals and management actions once answered.
        //   5. AuthMiddleware (when keys are set): the failed-authentication throttle, then credentials against the
        //      routed endpoint; a refusal reads no body.
        //   6. RequestBodyLimit: refuses a declared length over the limit, buffers a gRPC message with a running
        //      count; REST endpoints read their own bodies with a running count under Kestrel's limit.
        //   7. The endpoints: REST and gRPC.
        if (KestrelScheduling.TryUseInline(app.Services.GetRequiredService<IServer>()))
        {
            ServerLog.InlineHttp2Scheduling(logger);
        }
        else
        {
            ServerLog.PoolHttp2Scheduling(logger);
        }

        var scheduling = new RequestScheduling();
        app.Use(next => context => scheduling.InvokeAsync(context, next));

        // Path normalization must run before routing picks an endpoint.
        app.UseTrailingSlashTrim();
        app.UseRouting();
        // Right after routing (the endpoint names the series), before anything that may refuse the request.
        var requestStatistics = new RequestStatistics(TimeProvider.System);
        app.Use(next => context => requestStatistics.InvokeAsync(context, next));
        if (service.EnableCors)
        {
            // Composed directly: UseCors() adds the middleware through UseMiddleware, which under Native AOT calls
            // Invoke(HttpContext, ICorsPolicyProvider) by reflection on every request, gRPC calls included.
            // CorsService and DefaultCorsPolicyProvider are stateless, so one instance of each serves every request.
            var corsService = app.Services.GetRequiredService<ICorsService>();
            var corsPolicies = app.Services.GetRequiredService<ICorsPolicyProvider>();
            var corsLoggers = app.Services.GetRequiredService<ILoggerFactory>();
            app.Use(next =>
            {
                var cors = new CorsMiddleware(next, corsService, corsLoggers);
                return context => cors.Invoke(context, corsPolicies);
            });
        }

        // Before authentication, which fills in what the audit line says about the caller.
        if (audit is not null)
        {
            var auditing = new AuditMiddleware(audit);
            app.Use(next => context => auditing.InvokeAsync(context, next));
        }

        if (authenticator.Enabled)
        {
            var auth = new AuthMiddleware(authenticator, engine, AuthThrottle.Create(service, TimeProvider.System, logger), audited: audit is not null);
            app.Use(next => context => auth.InvokeAsync(context, next));
            SecurityLog.AuthEnabled(logger, DescribeAuth(service));
        }

        // Composed directly: UseMiddleware<T>(args) invokes InvokeAsync through reflection on every request under Native AOT.
        app.Use(next => new RequestBodyLimit(next, maxBody, MegabytesOrNull(service.MaxSnapshotSizeMb), logger).InvokeAsync);

        app.MapQdrantRest();
        ServiceEndpoints.Map(app, requestStatistics, service.JwtRbac);
        ClusterHosting.Map(app, cluster);
        if (service.GrpcPort is not null)
        {
            app.MapQdrantGrpc();
        }

        app.Lifetime.ApplicationStopping.Register(() =>
        {
            ServerLog.ShuttingDown(logger);
        });

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine("aotvector: cannot listen: " + e.Message);
            early?.Stop();
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }

            engine.Dispose();
            return 1;
        }

        early?.Stop();

        // Only now are the sockets bound: "listening" is never logged for a port that then fails.
        LogListening(logger, service, tls is not null);
        // After the public ports: a joining peer must already answer the leader when it asks to be added.
        if (cluster is not null && await cluster.StartAsync().ConfigureAwait(false) is { } clusterError)
        {
            Console.Error.WriteLine("aotvector: " + clusterError);
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            await cluster.DisposeAsync().ConfigureAwait(false);
            engine.Dispose();
            return 1;
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        if (cluster is not null)
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
        }

        // Flush segments and close WALs after the last request has finished.
        engine.Dispose();
        return 0;
    }

    private static void LogListening(ILogger logger, ServiceSettings service, bool tls)
    {
        if (service.GrpcPort is { } port)
        {
            if (tls)
            {
                SecurityLog.GrpcListeningTls(logger, service.Host, port);
            }
            else
            {
                ServerLog.GrpcListening(logger, service.Host, port);
            }
        }
        else
        {
            ServerLog.GrpcDisabled(logger);
        }

        if (tls)
        {
            SecurityLog.RestListeningTls(logger, service.Host, service.HttpPort);
        }
        else
        {
            ServerLog.RestListening(logger, service.Host, service.HttpPort);
        }
    }

    private static void Listen(KestrelServerOptions k, IPAddress[]? addresses, int port, HttpProtocols protocols, CertificateProvider? tls, EarlyProbes? early = null)
    {
        void Configure(ListenOptions o)
        {
            o.Protocols = protocols;
            if (tls is not null)
            {
                // Per-connection options: each new handshake gets the certificate (and CA) current at that moment.
                o.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = static context => ValueTask.FromResult(((CertificateProvider)context.State!).CreateOptions()),
                    OnConnectionState = tls,
                });
            }
        }

        if (early is not null)
        {
            early.ListenIn(k, Configure);
            return;
        }

        if (addresses is null)
        {
            k.ListenLocalhost(port, Configure);
            return;
        }

        foreach (var address in addresses)
        {
            k.Listen(address, port, Configure);
        }
    }

    /// <summary>Null without TLS, or when the first load fails (then the reason is on stderr and startup stops).</summary>
    private static CertificateProvider? CreateCertificateProvider(LoadedSettings loaded)
    {
        var settings = loaded.Settings;
        if (!settings.Service.EnableTls)
        {
            return null;
        }

        var tls = settings.Tls;
        var ca = settings.Service.VerifyHttpsClientCertificate ? loaded.ResolvePath(tls.CaCert!) : null;
        TimeSpan? ttl = tls.CertTtlSec is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        var created = CertificateProvider.Create(loaded.ResolvePath(tls.Cert!), loaded.ResolvePath(tls.Key!), ca, ttl, TimeProvider.System);
        if (!created.TryGet(out var provider, out var error))
        {
            Console.Error.WriteLine("aotvector: configuration error: " + error.Message);
            return null;
        }

        return provider;
    }

    private static Authenticator CreateAuthenticator(ServiceSettings service)
    {
        var keys = new ApiKeySet(service.ApiKey, service.AltApiKey, service.ReadOnlyApiKey);
        var jwt = service.JwtRbac ? new JwtVerifier(service.ApiKey, service.AltApiKey, TimeProvider.System) : null;
        return new Authenticator(keys, jwt);
    }

    private static string DescribeAuth(ServiceSettings service)
    {
        var parts = new List<string>(4);
        if (service.ApiKey is not null || service.AltApiKey is not null)
        {
            parts.Add(service.AltApiKey is null || service.ApiKey is null ? "api key" : "api key and alt api key");
        }

        if (service.ReadOnlyApiKey is not null)
        {
            parts.Add("read-only api key");
        }

        if (service.JwtRbac)
        {
            parts.Add("JWT RBAC (HS256)");
        }

        return string.Join(", ", parts);
    }

    private static long? MegabytesOrNull(int? megabytes) => megabytes is { } mb ? (long)mb * 1024 * 1024 : null;

    private static EngineOptions ToEngineOptions(LoadedSettings loaded, string storagePath)
    {
        var settings = loaded.Settings;
        var s = settings.Storage;
        var h = s.HnswIndex;
        var o = s.Optimizers;
        return new EngineOptions(
            storagePath,
            new HnswConfig((ulong)h.M, (ulong)h.EfConstruct, (ulong)h.FullScanThresholdKb, (ulong)h.MaxIndexingThreads, h.OnDisk, (ulong?)h.PayloadM),
            new OptimizersConfig(
                o.DeletedThreshold,
                (ulong)o.VacuumMinVectorNumber,
                (ulong)o.DefaultSegmentNumber,
                (ulong?)o.MaxSegmentSizeKb,
                (ulong?)o.MemmapThresholdKb,
                (ulong?)o.IndexingThresholdKb,
                (ulong)o.FlushIntervalSec,
                (ulong?)o.MaxOptimizationThreads),
            new WalConfig((ulong)s.Wal.WalCapacityMb, (ulong)s.Wal.WalSegmentsAhead, 1),
            s.OnDiskPayload)
        {
            LoadInBackground = true,
            MinFreeSpaceMb = (ulong?)s.MinFreeSpaceMb,
            SnapshotsPath = loaded.ResolvePath(s.SnapshotsPath),
            TempPath = s.TempPath is { } temp ? loaded.ResolvePath(temp) : null,
            SnapshotUrlRecovery = settings.Service.EnableSnapshotUrlRecovery,
            DefaultStrictMode = s.DefaultStrictMode,
        };
    }
}
