using Akka.Dispatch;

namespace ActorHttp.Dispatch;

/// <summary>
/// The Akka executor of one event-loop dispatcher: it hands every runnable (an actor's mailbox, or a
/// task given to <c>Dispatcher.Schedule</c>) to its <see cref="EventLoop"/>.
/// </summary>
/// <remarks>
/// Akka shuts a dispatcher's executor down when the dispatcher has had no actors for its
/// <c>shutdown-timeout</c>, and produces a new one for the next actor. The loop is process-wide and
/// owns sockets, so shutting the executor down only tells its configurator (which counts it): the
/// next executor is bound to the same loop and thread.
/// </remarks>
internal sealed class EventLoopExecutor(string id, EventLoop loop, EventLoopExecutorConfigurator producer) : ExecutorService(id)
{
    /// <summary>The loop this executor runs on.</summary>
    public EventLoop Loop => loop;

    public override void Execute(IRunnable run) => loop.Execute(run);

    public override void Shutdown() => producer.OnShutdown();
}
