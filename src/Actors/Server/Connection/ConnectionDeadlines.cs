using System.Diagnostics;
using Akka.Actor;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The idle, header-read and request deadlines of one listener's connections, checked by the listener's heartbeat
/// (Kestrel's <c>Heartbeat</c> walking each connection's <c>TimeoutControl</c>): a connection or its reader sets a
/// deadline with one store, and on every heartbeat the listener tells the connections whose deadline passed.
/// </summary>
/// <remarks>
/// <para><b>Why not a timer per connection.</b> An Akka scheduler timer is five objects (about 230 B) from arming
/// until it fires or is cancelled, and garbage after. Every connection armed one at accept (the first request's
/// header timeout) and another each time it went idle, and an idle keep-alive connection always held one. Here a
/// connection holds one <see cref="Entry"/> (56 B, and a reference in the listener's list), and arming or
/// disarming is a volatile store: no allocation per request or per accept.</para>
/// <para><b>Resolution.</b> A deadline is noticed on the first heartbeat after it passes, so a timeout fires up to
/// one <see cref="HeartbeatInterval"/> late: a quarter of the shortest timeout, and at most
/// <c>heartbeat-interval</c> (25 ms; Kestrel's heartbeat is 1 s, which answers connections that arrived over a
/// second all in one pass). Whoever is told re-checks its own state, so a stale notice is harmless.</para>
/// <para><b>Ownership.</b> The list belongs to the listener: it adds an entry when it starts a connection and
/// removes it on the first heartbeat after the connection stopped (<see cref="Entry.Close"/>, from its
/// <c>PostStop</c>); a closed entry no longer names the connection, so it keeps nothing of it alive. A
/// deadline is written by its owner (the connection for idle, the reader for the header) and cleared by the
/// heartbeat that reports it with a compare-and-swap, so an arming that races with a heartbeat is never lost.</para>
/// </remarks>
internal sealed class ConnectionDeadlines
{
    private const long None = long.MaxValue;

    // Owned by the listener: only its turns touch the list.
    private readonly List<Entry> _entries = new();

    /// <param name="settings">The server's settings: its idle, header-read and request timeouts.</param>
    public ConnectionDeadlines(ServerSettings settings)
    {
        var shortest = TimeSpan.MaxValue;
        if (settings.IdleTimeout > TimeSpan.Zero) shortest = settings.IdleTimeout;
        if (settings.HeaderReadTimeout > TimeSpan.Zero && settings.HeaderReadTimeout < shortest) shortest = settings.HeaderReadTimeout;
        if (settings.RequestTimeout > TimeSpan.Zero && settings.RequestTimeout < shortest) shortest = settings.RequestTimeout;
        if (shortest == TimeSpan.MaxValue) return;
        var quarter = shortest / 4;
        HeartbeatInterval = quarter < settings.HeartbeatInterval ? quarter : settings.HeartbeatInterval;
    }

    /// <summary>How often the listener calls <see cref="Sweep"/>; null when no timeout is on (then nothing is kept).</summary>
    public TimeSpan? HeartbeatInterval { get; }

    /// <summary>Entries in the list, closed ones included until the next sweep (tests).</summary>
    internal int Count => _entries.Count;

    /// <summary>Listener only: a new entry for a connection about to be made; its parent names it with <see cref="Entry.Connection"/>.</summary>
    public Entry Add()
    {
        var entry = new Entry(_entries.Count);
        // With no heartbeat nobody would read or remove it: the connection gets an entry of its own.
        if (HeartbeatInterval is not null) _entries.Add(entry);
        return entry;
    }

