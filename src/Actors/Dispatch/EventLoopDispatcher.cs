using Akka.Dispatch;

namespace ActorHttp.Dispatch;

/// <summary>
/// An Akka dispatcher whose actors all run on one event loop's thread, next to that loop's sockets:
/// Akka's own <see cref="Dispatcher"/> (mailbox scheduling, throughput, attach and detach) over an
/// <see cref="EventLoopExecutor"/>.
/// </summary>
/// <remarks>
/// Made by <see cref="EventLoopDispatchers"/>, one per loop, under the id
/// <see cref="EventLoopDispatchers.DispatcherId"/>. Its throughput deadline is always off: Akka.NET
/// 1.5.x compares the deadline's duration with a timestamp, which cuts every run to one message once
/// the process has been up longer than the deadline.
/// </remarks>
public sealed class EventLoopDispatcher : Dispatcher
{
    internal EventLoopDispatcher(MessageDispatcherConfigurator configurator, string id, int throughput,
        EventLoopExecutorConfigurator executors, TimeSpan shutdownTimeout)
        : base(configurator, id, throughput, null, executors, shutdownTimeout)
    {
        Executors = executors;
    }

    /// <summary>Index of the loop whose thread runs this dispatcher's actors.</summary>
    public int Loop => Executors.LoopIndex;

    /// <summary>Where the executors come from (tests: how many were produced and shut down).</summary>
    internal EventLoopExecutorConfigurator Executors { get; }

    /// <summary>Actors attached to this dispatcher now (tests: nothing is left behind).</summary>
    internal long ActorCount => Inhabitants;
}
