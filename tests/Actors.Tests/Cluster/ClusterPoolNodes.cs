using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHttp.Actors.Tests.ClusterTests;

/// <summary>
/// Kestrel on 127.0.0.1 for the cluster-wide pool tests: it counts the TCP connections open at once (and the most ever), and its
/// <c>/hold</c> requests wait for <see cref="Release"/>, each reported on <see cref="Held"/> as it arrives, so a test can fill a pool's
/// connections and its queue without a timer. <c>/hello</c> answers "hello", <c>/bytes/{n}</c> n bytes, <c>POST /echo</c> the body,
/// <c>POST /sha256</c> the body's hash in hex and its Content-Length (or "chunked"). <c>/stream/{n}</c> writes n bytes of
/// <see cref="Pattern"/> in 64 KiB writes, each awaited (so Kestrel's send waits on the reader), counted in <see cref="StreamWritten"/>;
/// when it ends, written whole or aborted, it reports the bytes it wrote on <see cref="StreamEnded"/>.
/// </summary>
internal sealed class ClusterPoolPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _held = Channel.CreateUnbounded<string>();
    private readonly Channel<long> _streamEnded = Channel.CreateUnbounded<long>();
    private int _open;
    private int _maxOpen;
    private long _streamWritten;

    private ClusterPoolPeer(WebApplication app) => _app = app;

    public ConnectionTracker Connections { get; } = new();

    /// <summary>The most connections open at once so far.</summary>
    public int MaxOpen => Volatile.Read(ref _maxOpen);

    /// <summary>One entry per <c>/hold</c> request that arrived (its query).</summary>
    public ChannelReader<string> Held => _held.Reader;

    /// <summary>Bytes the <c>/stream</c> requests have handed to Kestrel so far.</summary>
    public long StreamWritten => Interlocked.Read(ref _streamWritten);

    /// <summary>One entry per <c>/stream</c> request that ended: the bytes it wrote.</summary>
    public ChannelReader<long> StreamEnded => _streamEnded.Reader;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The bytes of <c>/stream</c> from <paramref name="offset"/> on: not a repeating block, so a lost or repeated piece shows.</summary>
    public static void Pattern(Span<byte> span, long offset)
    {
        for (int i = 0; i < span.Length; i++)
        {
            ulong x = (ulong)(offset + i);
            span[i] = (byte)((x * 2654435761UL) >> 11 ^ x >> 17);
        }
    }


    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>Lets every <c>/hold</c> request, waiting or to come, answer.</summary>
    public void Release() => _release.TrySetResult();

    public static async Task<ClusterPoolPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        ClusterPoolPeer? peer = null;
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Limits.MinRequestBodyDataRate = null;
            options.Limits.MinResponseDataRate = null;
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async context =>
                {
                    peer!.Opened();
                    try
                    {
                        await next(context);
                    }
                    finally
                    {
                        peer!.Closed();
                    }
                });
            });
        });
        var app = builder.Build();
        peer = new ClusterPoolPeer(app);
        app.MapGet("/hello", () => "hello");
        app.MapGet("/bytes/{n:int}", (int n) => Results.Bytes(new byte[n], "application/octet-stream"));
        app.MapPost("/echo", async (HttpContext ctx) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            return Results.Bytes(body.ToArray(), "application/octet-stream");
        });
        app.MapPost("/sha256", async (HttpContext ctx) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(buffer)) > 0) hash.AppendData(buffer, 0, read);
            return $"{Convert.ToHexStringLower(hash.GetHashAndReset())} {ctx.Request.ContentLength?.ToString() ?? "chunked"}";
        });
        app.MapGet("/stream/{n:long}", async (HttpContext ctx, long n) =>
        {
            long written = 0;
            try
            {
                ctx.Response.ContentLength = n;
                ctx.Response.ContentType = "application/octet-stream";
                var chunk = new byte[64 * 1024];
                while (written < n)
                {
                    var span = chunk.AsMemory(0, (int)Math.Min(chunk.Length, n - written));
                    Pattern(span.Span, written);
                    await ctx.Response.Body.WriteAsync(span, ctx.RequestAborted);
                    written += span.Length;
                    Interlocked.Add(ref peer._streamWritten, span.Length);
                }
            }
            catch (Exception)
            {
                // The reader went away mid-body (an early dispose, a lost node): the connection cannot carry another response.
                ctx.Abort();
            }
            finally
            {
                peer._streamEnded.Writer.TryWrite(written);
            }
        });
        app.MapGet("/hold", async (HttpContext ctx) =>
        {
            peer._held.Writer.TryWrite(ctx.Request.QueryString.Value ?? "");
            await peer._release.Task.WaitAsync(ctx.RequestAborted);
            return "held";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        peer.BaseAddress = new Uri(address);
        return peer;
    }

    private void Opened()
    {
        Connections.OnAccepted();
        var open = Interlocked.Increment(ref _open);
        int max;
        while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max) { }
    }

    private void Closed()
    {
        Interlocked.Decrement(ref _open);
        Connections.OnClosed();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(grace.Token);
        }
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Three (or more) actor systems on 127.0.0.1 joined in one Akka cluster, each with an <see cref="ActorTransport"/> whose
/// cluster-pools are on. The pool of a host is placed on <see cref="Preferred"/> while it is a member (see <see cref="PreferNode"/>).
/// Dispose stops the transports and the systems; then every connection they had is closed.
/// </summary>
internal sealed class ClusterPoolNodes : IAsyncDisposable
{
    /// <summary>The xUnit collection of the tests that start these clusters, so that they run one at a time.</summary>
    public const string Collection = "cluster-pool nodes";

