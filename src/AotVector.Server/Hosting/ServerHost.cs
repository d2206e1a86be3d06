using System.Net;
using System.Reflection;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Kernels;
using AotVector.Protocol.Grpc;
using AotVector.Protocol.Rest;
using AotVector.Server.Config;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AotVector.Server.Hosting;

/// <summary>Composes the engine and both front ends in one Kestrel app: REST on http_port, gRPC on grpc_port.</summary>
internal static class ServerHost
{
    public static string Version =>
        typeof(ServerHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(LoadedSettings loaded, string[] args)
    {
        var settings = loaded.Settings;
        var service = settings.Service;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = loaded.ContentRoot });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevels.Parse(settings.LogLevel));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        if (!TryBindAddress(service.Host, out var address))
        {
            Console.Error.WriteLine($"aotvector: configuration error: service.host: '{service.Host}' is not an IP address or 'localhost'");
            return 2;
        }

        var maxBody = (long)service.MaxRequestSizeMb * 1024 * 1024;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = maxBody;
            Listen(k, address, service.Host, service.HttpPort, HttpProtocols.Http1AndHttp2);
            if (service.GrpcPort is { } grpcPort)
            {
                // h2c with prior knowledge, as the official .NET client expects on http://.
                Listen(k, address, service.Host, grpcPort, HttpProtocols.Http2);
            }
        });

        var storagePath = loaded.ResolvePath(settings.Storage.StoragePath);
        using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevels.Parse(settings.LogLevel)));
        VectorEngine engine;
        try
        {
            engine = VectorEngine.Open(ToEngineOptions(settings, storagePath), loggerFactory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("aotvector: cannot open storage: " + e.Message);
            return 1;
        }

        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton<ICollectionsApi>(engine);
        builder.Services.AddSingleton<IPointsApi>(engine);
        builder.Services.AddSingleton(loaded);
        if (service.GrpcPort is not null)
        {
            builder.Services.AddQdrantGrpc((int)Math.Min(maxBody, int.MaxValue));
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

        ServerLog.StorageLoaded(logger, storagePath, engine.CollectionCount, engine.TotalPoints);

        app.UseMiddleware<RequestSizeMiddleware>(maxBody);

        // Path normalization must run before routing picks an endpoint.
        app.UseTrailingSlashTrim();
        app.UseRouting();
        if (service.EnableCors)
        {
            app.UseCors();
        }

        app.MapQdrantRest();
        ServiceEndpoints.Map(app);
        if (service.GrpcPort is { } port)
        {
            app.MapQdrantGrpc();
            ServerLog.GrpcListening(logger, service.Host, port);
        }
        else
        {
            ServerLog.GrpcDisabled(logger);
        }

        ServerLog.RestListening(logger, service.Host, service.HttpPort);
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            ServerLog.ShuttingDown(logger);
        });

        try
        {
            await app.RunAsync().ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine("aotvector: cannot listen: " + e.Message);
            engine.Dispose();
            return 1;
        }

        // Flush segments and close WALs after the last request has finished.
        engine.Dispose();
        return 0;
    }

    private static void Listen(KestrelServerOptions k, IPAddress? address, string host, int port, HttpProtocols protocols)
    {
        if (address is null)
        {
            k.ListenLocalhost(port, o => o.Protocols = protocols);
        }
        else
        {
            k.Listen(address, port, o => o.Protocols = protocols);
        }
    }

    /// <summary>An IP literal, or null for "localhost" (both loopback families).</summary>
    private static bool TryBindAddress(string host, out IPAddress? address)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = null;
            return true;
        }

        return IPAddress.TryParse(host, out address);
    }

    private static EngineOptions ToEngineOptions(ServerSettings settings, string storagePath)
    {
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
            s.OnDiskPayload);
    }
}
