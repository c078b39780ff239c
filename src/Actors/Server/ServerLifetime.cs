namespace ActorHttp.Server;

/// <summary>
/// Whether a server actor has stopped, readable from outside it: the <see cref="Akka.Actor.CoordinatedShutdown"/>
/// tasks of a server that stopped earlier must finish at once instead of asking a dead actor.
/// </summary>
/// <remarks>Made and completed by the <see cref="HttpServerActor"/> (in <c>PostStop</c>); read by anyone.</remarks>
internal sealed class ServerLifetime
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the server actor has stopped.</summary>
    public Task WhenStopped => _stopped.Task;

    /// <summary>The server actor has stopped.</summary>
    public void Stopped() => _stopped.TrySetResult();
}
