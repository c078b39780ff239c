using ActorHttp.Client.Transport;

namespace ActorHttp.Cli;

/// <summary>The transports the client commands can run on; <see cref="Default"/> is what the tool uses.</summary>
internal static class ClientTransports
{
    /// <summary>The actor transport: the tool exists to exercise our own stack, so there is no fallback.</summary>
    public static readonly RoundTripperFactory Default = (system, settings) => ActorTransport.Create(system, settings);

    /// <summary>SocketsHttpHandler, capped at the default max-conns-per-host: only for checking the load generator
    /// (<c>bench --transport httpclient</c>).</summary>
    public static readonly RoundTripperFactory HttpClient = (_, settings) => new Bench.HttpClientRoundTripper(settings.Defaults.MaxConnsPerHost);
}
