using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// Kestrel hosted in the test process on 127.0.0.1 and an ephemeral port, HTTP/1.1 only,
/// serving httpbin-like routes (see <see cref="KestrelPeerRoutes"/>): a server written by
/// others for the client to be proven against. Counts the TCP connections it accepts so tests
/// can assert reuse. Start with <see cref="StartAsync"/>; dispose stops it, aborting whatever
/// is still in flight after a short grace period.
/// </summary>
public sealed class KestrelPeer : IAsyncDisposable
{
    // Graceful stop lets idle keep-alive connections see a FIN; in-flight /delay requests are
    // aborted after this rather than holding a test for Kestrel's 30 s default.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private KestrelPeer(WebApplication app, ConnectionTracker connections, IPEndPoint endPoint)
    {
        _app = app;
        Connections = connections;
        EndPoint = endPoint;
        BaseAddress = new Uri($"http://{endPoint}/");
    }

    /// <summary>The listening address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The listening endpoint.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The TCP connections Kestrel accepted and finished.</summary>
    public ConnectionTracker Connections { get; }

    /// <summary>An absolute URL for <paramref name="pathAndQuery"/> on this peer.</summary>
    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>Starts Kestrel; <paramref name="configure"/> may adjust its options (keep-alive timeout, limits).</summary>
    public static async Task<KestrelPeer> StartAsync(Action<KestrelServerOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var connections = new ConnectionTracker();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(KestrelPeer).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = true;
            // A slow test machine must not turn into 408s: the peer never enforces data rates.
            options.Limits.MinRequestBodyDataRate = null;
            options.Limits.MinResponseDataRate = null;
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async context =>
                {
                    connections.OnAccepted();
                    try
                    {
                        await next(context);
                    }
                    finally
                    {
                        connections.OnClosed();
                    }
                });
            });
            configure?.Invoke(options);
        });
        var app = builder.Build();
        KestrelPeerRoutes.Map(app);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var uri = new Uri(address);
        return new KestrelPeer(app, connections, new IPEndPoint(IPAddress.Loopback, uri.Port));
    }

    /// <summary>Stops Kestrel (graceful for <see cref="StopGrace"/>, then aborting) and frees the port.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(StopGrace))
        {
            await _app.StopAsync(grace.Token);
        }
        await _app.DisposeAsync();
    }

    /// <inheritdoc />
    public override string ToString() => $"KestrelPeer({BaseAddress}, {Connections})";
}
