using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Server.Connection;

/// <summary>
/// A parent of up to <see cref="Capacity"/> connections, between the listener and them: the listener hands it each
/// connection to start, and it reports each one's end. It exists to keep Akka's children containers small.
/// </summary>
/// <remarks>
/// <para><b>Why a layer.</b> An actor's children are an immutable dictionary, rebuilt along the path to the child on
/// every add and remove, and Akka adds a child twice (reserve the name, then the child). With every connection under
/// the listener that was about 26 tree nodes (1.6 KB) of garbage per accepted connection at 5,000 connections, and
/// as much again when it closed, growing with the log of the count. Under a group the tree has at most
/// <see cref="Capacity"/> children. Measured (bench/Server and ../shared/bench conns, 5,000 idle connections): about
/// 600-800 B less allocated per connection opened, and RSS per idle connection 5.7 KB -> 4.9 KB (median of 4,
/// interleaved); the groups themselves cost about 25 B per connection.</para>
/// <para><b>Supervision.</b> Connections live under the same stopping strategy as before (the listener's, with the
/// user's decider first); a group only ever fails if it escalates what that decider escalated.</para>
/// <para><b>Drain.</b> On <see cref="Shutdown"/> it tells each of its connections, then answers
/// <see cref="ShutdownTold"/>, so that the listener publishes <c>ServerDraining</c> only once every connection has
/// been told.</para>
/// </remarks>
internal sealed class ConnectionGroup : ActorBase
{
    /// <summary>
    /// Most connections in one group. 64: a child container of 64 is a tree of depth 6, so an add or remove costs
    /// about 12 nodes (770 B) against 26 under a listener of 5,000; a group (about 1 KB with its container) is then
    /// spread over 64 connections. 16 saves a few more nodes per connection but costs four times the groups.
    /// </summary>
    public const int Capacity = 64;

    /// <summary>Make a connection from <paramref name="Props"/> named <paramref name="Name"/>, and name it in its <paramref name="Deadlines"/> entry.</summary>
    public sealed record StartConnection(Props Props, string Name, ConnectionDeadlines.Entry Deadlines);

    /// <summary>Tell every connection <see cref="ServerConnection.Shutdown"/>, then answer <see cref="ShutdownTold"/>.</summary>
    public sealed class Shutdown
    {
        public static readonly Shutdown Instance = new();
        private Shutdown() { }
    }

    /// <summary>To the listener: one of this group's connections stopped. One instance per group, told each time.</summary>
    /// <remarks>It may reach a listener that is stopping: a connection that closed just before the server stopped is
    /// reported after the listener's last turn (seen as dead letters when a process exits with connections closing).</remarks>
    public sealed class ConnectionClosed(int group) : IDeadLetterSuppression
    {
        public int Group { get; } = group;
    }

    /// <summary>To the listener: every connection of this group has been told <see cref="ServerConnection.Shutdown"/>.</summary>
    public sealed class ShutdownTold(int group)
    {
        public int Group { get; } = group;
    }

    private readonly SupervisorStrategy _connectionStrategy;
    private readonly ConnectionClosed _closed;
    private readonly int _index;

    /// <param name="connectionStrategy">The strategy connections live under (see <see cref="ConnectionSupervision"/>).</param>
    /// <param name="index">This group's number at its listener, carried by what it reports.</param>
    public ConnectionGroup(SupervisorStrategy connectionStrategy, int index)
    {
        _connectionStrategy = connectionStrategy;
        _index = index;
        _closed = new ConnectionClosed(index);
    }

    protected override SupervisorStrategy SupervisorStrategy() => _connectionStrategy;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case StartConnection start:
                start.Deadlines.Connection = Context.ActorOf(start.Props, start.Name);
                return true;
            case ConnectionSupervision.ChildTerminated:
                Context.Parent.Tell(_closed, Self);
                return true;
            case Shutdown:
                foreach (var connection in Context.GetChildren()) connection.Tell(ServerConnection.Shutdown.Instance, Self);
                Context.Parent.Tell(new ShutdownTold(_index), Self);
                return true;
            default:
                return false;
        }
    }
}
