using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ActorHttp.Actors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHttp.Actors.Tests.Client.Proxy;

/// <summary>
/// Kestrel over TLS on 127.0.0.1 with a self-signed certificate for localhost: the https:// origin behind the
/// test proxy. Every request is answered with its Host field; the server names clients asked for (SNI) are recorded.
/// </summary>
public sealed class HttpsOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<string> _serverNames;

    private HttpsOrigin(WebApplication app, X509Certificate2 certificate, ConcurrentQueue<string> serverNames, int port)
    {
        _app = app;
        _certificate = certificate;
        _serverNames = serverNames;
        Url = new Uri($"https://localhost:{port}/");
    }

    /// <summary>"https://localhost:port/".</summary>
    public Uri Url { get; }

    /// <summary>The SNI names of the TLS handshakes so far.</summary>
    public IReadOnlyList<string> ServerNames => _serverNames.ToArray();

    public static async Task<HttpsOrigin> StartAsync()
    {
        var certificate = SelfSignedCertificate.ForLocalhost();
        var names = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https => https.ServerCertificateSelector = (_, name) =>
            {
                names.Enqueue(name ?? "");
                return certificate;
            });
        }));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"host={context.Request.Host}"));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new HttpsOrigin(app, certificate, names, address.Port);
    }

    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(grace.Token);
        }
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
