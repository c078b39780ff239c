using ActorHttp.Configuration;
using ActorHttp.Dispatch;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Runtime;

/// <summary>The Http extension: one per system, its reference configuration a fallback the user's configuration overrides.</summary>
public sealed class ExtensionTests
{
    [Fact]
    public async Task The_users_configuration_wins_over_the_reference_and_the_rest_falls_back_to_it()
    {
        var user = ConfigurationFactory.ParseString("""
            actorhttp.server.idle-timeout = 7s
            actorhttp.client.max-conns-per-host = 3
            actorhttp.http.parsing.max-header-count = 9
            """);
        using var system = ActorSystem.Create("extension", user);
        try
        {
            var http = Http.Get(system);

            Assert.Same(http, Http.Get(system));
            Assert.Equal(TimeSpan.FromSeconds(7), http.ServerSettings.IdleTimeout);
            Assert.Equal(3, http.ClientSettings.Defaults.MaxConnsPerHost);
            Assert.Equal(9, http.ServerSettings.Parsing.MaxHeaderCount);
            var reference = ServerSettingsFromReference();
            Assert.Equal(reference.HeaderReadTimeout, http.ServerSettings.HeaderReadTimeout);
            Assert.Equal(reference with { IdleTimeout = TimeSpan.FromSeconds(7), Parsing = http.ServerSettings.Parsing }, http.ServerSettings);
            // The fallback is the system's own: code that reads the system's configuration sees the defaults too.
            Assert.Equal(reference.ServerHeader, system.Settings.Config.GetString("actorhttp.server.server-header"));
            Assert.Equal("7s", system.Settings.Config.GetString("actorhttp.server.idle-timeout"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Event_loop_dispatchers_are_registered_where_loops_run()
    {
        using var system = ActorSystem.Create("loops");
        try
        {
            var loops = Http.Get(system).Loops;
            Assert.Equal(EventLoopDispatchers.IsSupported, loops is not null);
            if (loops is null) return;
            Assert.Equal(Environment.ProcessorCount, loops.Count);
            Assert.True(system.Dispatchers.HasDispatcher(loops.DispatcherId(loops.Count - 1)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task The_extension_serves_and_calls_from_async_code_and_under_HttpClient()
    {
        using var system = ActorSystem.Create("async");
        try
        {
            var http = Http.Get(system);
            var mux = new ActorHttp.Server.ServeMux().HandleFunc("GET /hi/{name}", (w, r) => w.WriteAsync($"hi {r.PathValue("name")}").AsTask());
            var server = await http.StartServerAsync(mux, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

            using var response = await http.CreateClient().GetAsync($"http://{server.LocalEndPoint}/hi/ada");
            Assert.Equal("hi ada", await new StreamReader(response.Body).ReadToEndAsync());
            using var httpClient = http.CreateHttpClient();
            Assert.Equal("hi bob", await httpClient.GetStringAsync($"http://{server.LocalEndPoint}/hi/bob"));
            // Both went through the one shared transport, a system actor users can tell requests to as well.
            Assert.Equal("/user/actorhttp-client", http.Client.Actor.Path.ToStringWithoutAddress());

            await server.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static ActorHttp.Server.ServerSettings ServerSettingsFromReference() => ActorHttp.Server.ServerSettings.FromConfig(ReferenceConfig.Default);
}
