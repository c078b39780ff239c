using ActorHttp.Server;
using Akka.Actor;
using Akka.Persistence;
using static ActorHttp.Server.ActorHandler;

namespace ClusterKv;

/// <summary>
/// One key's value: a sharded, persistent entity that answers the HTTP request itself. The route tells the shard
/// region a <see cref="ShardedHttpRequest"/>; the region hands the entity the <see cref="HandleStrictRequest"/> inside,
/// whose reply-to is the connection actor on whichever node took the request, and the entity answers it straight.
/// </summary>
/// <remarks>
/// A PUT or DELETE is answered 204 only from the persist callback, once the journal has the event: an acknowledged
/// write survives any node. While an event is being persisted, Akka's <c>Persist</c> stashes the next commands, the
/// hand-off's <see cref="Stop"/> included, so a shard moving away (a graceful leave) lets the write finish and answer
/// first. A journal failure answers 500 (nothing acknowledged) and stops the entity, which the next request replays.
/// </remarks>
internal sealed class KvEntity : ReceivePersistentActor
{
    /// <summary>What the journal holds for a key.</summary>
    public interface IKvEvent;

    /// <summary>The key's value became <paramref name="Value"/>.</summary>
    public sealed record ValueSet(byte[] Value) : IKvEvent
    {
        /// <inheritdoc />
        public override string ToString() => $"ValueSet({Value.Length} bytes)";
    }

    /// <summary>The key was deleted.</summary>
    public sealed class ValueDeleted : IKvEvent
    {
        public static readonly ValueDeleted Instance = new();
        private ValueDeleted() { }
    }

    /// <summary>The shard region's hand-off message: stop once the write in progress, if any, is answered.</summary>
    public sealed class Stop
    {
        public static readonly Stop Instance = new();
        private Stop() { }
    }

    private static readonly KeyValuePair<string, string>[] OctetStream = [new("Content-Type", "application/octet-stream")];

    private readonly string _node;
    private byte[]? _value;
    // The request whose event is being persisted: the one to fail if the journal does (Persist stashes the others).
    private HandleStrictRequest? _writing;

    public KvEntity(string key)
    {
        PersistenceId = "kv-" + key;
        _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Recover<ValueSet>(e => _value = e.Value);
        Recover<ValueDeleted>(_ => _value = null);
        Command<HandleStrictRequest>(Handle);
        Command<Stop>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public static Props Props(string key) => Akka.Actor.Props.Create(() => new KvEntity(key));

    private void Handle(HandleStrictRequest request)
    {
        switch (request.Method)
        {
            case "GET" when _value is null:
                Answer(request, 404, ReadOnlyMemory<byte>.Empty);
                break;
            case "GET":
                Answer(request, 200, _value, OctetStream);
                break;
            case "PUT":
                Write(request, new ValueSet(request.Body.ToArray()));
                break;
            case "DELETE" when _value is null:
                Answer(request, 204, ReadOnlyMemory<byte>.Empty);   // idempotent: nothing to store
                break;
            case "DELETE":
                Write(request, ValueDeleted.Instance);
                break;
            default:   // the routes only send the three methods
                Answer(request, 405, ReadOnlyMemory<byte>.Empty);
                break;
        }
    }

    private void Write(HandleStrictRequest request, IKvEvent e)
    {
        _writing = request;
        Persist(e, stored =>
        {
            _writing = null;
            _value = stored is ValueSet set ? set.Value : null;
            Answer(request, 204, ReadOnlyMemory<byte>.Empty);
        });
    }

    // X-Kv-Node says which node's entity answered: "any node answers any key" made visible.
    private void Answer(HandleStrictRequest request, int status, ReadOnlyMemory<byte> body, KeyValuePair<string, string>[]? headers = null) =>
        request.Respond(new ServerResponse(status, body, [new("X-Kv-Node", _node), .. headers ?? []]));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Fail(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _writing?.Fail(cause);
        _writing = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
