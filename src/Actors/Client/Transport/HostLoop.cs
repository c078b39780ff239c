using ActorHttp.Dispatch;

namespace ActorHttp.Client.Transport;

/// <summary>The event loop a host's pool and its connections run on (see <see cref="PoolPlacement"/>).</summary>
/// <param name="Loops">The system's event-loop dispatchers.</param>
/// <param name="Index">Which loop.</param>
internal sealed record HostLoop(EventLoopDispatchers Loops, int Index)
{
    /// <summary>The Akka dispatcher of the loop.</summary>
    public string DispatcherId => Loops.DispatcherId(Index);
}
