using ActorHttp.Kernel;

namespace ActorHttp.Kernel.Tests;

/// <summary>Small actors shared by the tests.</summary>
internal static class TestActors
{
    /// <summary>Replies with what it gets.</summary>
    public sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    /// <summary>Forwards everything it gets to a target (keeping the sender).</summary>
    public sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    /// <summary>Reports its lifecycle to a probe and throws on demand.</summary>
    public sealed class Lifecycle : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly string _id;
        private int _state;

        public Lifecycle(IActorRef probe, string id)
        {
            _probe = probe;
            _id = id;
            probe.Tell($"{id}:ctor", ActorRefs.NoSender);
            Receive<Exception>(e => throw e);
            Receive<string>(s => s == "state", _ => Sender.Tell(_state));
            Receive<string>(s => s == "inc", _ => _state++);
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p, "child")));
            ReceiveAny(m => probe.Tell($"{id}:got:{m}", Self));
        }

        protected override void PreStart() => _probe.Tell($"{_id}:preStart", Self);

        protected override void PostStop() => _probe.Tell($"{_id}:postStop", Self);

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"{_id}:preRestart:{reason.Message}:{message?.GetType().Name}", Self);
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _probe.Tell($"{_id}:postRestart", Self);
            base.PostRestart(reason);
        }
    }

    /// <summary>A parent with a given strategy that creates children on request.</summary>
    public sealed class Supervisor : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public Supervisor(SupervisorStrategy strategy)
        {
            _strategy = strategy;
            Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name)));
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;
    }
}
