using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AotVector.Common.Errors;
using Result = AotVector.Common.Errors.Result<bool>;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Snapshots;
using AotVector.Protocol.Grpc.P2p;
using AotVector.Server.Config;
using AotVector.Server.Security;
using AotVector.Storage.Files;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Http;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using DotNext.Net.Http;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AotVector.Server.Cluster;

/// <summary>
/// This process as a cluster peer: its identity, the p2p listener (an HTTP/2-only Kestrel app on
/// <c>cluster.p2p.port</c>, h2c or mutual TLS) that carries DotNext's Raft endpoint, our internal consensus calls
/// (propose, join, remove peer) and the data-plane services, and the join itself. API keys do not apply on this
/// port; with <c>cluster.p2p.enable_tls</c> every connection must present a certificate from <c>tls.ca_cert</c>.
/// </summary>
internal sealed partial class ConsensusNode : IClusterReadiness, IAsyncDisposable
{
    public const string JoinPath = "/aotvector.p2p/join";
    public const string RemovePeerPath = "/aotvector.p2p/remove_peer";

    private const string PeerStateFileName = "peer.json";

    private readonly WebApplication _app;
    private readonly CertificateProvider? _tls;
    private readonly ILogger _logger;
    private readonly string _stateFile;
    private readonly Uri? _bootstrap;
    private readonly bool _fresh;
    private readonly bool _firstPeer;
    private readonly TimeSpan _bootstrapTimeout;
    private readonly TimeSpan _retryDelay;
    private readonly SemaphoreSlim _membership = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _joined;
    private RemoteShards? _remotes;

