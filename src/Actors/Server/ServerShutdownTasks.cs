using Akka;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// A server's part in its system's <see cref="CoordinatedShutdown"/>: in <c>service-unbind</c> it stops accepting,
/// in <c>service-requests-done</c> it lets in-flight requests finish, answers queued ones with 503 and closes
/// (Akka HTTP's <c>ServerBinding.terminate</c> at the same phases).
/// </summary>
internal static class ServerShutdownTasks
{
    /// <summary>Adds <paramref name="server"/>'s tasks to <paramref name="system"/>'s shutdown. A server already stopped then finishes its tasks at once.</summary>
    public static void Register(ActorSystem system, IActorRef server, ServerLifetime lifetime, ServerSettings settings)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        var name = server.Path.Name;
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, $"actorhttp-unbind-{name}",
            () => AskUnlessStopped(server, HttpServerActor.Unbind.Instance, lifetime, shutdown.Timeout(CoordinatedShutdown.PhaseServiceUnbind)));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, $"actorhttp-requests-done-{name}", () =>
        {
            // The phase has its own timeout; the drain must end before it, or the system would stop the
            // connections with the requests still running and no 503 for the queued ones.
            var phase = shutdown.Timeout(CoordinatedShutdown.PhaseServiceRequestsDone);
            var deadline = settings.ShutdownTimeout < phase ? settings.ShutdownTimeout : phase * 0.9;
            return AskUnlessStopped(server, new HttpServerActor.Shutdown(deadline), lifetime, phase);
        });
    }

    private static async Task<Done> AskUnlessStopped(IActorRef server, object message, ServerLifetime lifetime, TimeSpan timeout)
    {
        if (lifetime.WhenStopped.IsCompleted) return Done.Instance;
        // A server that stops meanwhile never answers: its lifetime ends the wait instead.
        var reply = server.Ask<object>(message, timeout);
        await Task.WhenAny(reply, lifetime.WhenStopped).ConfigureAwait(false);
        _ = reply.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return Done.Instance;
    }
}
