using System.Net.Sockets;
using ActorHttp.Dispatch;
using ActorHttp.Net.Epoll;
using Akka.Actor;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>The actors the event-loop tests place on loops.</summary>
internal static class LoopTestActors
{
    /// <summary>A hop of a chain: where it ran and how many runnables its loop had run before this one.</summary>
    public sealed record Hopped(int Hop, Where Where, long LoopRunsBefore);

    /// <summary>Reports <see cref="Hopped"/> to the probe and passes the hop on to the next actor of the chain.</summary>
    public sealed class Hop(EventLoop loop, IActorRef probe, IActorRef? next) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            var hop = (int)message;
            probe.Tell(new Hopped(hop, Where.Here, loop.Runs));
            next?.Tell(hop + 1);
        }
    }

    /// <summary>Answers <see cref="Where"/> like <see cref="WhereActor"/>, and lets the test see whether its instance is still alive.</summary>
    public sealed class Tracked : UntypedActor
    {
        public Tracked(List<WeakReference> instances)
        {
            lock (instances) instances.Add(new WeakReference(this));
        }

        protected override void OnReceive(object message) => Sender.Tell(Where.Here);
    }

    public sealed record Partner(IActorRef Actor);

    public sealed class Ball
    {
        public static readonly Ball Instance = new();
    }

    /// <summary>Returns every <see cref="Ball"/> to its partner until told "stop"; "count" answers how many it returned.</summary>
    public sealed class PingPong : UntypedActor
    {
        private IActorRef? _partner;
        private long _returned;
        private bool _stopped;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Partner p:
                    _partner = p.Actor;
                    break;
                case Ball when !_stopped:
                    _returned++;
                    _partner!.Tell(Ball.Instance);
                    break;
                case "stop":
                    _stopped = true;
                    Sender.Tell(_returned);
                    break;
                case "count":
                    Sender.Tell(_returned);
                    break;
            }
        }
    }

    /// <summary>The owner has parked a wait for data on its socket.</summary>
    public sealed record Parked(Where Where);

    /// <summary>The owner's parked wait finished: data (or the peer's close) arrived.</summary>
    public sealed record Readable(Where Where);

    private sealed class ReceiveCompleted
    {
        public static readonly ReceiveCompleted Instance = new();
    }

    /// <summary>
    /// Registers <paramref name="socket"/> with loop <paramref name="loop"/> and waits for data with an
    /// <see cref="EpollReceiver"/>, telling <paramref name="probe"/> when it parked and when the data
    /// arrived; releases the registration when it stops. Meant to run on the same loop.
    /// </summary>
    public sealed class SocketOwner(EventLoopDispatchers loops, int loop, Socket socket, IActorRef probe) : UntypedActor
    {
        private EpollSocket? _epoll;
        private EpollReceiver? _receiver;

        protected override void PreStart()
        {
            _epoll = loops.Register(socket, loop);
            _receiver = new EpollReceiver(_epoll, Self, ReceiveCompleted.Instance);
            if (_receiver.Receive(socket, Memory<byte>.Empty)) probe.Tell(new Readable(Where.Here));
            else probe.Tell(new Parked(Where.Here));
        }

        protected override void OnReceive(object message)
        {
            if (message is ReceiveCompleted) probe.Tell(new Readable(Where.Here));
        }

        protected override void PostStop()
        {
            _receiver?.Dispose();
            _epoll?.Close();
        }
    }
}