    private ConsensusNode(WebApplication app, CertificateProvider? tls, ILogger logger, ulong peerId, Uri uri, ClusterMetadata metadata,
        LocalMetadataApplier applier, string stateFile, Uri? bootstrap, bool fresh, bool firstPeer, ClusterSettings settings)
    {
        _app = app;
        _tls = tls;
        _logger = logger;
        PeerId = peerId;
        Uri = uri;
        Metadata = metadata;
        Applier = applier;
        _stateFile = stateFile;
        _bootstrap = bootstrap;
        _fresh = fresh;
        _firstPeer = firstPeer;
        _bootstrapTimeout = TimeSpan.FromSeconds(settings.Consensus.BootstrapTimeoutSec);
        _retryDelay = TimeSpan.FromMilliseconds(Math.Max(settings.Consensus.TickPeriodMs * 2, 10));
        Raft = app.Services.GetRequiredService<IRaftCluster>();
        HttpRaft = app.Services.GetRequiredService<IRaftHttpCluster>();
        Log = (WriteAheadLog)app.Services.GetRequiredService<IPersistentState>();
        Client = new HttpClient(PeerTls.CreateHandler(tls, TimeSpan.FromMilliseconds(settings.ConnectionTimeoutMs)))
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromMilliseconds(settings.GrpcTimeoutMs),
        };
        Proposer = new MetaProposer(Raft, app.Services.GetRequiredService<ConsensusState>(), Client, _retryDelay);
    }

    public ulong PeerId { get; }

    /// <summary>This peer's p2p URI, as the others reach it (its Raft member address too).</summary>
    public Uri Uri { get; }

    public ClusterMetadata Metadata { get; }

    public LocalMetadataApplier Applier { get; }

    public IRaftCluster Raft { get; }

    public IRaftHttpCluster HttpRaft { get; }

    public WriteAheadLog Log { get; }

    public MetaProposer Proposer { get; }

    /// <summary>Consensus messages that did not reach their peer, by address (<c>message_send_failures</c>).</summary>
    public required PeerSendFailures SendFailures { get; init; }

    public required ClusterSettings Settings { get; init; }

    /// <summary>Client for internal calls to other peers' p2p ports (same TLS as Raft's).</summary>
    public HttpClient Client { get; }

    /// <summary>Joined (this peer is in the agreed peers) and nothing committed is left to apply here.</summary>
    public string? NotReadyReason
    {
        get
        {
            if (!_joined || !Metadata.Peers.ContainsKey(PeerId))
            {
                return "this peer has not joined the cluster yet";
            }

            if (Raft.Leader is null)
            {
                return "the cluster has no leader";
            }

            return Log.LastAppliedIndex < Log.LastCommittedEntryIndex ? "this peer is catching up with the consensus log" : null;
        }
    }

    /// <summary>
    /// Builds the p2p app and restores the consensus state from storage (the snapshot, then the log replays).
    /// Null with the reason on stderr when the identity or TLS setup cannot work.
    /// </summary>
    public static async Task<ConsensusNode?> CreateAsync(LoadedSettings loaded, string? cliUri, string? cliBootstrap, VectorEngine engine,
        string storagePath, IPAddress[]? addresses, Action<ILoggingBuilder> configureLogging, ILoggerFactory loggerFactory)
    {
        var settings = loaded.Settings.Cluster;
        var logger = loggerFactory.CreateLogger("AotVector.Cluster");
        var port = settings.P2p.Port!.Value;
        var consensusPath = Path.Combine(storagePath, "consensus");
        Directory.CreateDirectory(consensusPath);
        var stateFile = Path.Combine(consensusPath, PeerStateFileName);
        var peerId = PeerIdentity.Load(storagePath, settings.PeerId);
        var scheme = settings.P2p.EnableTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;

        Uri? bootstrap = null;
        Uri uri;
        bool firstPeer;
        var saved = ReadPeerState(stateFile);
        var fresh = saved is null;
        if (saved is not null)
        {
            // The reference's rule: local consensus state wins, the command line's URIs are ignored.
            if (cliUri is not null || cliBootstrap is not null)
            {
                ClusterLog.CliIgnored(logger);
            }

            PeerUri.TryParse(saved.Uri, out var savedUri, out _);
            uri = savedUri!;
            firstPeer = saved.FirstPeer;
        }
        else
        {
            if (cliBootstrap is not null)
            {
                PeerUri.TryParse(cliBootstrap, out bootstrap, out _);
            }

            firstPeer = bootstrap is null;
            if (cliUri is not null)
            {
                PeerUri.TryParse(cliUri, out var given, out _);
                uri = given!;
            }
            else if (bootstrap is not null && LocalAddressTowards(bootstrap) is { } local)
            {
                // The reference lets the bootstrap peer see our address; the address our packets leave from is the same.
                uri = PeerUri.Normalize(new UriBuilder(scheme, local.ToString(), port).Uri);
            }
            else
            {
                Console.Error.WriteLine("aotvector: configuration error: the first peer of a cluster needs --uri (its p2p address, e.g. "
                    + $"{scheme}://10.0.0.1:{port}); the others need --bootstrap");
                return null;
            }
        }

        foreach (var (name, value) in (ReadOnlySpan<(string, Uri?)>)[("--uri", uri), ("--bootstrap", bootstrap)])
        {
            if (value is not null && value.Scheme != scheme)
            {
                Console.Error.WriteLine($"aotvector: configuration error: {name} {value} must use {scheme}:// "
                    + (settings.P2p.EnableTls ? "(cluster.p2p.enable_tls is true)" : "(cluster.p2p.enable_tls is false)"));
                return null;
            }
        }

        CertificateProvider? tls = null;
        if (settings.P2p.EnableTls)
        {
            var t = loaded.Settings.Tls;
            TimeSpan? ttl = t.CertTtlSec is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
            if (!CertificateProvider.Create(loaded.ResolvePath(t.Cert!), loaded.ResolvePath(t.Key!), loaded.ResolvePath(t.CaCert!), ttl, TimeProvider.System)
                    .TryGet(out tls, out var tlsError))
            {
                Console.Error.WriteLine("aotvector: configuration error: cluster.p2p.enable_tls: " + tlsError.Message);
                return null;
            }
        }

        var metadata = new ClusterMetadata(peerId);
        // The engine reaches other peers' shards over p2p gRPC (with this peer's client certificate under TLS) and
        // reports replicas that fail writes as proposals; both are ready before the log replays into it.
        ConsensusNode? created = null;
        var remotes = new RemoteShards(
            id => metadata.Peers.TryGetValue(id, out var address) ? new Uri(address) : null,
            PeerTls.CreateHandler(tls, TimeSpan.FromMilliseconds(settings.ConnectionTimeoutMs)),
            TimeSpan.FromMilliseconds(settings.GrpcTimeoutMs));
        engine.UseCluster(new ClusterLinks(peerId, remotes, new ReplicaFailureReporter(() => created?.Proposer, logger)) { Transfers = metadata.Transfers });
        var applier = new LocalMetadataApplier(engine, logger)
        {
            Metadata = metadata,
            Propose = (op, timeout) => created!.Proposer.ProposeAsync(op, timeout, created._stopping.Token),
        };
        metadata.Listener = applier;
        var state = new ConsensusState(metadata, Path.Combine(consensusPath, "snapshot"), settings.Consensus.CompactWalEntries);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = loaded.ContentRoot });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        // DotNext warns with a full stack trace on every heartbeat to an unreachable member; the leader changes we
        // log ourselves say what an operator needs.
        builder.Logging.AddFilter("DotNext", LogLevel.Error);
        // As on the public ports: no line per request, no host chatter (Raft heartbeats are requests here).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        if (tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            void Configure(ListenOptions o)
            {
                o.Protocols = HttpProtocols.Http2;
                if (tls is not null)
                {
                    o.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        OnConnection = static context => ValueTask.FromResult(((CertificateProvider)context.State!).CreateOptions()),
                        OnConnectionState = tls,
                    });
                }
            }

            if (addresses is null)
            {
                k.ListenLocalhost(port, Configure);
            }
            else
            {
                foreach (var address in addresses)
                {
                    k.Listen(address, port, Configure);
                }
            }
        });

        var tick = TimeSpan.FromMilliseconds(settings.Consensus.TickPeriodMs);
        builder.JoinCluster((cfg, _, _) =>
        {
            cfg.PublicEndPoint = uri;
            cfg.ColdStart = firstPeer && fresh;
            // The reference's raft timing in ticks: elections after 20 to 40 ticks without a leader, heartbeats every 2.
            cfg.LowerElectionTimeout = (int)(tick * 20).TotalMilliseconds;
            cfg.UpperElectionTimeout = (int)(tick * 40).TotalMilliseconds;
            cfg.HeartbeatThreshold = 0.1;
            cfg.ProtocolVersion = HttpProtocolVersion.Http2;
            cfg.ProtocolVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        });
        builder.Services.AddSingleton(state);
        var sendFailures = new PeerSendFailures(logger);
        builder.Services.AddSingleton<IHttpMessageHandlerFactory>(new PeerHandlerFactory(tls, TimeSpan.FromMilliseconds(settings.ConnectionTimeoutMs), sendFailures));
        builder.Services.UseStateMachine<MetadataStateMachine>(new WriteAheadLog.Options { Location = Path.Combine(consensusPath, "wal") });
        builder.Services.UsePersistentConfigurationStorage(Path.Combine(consensusPath, "members"));
        // The data-plane services share this listener, and see the same engine the public ports serve.
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton<ICollectionsApi>(engine);
        builder.Services.AddSingleton<IPointsApi>(engine);
        builder.Services.AddSingleton<ILocalShards>(engine);
        builder.Services.AddPeerServices();

        var app = builder.Build();
        await app.RestoreStateAsync<MetadataStateMachine>(CancellationToken.None).ConfigureAwait(false);
        var node = new ConsensusNode(app, tls, logger, peerId, uri, metadata, applier, stateFile, bootstrap, fresh, firstPeer, settings) { _remotes = remotes, SendFailures = sendFailures, Settings = settings, Engine = engine };
        created = node;
        node.Transfers = new ShardTransferDriver(node, logger);
        applier.CaughtUp = () => node.NotReadyReason is null;
        applier.Start();
        app.UseConsensusProtocolHandler();
        app.UseRouting();
        P2pEndpoints.Map(app, node);
        TransferEndpoints.Map(app, node);
        app.MapPeerServices();
        return node;
    }

    /// <summary>Opens the p2p port (Raft starts with it) and joins: run after the public ports are up.</summary>
    public async Task<string?> StartAsync()
    {
        try
        {
            await _app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return "cannot listen on cluster.p2p.port: " + e.Message;
        }

        _tls?.Start(_logger);
        Transfers.Start();
        ClusterLog.Listening(_logger, Uri.ToString(), PeerId, _tls is not null);
        Raft.LeaderChanged += (_, leader) =>
        {
            if (leader?.EndPoint is UriEndPoint endpoint)
            {
                ClusterLog.LeaderChanged(_logger, endpoint.Uri.ToString(), leader.IsRemote ? "" : " (this peer)");
            }
            else
            {
                ClusterLog.NoLeader(_logger);
            }
        };
        if (!_fresh)
        {
            _joined = true;
            ClusterLog.Rejoining(_logger);
            return null;
        }

        if (_firstPeer)
        {
            WritePeerState();
            _joined = true;
            _ = Task.Run(RegisterFirstPeerAsync);
            return null;
        }

        var joined = await JoinAsync(_bootstrap!).ConfigureAwait(false);
        if (joined is not null)
        {
            return joined;
        }

        WritePeerState();
        _joined = true;
        ClusterLog.Joined(_logger, _bootstrap!.ToString());
        return null;
    }

    /// <summary>The first peer adds itself to the agreed peers once it leads its one-member cluster.</summary>
    private async Task RegisterFirstPeerAsync()
    {
        while (!_stopping.IsCancellationRequested && !Metadata.Peers.ContainsKey(PeerId))
        {
            var result = await Proposer.ProposeAsync(MetaOp.AddPeer(PeerId, Uri.ToString()), _bootstrapTimeout, _stopping.Token).ConfigureAwait(false);
            if (!result.IsOk && result.Error.Kind != ErrorKind.Timeout)
            {
                ClusterLog.JoinFailed(_logger, result.Error.Message);
                return;
            }
        }
    }

    /// <summary>Asks the bootstrap peer (which forwards to the leader) to add this peer; null once added.</summary>
    private async Task<string?> JoinAsync(Uri bootstrap)
    {
        var deadline = DateTime.UtcNow + _bootstrapTimeout;
        var request = JsonSerializer.SerializeToUtf8Bytes(new JoinRequest(PeerId, Uri.ToString()), P2pJsonContext.Default.JoinRequest);
        string lastProblem = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            var answer = await PostAsync(bootstrap, JoinPath, request, deadline - DateTime.UtcNow).ConfigureAwait(false);
            if (answer.TryGet(out _, out var error))
            {
                using var wait = new CancellationTokenSource(deadline - DateTime.UtcNow + TimeSpan.FromSeconds(1));
                while (!Metadata.Peers.ContainsKey(PeerId))
                {
                    try
                    {
                        await Task.Delay(_retryDelay, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return $"joined through {bootstrap} but the cluster's log did not reach this peer in time";
                    }
                }

                return null;
            }

            if (error.Kind is ErrorKind.BadRequest or ErrorKind.AlreadyExists)
            {
                return $"{bootstrap} refused to add this peer: {error.Message}";
            }

            lastProblem = error.Message;
            await Task.Delay(_retryDelay * 5).ConfigureAwait(false);
        }

        return $"could not join the cluster through {bootstrap} within cluster.consensus.bootstrap_timeout_sec: {lastProblem}";
    }

    /// <summary>POSTs an internal request to a peer's p2p port; a transport failure is an Unavailable error.</summary>
    public async Task<Result> PostAsync(Uri peer, string path, byte[] body, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await Client.PostAsync(new Uri(peer, path), content, cts.Token).ConfigureAwait(false);
            var answer = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false), P2pJsonContext.Default.P2pAnswer, cts.Token).ConfigureAwait(false);
            return answer?.ToResult() ?? new AvError(ErrorKind.Unavailable, $"{peer} answered {(int)response.StatusCode} without a reason");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return new AvError(ErrorKind.Unavailable, $"{peer} did not answer: {e.Message}");
        }
    }

    /// <summary>The leader's URI, or null while there is none.</summary>
    public Uri? LeaderUri => Raft.Leader?.EndPoint is UriEndPoint endpoint ? PeerUri.Normalize(endpoint.Uri) : null;

    public bool IsLeader => Raft.Leader is { IsRemote: false };

    /// <summary>Runs <paramref name="local"/> on the leader: here when this peer leads, else forwarded to it.</summary>
    public async Task<Result> OnLeaderAsync(string path, byte[] body, Func<Task<Result>> local)
    {
        var deadline = DateTime.UtcNow + MetaProposer.DefaultTimeout;
        while (true)
        {
            if (IsLeader)
            {
                return await local().ConfigureAwait(false);
            }

            if (LeaderUri is { } leader)
            {
                var answer = await PostAsync(leader, path, body, deadline - DateTime.UtcNow).ConfigureAwait(false);
                if (answer.IsOk || answer.Error.Kind != ErrorKind.Unavailable || DateTime.UtcNow >= deadline)
                {
                    return answer;
                }
            }
            else if (DateTime.UtcNow >= deadline)
            {
                return new AvError(ErrorKind.Unavailable, "the cluster has no leader");
            }

            await Task.Delay(_retryDelay).ConfigureAwait(false);
        }
    }

    public Task<Result> JoinOnLeaderAsync(JoinRequest request, byte[] body) =>
        OnLeaderAsync(JoinPath, body, () => AddPeerAsLeaderAsync(request));

    public Task<Result> RemovePeerOnLeaderAsync(ulong peerId, byte[] body) =>
        OnLeaderAsync(RemovePeerPath, body, () => RemovePeerAsLeaderAsync(peerId));

    /// <summary>The leader adds a peer: a Raft member first (it catches up), then an agreed peer with its id.</summary>
    public async Task<Result> AddPeerAsLeaderAsync(JoinRequest request)
    {
        if (request.PeerId is 0 or > PeerIdentity.MaxConfigured + 1)
        {
            return AvError.BadRequest($"peer id {request.PeerId} is out of range");
        }

        if (!PeerUri.TryParse(request.Uri, out var uri, out var uriError))
        {
            return AvError.BadRequest("peer URI: " + uriError);
        }

        if (uri.Scheme != Uri.Scheme)
        {
            return AvError.BadRequest($"peer URI {uri} must use {Uri.Scheme}:// like the rest of the cluster");
        }

        await _membership.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var (id, known) in Metadata.Peers)
            {
                if (id != request.PeerId && known == uri.ToString())
                {
                    if (Metadata.Collections.Any(c => c.ShardsOn(id).Any()))
                    {
                        return AvError.BadRequest($"URI {uri} is already used by peer {id}, which still has shards");
                    }

                    var removed = await Proposer.ProposeAsync(MetaOp.RemovePeer(id), MetaProposer.DefaultTimeout, CancellationToken.None).ConfigureAwait(false);
                    if (!removed.IsOk)
                    {
                        return removed;
                    }
                }
            }

            if (!IsMember(uri))
            {
                using var cts = new CancellationTokenSource(_bootstrapTimeout);
                if (!await HttpRaft.AddMemberAsync(uri, cts.Token).ConfigureAwait(false))
                {
                    return new AvError(ErrorKind.Unavailable, $"the leader could not reach {uri} to add it");
                }
            }

            return await Proposer.ProposeAsync(MetaOp.AddPeer(request.PeerId, uri.ToString()), MetaProposer.DefaultTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AvError(ErrorKind.Unavailable, $"adding {uri} failed, try again: {e.Message}");
        }
        finally
        {
            _membership.Release();
        }
    }

    /// <summary>The leader removes a peer: from the agreed peers (its replicas go), then from the Raft members.</summary>
    public async Task<Result> RemovePeerAsLeaderAsync(ulong peerId)
    {
        if (!Metadata.Peers.TryGetValue(peerId, out var known))
        {
            return AvError.NotFound($"Peer {peerId} does not exist");
        }

        // Membership changes go one at a time (DotNext refuses a concurrent one); a failure is reported, not thrown.

        await _membership.WaitAsync().ConfigureAwait(false);
        try
        {
            var removed = await Proposer.ProposeAsync(MetaOp.RemovePeer(peerId), MetaProposer.DefaultTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!removed.IsOk)
            {
                return removed;
            }

            var uri = new Uri(known);
            if (IsMember(uri))
            {
                using var cts = new CancellationTokenSource(MetaProposer.DefaultTimeout);
                await HttpRaft.RemoveMemberAsync(uri, cts.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AvError(ErrorKind.Unavailable, $"removing peer {peerId} failed, try again: {e.Message}");
        }
        finally
        {
            _membership.Release();
        }
    }

    private bool IsMember(Uri uri) =>
        Raft.Members.Any(m => m.EndPoint is UriEndPoint e && PeerUri.Normalize(e.Uri) == uri);

    /// <summary>The peer id behind a Raft member's address, 0 when the metadata does not name it (yet).</summary>
    public ulong PeerIdOf(Uri? uri)
    {
        if (uri is null)
        {
            return 0;
        }

        var text = PeerUri.Normalize(uri).ToString();
        foreach (var (id, known) in Metadata.Peers)
        {
            if (known == text)
            {
                return id;
            }
        }

        return 0;
    }

    private static PeerStateFile? ReadPeerState(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize(File.ReadAllBytes(path), P2pJsonContext.Default.PeerStateFile);
    }

    private void WritePeerState() =>
        AtomicFile.WriteAllBytes(_stateFile, JsonSerializer.SerializeToUtf8Bytes(new PeerStateFile(Uri.ToString(), _firstPeer), P2pJsonContext.Default.PeerStateFile));

    private static IPAddress? LocalAddressTowards(Uri peer)
    {
        try
        {
            var target = IPAddress.TryParse(peer.Host, out var ip) ? ip : Dns.GetHostAddresses(peer.Host).FirstOrDefault();
            if (target is null)
            {
                return null;
            }

            // Connecting a datagram socket sends nothing; it only picks the route, and with it our address.
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(target, peer.Port);
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Transfers.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        Applier.Complete();
        await Applier.Completion.ConfigureAwait(false);
        Client.Dispose();
        _remotes?.Dispose();
        _tls?.Dispose();
        _stopping.Dispose();
        _membership.Dispose();
    }
}
