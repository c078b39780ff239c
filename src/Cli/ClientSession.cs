using ActorHttp.Client;
using ActorHttp.Hocon;
using ActorHttp.Kernel;

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

    /// <summary>Loads the configuration (<paramref name="configFile"/> over the defaults), lets the command adjust the client settings, and makes the transport.</summary>
    public static ClientSession Start(FileInfo? configFile, RoundTripperFactory factory, Func<Config, ClientSettings, ClientSettings>? adjust = null)
    {
        var config = CliConfig.Load(configFile);
        var settings = ClientSettings.FromConfig(config);
        if (adjust is not null) settings = adjust(config, settings);
        var system = ActorSystem.Create("actorhttp", config);
        try
        {
            return new ClientSession(config, system, settings, factory(system, settings));
        }
        catch
        {
            _ = system.Terminate();
            throw;
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
