using ActorHttp.Actors.Tests.Support;
using System.Net;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorHttp.Hosting.Tests;

/// <summary><see cref="HttpServerHostedService"/>: a server on an actor system the caller built, started and stopped with the host.</summary>
public sealed class HttpServerHostedServiceTests
{
    [Fact]
    public async Task The_hosted_service_starts_and_stops_with_the_host()
    {
        using var system = ActorSystem.Create("hosted", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var mux = new ServeMux().HandleFunc("GET /plaintext", (w, _) => w.WriteAsync("Hello, World!").AsTask());
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new HttpServerHostedService(system, mux, new IPEndPoint(IPAddress.Loopback, 0)));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HttpServerHostedService>());
        using var host = builder.Build();

        await host.StartAsync();
        var service = host.Services.GetRequiredService<HttpServerHostedService>();
        var server = service.Server!;
        using (var client = new HttpClient { BaseAddress = new Uri($"http://{server.LocalEndPoint}") })
            Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
        await host.StopAsync();

        // The service stops only the server; the system is the caller's and keeps running.
        Assert.Null(service.Server);
        // The drain's end completes the stop; the server actor's own stop follows it: wait for it, do not race it.
        Assert.True(await server.Actor.WatchAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(ActorTree.LivePaths(server.Actor));
        Assert.False(system.WhenTerminated.IsCompleted);
        await system.Terminate();
    }
}
