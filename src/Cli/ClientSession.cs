using ActorHttp.Client;
using ActorHttp.Configuration;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Cli;

/// <summary>
/// What a client command runs in: the configuration, an actor system, the client settings and the
/// round tripper made from them. Disposing it disposes the round tripper and terminates the system.
/// </summary>
internal sealed class ClientSession : IAsyncDisposable
{
    private ClientSession(Config config, ActorSystem system, ClientSettings settings, IRoundTripper transport)
    {
        Config = config;
        System = system;
        Settings = settings;
        Transport = transport;
    }

    public Config Config { get; }
    public ActorSystem System { get; }
    public ClientSettings Settings { get; }
    public IRoundTripper Transport { get; }

    /// <summary>
    /// Loads the configuration (<paramref name="configFile"/> over the defaults), lets the command adjust the
    /// client settings, and makes the transport; when any of that fails, says why on standard error and returns null.
    /// </summary>
    public static async Task<ClientSession?> TryStartAsync(FileInfo? configFile, RoundTripperFactory factory, CliConsole console,
        string command, Func<ClientSettings, ClientSettings>? adjust = null)
    {
        Config config;
        ClientSettings settings;
        try
        {
            config = CliConfig.Load(configFile);
            settings = ClientSettings.FromConfig(config);
            if (adjust is not null) settings = adjust(settings);
        }
        catch (Exception e) when (e is ConfigurationException or IOException)
        {
            await console.Error.WriteLineAsync($"actorhttp {command}: configuration: {e.Message}").ConfigureAwait(false);
            return null;
        }
        var system = ActorSystem.Create("actorhttp", CliConfig.ForActorSystem(config));
        try
        {
            return new ClientSession(config, system, settings, factory(system, settings));
        }
        catch (Exception e) when (e is InvalidOperationException or ConfigurationException or ArgumentException)
        {
            await system.Terminate().ConfigureAwait(false);
            await console.Error.WriteLineAsync($"actorhttp {command}: cannot start the transport: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        switch (Transport)
        {
            case IAsyncDisposable a: await a.DisposeAsync().ConfigureAwait(false); break;
            case IDisposable d: d.Dispose(); break;
        }
        await System.Terminate().ConfigureAwait(false);
    }
}
