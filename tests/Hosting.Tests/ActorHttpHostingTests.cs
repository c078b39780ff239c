using System.Net;
using System.Net.Sockets;
using ActorHttp.Client;
using ActorHttp.Server;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using ActorHttp.Actors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorHttp.Hosting.Tests;

/// <summary>
/// <c>WithActorHttpServer</c> and <c>WithActorHttpClient</c> in a generic host: routes on actors of the registry,
/// <c>IRequiredActor</c> resolution, settings, and shutdown with the host. Real loopback sockets.
/// </summary>
public sealed class ActorHttpHostingTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>Names the second server of <see cref="A_server_takes_settings_from_hocon_and_from_code"/>.</summary>
    private sealed class AdminServer;

    // The host of the README's app (ReadmeApp.cs), on a free port, with a shutdown probe: at the last phase of
    // CoordinatedShutdown before the system terminates, the live actors under /user are written down.
    private static IHost BuildHost(ShutdownProbe? probe = null, Action<AkkaConfigurationBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("test", akka =>
        {
            akka.WithActors((system, registry) => registry.Register<Greeter>(system.ActorOf(Props.Create<Greeter>(), "greeter")))
                .WithActorHttpServer((mux, registry) => mux.Handle("GET /hello/{name}", registry.Get<Greeter>()), AnyLoopbackPort)
                .WithActorHttpClient();
            more?.Invoke(akka);
            if (probe is not null) akka.AddStartup((system, registry) => probe.Register(system, registry.Get<ActorHttpServer>()));
        });
        return builder.Build();
    }

    [Fact]
    public async Task A_route_is_answered_by_an_actor_of_the_registry_through_HttpClient_and_the_transport()
    {
        using var host = BuildHost();
        await host.StartAsync();
        try
        {
            var server = host.Services.GetRequiredService<IRequiredActor<ActorHttpServer>>();
            var transport = host.Services.GetRequiredService<IRequiredActor<ActorHttpTransport>>();
            var endPoint = await server.GetLocalEndPointAsync();
            Assert.Equal(IPAddress.Loopback, endPoint.Address);
            Assert.NotEqual(0, endPoint.Port);
            Assert.Equal("/user/actorhttp-server", server.ActorRef.Path.ToStringWithoutAddress());
            Assert.Equal("/user/actorhttp-client", transport.ActorRef.Path.ToStringWithoutAddress());

            using (var client = new HttpClient { BaseAddress = new Uri($"http://{endPoint}") })
                Assert.Equal("hello kestrel", await client.GetStringAsync("/hello/kestrel"));

            var reply = await transport.ActorRef.Ask<ClientResponse>(ClientRequest.Get($"http://{endPoint}/hello/actor"), TimeSpan.FromSeconds(10));
            using (reply)
            {
                Assert.Equal(200, reply.StatusCode);
                Assert.Equal("hello actor", await reply.ReadAsStringAsync());
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Stopping_the_host_unbinds_the_server_and_stops_its_actors_before_the_system_terminates()
    {
        var probe = new ShutdownProbe();
        using var host = BuildHost(probe);
        await host.StartAsync();
        var endPoint = await host.Services.GetRequiredService<IRequiredActor<ActorHttpServer>>().GetLocalEndPointAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        using (var client = new HttpClient { BaseAddress = new Uri($"http://{endPoint}") })
            Assert.Equal("hello a", await client.GetStringAsync("/hello/a"));

        await host.StopAsync();

        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.True(probe.ServerStopped.IsCompletedSuccessfully, "the server actor stopped within CoordinatedShutdown");
        Assert.DoesNotContain(probe.LiveAtLastPhase, path => path.StartsWith("/user/actorhttp-server", StringComparison.Ordinal));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(endPoint));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_server_takes_settings_from_hocon_and_from_code()
    {
        using var host = BuildHost(more: akka => akka
            .AddHocon("actorhttp.server.server-header = from-hocon", HoconAddMode.Prepend)
            .WithActorHttpServer<AdminServer>((mux, _) => mux.HandleFunc("GET /healthz", (w, _) => w.WriteAsync("ok").AsTask()),
                AnyLoopbackPort, settings: s => s with { ServerHeader = "from-code" }));
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            // The reference configuration is a fallback of the system's: its defaults are there, under the HOCON added.
            Assert.Equal("127.0.0.1", system.Settings.Config.GetString("actorhttp.server.default-bind-address"));
            Assert.Equal("from-hocon", Http.Get(system).ServerSettings.ServerHeader);

            var main = await host.Services.GetRequiredService<IRequiredActor<ActorHttpServer>>().GetLocalEndPointAsync();
            var admin = host.Services.GetRequiredService<IRequiredActor<AdminServer>>();
            var adminEndPoint = await admin.GetLocalEndPointAsync();
            Assert.Equal("/user/actorhttp-server-adminserver", admin.ActorRef.Path.ToStringWithoutAddress());
            Assert.NotEqual(main.Port, adminEndPoint.Port);

            using var client = new HttpClient();
            using var fromHocon = await client.GetAsync($"http://{main}/hello/x");
            using var fromCode = await client.GetAsync($"http://{adminEndPoint}/healthz");
            Assert.Equal("from-hocon", string.Join(",", fromHocon.Headers.GetValues("Server")));
            Assert.Equal("from-code", string.Join(",", fromCode.Headers.GetValues("Server")));
            Assert.Equal("ok", await fromCode.Content.ReadAsStringAsync());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_port_in_use_fails_the_hosts_start()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(AnyLoopbackPort);
        taken.Listen();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAkka("test", akka => akka
            .WithActorHttpServer((mux, _) => mux.HandleFunc("/", (w, _) => w.WriteAsync("x").AsTask()), (IPEndPoint)taken.LocalEndPoint!));
        using var host = builder.Build();

        await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        await host.StopAsync();
    }

    /// <summary>Names the HTTPS server of <see cref="An_https_server_takes_a_certificate_store_made_from_the_hosts_services"/>.</summary>
    private sealed class HttpsServer;

    [Fact]
    public async Task An_https_server_takes_a_certificate_store_made_from_the_hosts_services()
    {
        // The certificate comes from the container, as one from a vault would; the store gets the server's tls settings.
        var development = ActorHttp.Server.Tls.DevelopmentCertificate.Create();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(development.Certificate);
        builder.Services.AddAkka("test", akka => akka.WithActorHttpServer<HttpsServer>(
            (mux, _, _) => mux.HandleFunc("GET /scheme", (w, r) => w.WriteAsync(r.IsHttps ? "https" : "http").AsTask()),
            AnyLoopbackPort,
            certificates: (tls, resolver) => ActorHttp.Server.Tls.CertificateStore.ForCertificate(
                resolver.GetService<System.Security.Cryptography.X509Certificates.X509Certificate2>(), tls)));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var endPoint = await host.Services.GetRequiredService<IRequiredActor<HttpsServer>>().GetLocalEndPointAsync();
            using var handler = new HttpClientHandler
            {
                // Trusts exactly the development certificate the container handed the server.
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == development.Certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{endPoint.Port}") };
            Assert.Equal("https", await client.GetStringAsync("/scheme"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void The_readme_shows_ReadmeApp_cs_verbatim()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).ReplaceLineEndings("\n");
        var app = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ReadmeApp.cs")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + app + "```\n", readme);
        Assert.True(app.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 30, "the README's app stays under 30 lines");
    }

    /// <summary>
    /// Watches the server from startup and, in CoordinatedShutdown's last phase before the system terminates, writes
    /// down the live actors under <c>/user</c>: what the server's own shutdown left behind.
    /// </summary>
    private sealed class ShutdownProbe
    {
        private readonly TaskCompletionSource _serverStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ServerStopped => _serverStopped.Task;

        public IReadOnlyList<string> LiveAtLastPhase { get; private set; } = [];

        public Task Register(ActorSystem system, IActorRef server)
        {
            system.ActorOf(Props.Create(() => new Watcher(server, _serverStopped)), "server-watcher");
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "probe", async () =>
            {
                // The server's tasks (service-unbind, service-requests-done) ran in earlier phases; its actor stops
                // once its connections are closed, which the watcher reports.
                await ServerStopped.WaitAsync(TimeSpan.FromSeconds(10));
                LiveAtLastPhase = ActorTree.LivePaths(((ExtendedActorSystem)system).Guardian);
                return Done.Instance;
            });
            return Task.CompletedTask;
        }

        private sealed class Watcher : ReceiveActor
        {
            public Watcher(IActorRef server, TaskCompletionSource stopped)
            {
                Context.Watch(server);
                Receive<Terminated>(_ => stopped.TrySetResult());
            }
        }
    }
}