    /// <summary>
    /// Listener only: tells <see cref="ServerConnection.IdleDeadlinePassed"/> or
    /// <see cref="ConnectionReader.HeaderDeadlinePassed"/> (which it forwards to its reader) or
    /// <see cref="ServerConnection.HandlerDeadlinePassed"/> to every connection whose deadline is at or before
    /// <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp), and drops the entries of stopped connections.
    /// </summary>
    public void Sweep(long now)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            var entry = _entries[i];
            if (entry.IsClosed)
            {
                // Swap-remove: the last entry takes this place, and is looked at next.
                var last = _entries[^1];
                _entries[i] = last;
                last.Index = i;
                _entries.RemoveAt(_entries.Count - 1);
                i--;
                continue;
            }

            if (TakePassed(ref entry.IdleDeadline, now))
                entry.Connection?.Tell(ServerConnection.IdleDeadlinePassed.Instance, ActorRefs.NoSender);
            if (TakePassed(ref entry.HeaderDeadline, now))
                entry.Connection?.Tell(ConnectionReader.HeaderDeadlinePassed.Instance, ActorRefs.NoSender);
            if (TakePassed(ref entry.HandlerDeadline, now))
                entry.Connection?.Tell(ServerConnection.HandlerDeadlinePassed.Instance, ActorRefs.NoSender);
        }
    }

    // A deadline that passed, cleared unless its owner re-armed it meanwhile (then the new one stands).
    private static bool TakePassed(ref long deadline, long now)
    {
        var seen = Volatile.Read(ref deadline);
        return seen <= now && Interlocked.CompareExchange(ref deadline, None, seen) == seen;
    }

    /// <summary>One connection's deadlines, as <see cref="Stopwatch"/> timestamps.</summary>
    internal sealed class Entry(int index)
    {
        // Written by the connection (idle, handler) and its reader (header) with volatile stores; cleared by the
        // heartbeat with a compare-and-swap. None when not armed.
        internal long IdleDeadline = None;
        internal long HeaderDeadline = None;
        internal long HandlerDeadline = None;

        private volatile bool _closed;

        /// <summary>Its place in the listener's list; owned by the listener.</summary>
        internal int Index = index;

        private volatile IActorRef? _connection;

        /// <summary>The connection to tell: set by its parent (a <see cref="ConnectionGroup"/>) once made, read by the listener.</summary>
        public IActorRef? Connection
        {
            get => _connection;
            set => _connection = value;
        }

        internal bool IsClosed => _closed;

        /// <summary>The connection, when it goes idle: report it if it is still idle after <paramref name="timeout"/>.</summary>
        public void ArmIdle(TimeSpan timeout) => Volatile.Write(ref IdleDeadline, Deadline(timeout));

        /// <summary>The connection, when a request starts.</summary>
        public void DisarmIdle() => Volatile.Write(ref IdleDeadline, None);

        /// <summary>
        /// The connection, when a request's handler did not finish in the turn that started it: report it at
        /// <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp, from <see cref="After"/>) unless disarmed.
        /// </summary>
        public void ArmHandler(long deadline) => Volatile.Write(ref HandlerDeadline, deadline);

        /// <summary>The connection, when the request's handler finished (or the request ended otherwise).</summary>
        public void DisarmHandler() => Volatile.Write(ref HandlerDeadline, None);

        /// <summary>The reader, when a head is due: report it if it has not ended after <paramref name="timeout"/>.</summary>
        public void ArmHeader(TimeSpan timeout) => Volatile.Write(ref HeaderDeadline, Deadline(timeout));

        /// <summary>The reader, when a head ended.</summary>
        public void DisarmHeader() => Volatile.Write(ref HeaderDeadline, None);

        /// <summary>The connection, in its PostStop: the listener drops the entry on its next heartbeat.</summary>
        public void Close()
        {
            IdleDeadline = None;
            HeaderDeadline = None;
            HandlerDeadline = None;
            _closed = true;
        }

        private static long Deadline(TimeSpan timeout) => After(Stopwatch.GetTimestamp(), timeout);

        /// <summary>The <see cref="Stopwatch"/> timestamp <paramref name="timeout"/> after <paramref name="from"/>.</summary>
        public static long After(long from, TimeSpan timeout) => from + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }
}