    // Port 0: the OS picks. The throttler adapter lets a test cut a node off. Failure detection and the split-brain resolver are
    // tuned to act within seconds (Akka's defaults take about 20 s); the systems stop without leaving, as the test ends them all.
    public const string Config = """
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, applied-adapters = [trttl] }
        akka.cluster {
          failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s, expected-response-after = 500ms }
          unreachable-nodes-reaper-interval = 200ms
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver { active-strategy = keep-majority, stable-after = 1s }
        }
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        actorhttp.client { cluster-pools = on, max-conns-per-host = 2 }
        """;

    private ClusterPoolNodes(ActorSystem[] systems, ActorTransport[] transports)
    {
        Systems = systems;
        Transports = transports;
    }

    public ActorSystem[] Systems { get; }

    public ActorTransport[] Transports { get; }

    public Address Preferred => Akka.Cluster.Cluster.Get(Systems[0]).SelfAddress;

    public static async Task<ClusterPoolNodes> StartAsync(int count, string extraConfig = "")
    {
        var config = ConfigurationFactory.ParseString(extraConfig + "\n" + Config);
        var systems = Enumerable.Range(0, count).Select(_ => ActorSystem.Create("pools", config)).ToArray();
        try
        {
            var first = Akka.Cluster.Cluster.Get(systems[0]);
            var preferred = first.SelfAddress;
            var transports = new ActorTransport[count];
            for (int i = 0; i < count; i++)
            {
                var cluster = Akka.Cluster.Cluster.Get(systems[i]);
                await cluster.JoinAsync(preferred).WaitAsync(TimeSpan.FromSeconds(20));
                transports[i] = ActorTransport.Create(systems[i], Http.Get(systems[i]).ClientSettings,
                    new TransportOptions { ClusterPoolAllocation = new PreferNode(preferred, cluster.SelfAddress) });
            }
            return new ClusterPoolNodes(systems, transports);
        }
        catch
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
            throw;
        }
    }

    public Task<ClientResponse> SendAsync(int node, ClientRequest request, CancellationToken ct = default) =>
        Transports[node].RoundTripAsync(request, ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in Transports) await transport.DisposeAsync();
        await Task.WhenAll(Systems.Select(s => s.Terminate())).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Every shard on the region of <paramref name="node"/> while that node's region is known; else on the requester's.
    /// The coordinator's node (<paramref name="self"/>) sees its own region with a local address.</summary>
    internal sealed class PreferNode(Address node, Address self) : IShardAllocationStrategy
    {
        public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations) =>
            Task.FromResult(currentShardAllocations.Keys.FirstOrDefault(region => region.Path.Address == node
                || (region.Path.Address.HasLocalScope && self == node)) ?? requester);

        public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
            Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
    }
}
