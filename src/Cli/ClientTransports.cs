namespace ActorHttp.Cli;

/// <summary>The transports the client commands can run on; <see cref="Default"/> is what the tool uses.</summary>
internal static class ClientTransports
{
    /// <summary>
    /// The actor transport. Until <c>ActorTransport</c> is part of the build the commands fail with
    /// this message rather than fall back to another stack: the tool exists to exercise ours.
    /// </summary>
    public static readonly RoundTripperFactory Default = (_, _) =>
        throw new InvalidOperationException("This build has no actor transport (ActorHttp.Client.Transport.ActorTransport) to run on.");
}
