using Akka.Configuration;
using Akka.Dispatch;

namespace ActorHttp.Dispatch;

/// <summary>
/// Makes the <see cref="EventLoopDispatcher"/> of one loop for one actor system; registered with the
/// system's <see cref="Dispatchers"/> by <see cref="EventLoopDispatchers"/>.
/// </summary>
/// <remarks>
/// Akka reads one thing from a configurator's <see cref="MessageDispatcherConfigurator.Config"/>: when
/// an actor is made, it looks its mailbox type up by the config's <c>id</c>, as a path in the system's
/// configuration that holds <c>mailbox-type</c>. A registered dispatcher's own id is not such a path,
/// so that <c>id</c> here names the section every loop is configured from,
/// <c>actorhttp.dispatch.event-loop</c>: its <c>mailbox-type</c> applies to every actor on a loop
/// (unless its Props name a mailbox). The dispatcher's own id is passed on separately.
/// </remarks>
internal sealed class EventLoopDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly EventLoopDispatcher _instance;

    public EventLoopDispatcherConfigurator(string id, int loop, EventLoopSettings settings, IDispatcherPrerequisites prerequisites)
        : base(SectionConfig(loop, prerequisites), prerequisites)
    {
        _instance = new EventLoopDispatcher(this, id, settings.Throughput,
            new EventLoopExecutorConfigurator(Config, prerequisites), settings.ShutdownTimeout);
    }

    public override MessageDispatcher Dispatcher() => _instance;

    private static Config SectionConfig(int loop, IDispatcherPrerequisites prerequisites) =>
        ConfigurationFactory.ParseString($"id = \"{EventLoopSettings.Section}\"\n{EventLoopExecutorConfigurator.LoopIndexKey} = {loop}")
            .WithFallback(prerequisites.Settings.Config.GetConfig(EventLoopSettings.Section));
}
