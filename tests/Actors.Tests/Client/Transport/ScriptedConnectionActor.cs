using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Transport;
using ActorHttp.Protocol;
using Akka.Actor;

namespace ActorHttp.Actors.Tests.Client.Transport;

/// <summary>
/// A connection actor without a socket, driven by the test: it speaks the host pool's protocol — reports a
/// dial when told, hands each exchange to the test's probe, answers or fails it when told — so pool tests
/// script dials and exchanges exactly.
/// </summary>
public sealed class ScriptedConnectionActor : ReceiveActor
{
    /// <summary>To the probe: a connection was started for <paramref name="Key"/> (it is "dialing").</summary>
    public sealed record Started(IActorRef Conn, ConnectionKey Key);

    /// <summary>To the probe: the pool handed <paramref name="Exchange"/> to <paramref name="Conn"/>.</summary>
    public sealed record Got(IActorRef Conn, PersistentConnection.Exchange Exchange);

    /// <summary>To the connection: finish the dial, well or badly.</summary>
    public sealed record CompleteDial(bool Ok);

    /// <summary>To the connection: answer the current exchange with <paramref name="Status"/> and an empty body.</summary>
    public sealed record Respond(int Status = 200, bool Reusable = true);

    /// <summary>To the connection: fail the current exchange before its response.</summary>
    public sealed record Fail(ClientErrorKind Kind, bool Retryable);

    /// <summary>To the connection: stop on the next exchange without a word, as a connection that died just before the exchange reached it.</summary>
    public sealed record DieOnNextExchange
    {
        /// <summary>The one instance.</summary>
        public static readonly DieOnNextExchange Instance = new();

        private DieOnNextExchange() { }
    }

    private readonly IActorRef _probe;
    private bool _dieOnNext;
    private readonly ConnectionKey _key;
    private PersistentConnection.Exchange? _current;

    /// <summary>A scripted connection reporting to <paramref name="probe"/>.</summary>
    public ScriptedConnectionActor(IActorRef probe, ConnectionKey key)
    {
        _probe = probe;
        _key = key;
        var pool = Context.Parent;
        Receive<CompleteDial>(m =>
        {
            if (m.Ok)
            {
                pool.Tell(HostPoolActor.ConnDialed.Instance, Self);
                return;
            }
            pool.Tell(new HostPoolActor.ConnDialFailed(new HttpClientException(ClientErrorKind.Dial, "scripted dial failure")), Self);
            Context.Stop(Self);
        });
        Receive<DieOnNextExchange>(_ => _dieOnNext = true);
        Receive<PersistentConnection.Exchange>(m =>
        {
            if (_dieOnNext)
            {
                Context.Stop(Self);
                return;
            }
            _current = m;
            _probe.Tell(new Got(Self, m));
        });
        Receive<Respond>(m =>
        {
            var exchange = _current!;
            _current = null;
            pool.Tell(new HostPoolActor.ExchangeFinished(exchange.Id, m.Reusable), Self);
            exchange.ReplyTo.Tell(new ClientResponse(exchange.Request, m.Status, "OK", HttpProtocolVersion.Http11,
                HeaderCollection.Empty, Stream.Null), Self);
            if (!m.Reusable) Context.Stop(Self);
        });
        Receive<Fail>(m =>
        {
            var exchange = _current!;
            _current = null;
            pool.Tell(new HostPoolActor.ExchangeFailed(exchange.Id,
                new HttpClientException(m.Kind, "scripted failure", exchange.Request), m.Retryable), Self);
            Context.Stop(Self);
        });
        Receive<PersistentConnection.Abort>(_ => Context.Stop(Self));
    }

    /// <inheritdoc />
    protected override void PreStart() => _probe.Tell(new Started(Self, _key));
}
