using ActorHttp.Client.Transport;

namespace ActorHttp.Cli;

/// <summary>The transports the client commands can run on; <see cref="Default"/> is what the tool uses.</summary>
internal static class ClientTransports
{
    /// <summary>The actor transport: the tool exists to exercise our own stack, so there is no fallback.</summary>
    public static readonly RoundTripperFactory Default = (system, settings) => ActorTransport.Create(system, settings);
}
