namespace ActorHttp.Kernel;

/// <summary>
/// The system's dead-letter office: every undeliverable message ends here, is published as a
/// <see cref="DeadLetter"/> on the event stream and logged up to the configured number of times.
/// </summary>
internal sealed class DeadLetterActorRef : InternalActorRef
{
    private readonly ActorSystem _system;
    private readonly ActorPath _path;
    private long _count;

    public DeadLetterActorRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        _path = path;
    }

    public override ActorPath Path => _path;

    public override bool IsTerminated => false;

    public override ActorSystem? System => _system;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is DeadLetter d) Publish(d);
        else Publish(new DeadLetter(message, sender ?? this, this));
    }

    /// <summary>Records a message that <paramref name="recipient"/> could not take.</summary>
    public void Deliver(object message, IActorRef? sender, IActorRef recipient)
    {
        // Kernel-internal wrappers (timer ticks, queued Terminated) have no meaning outside their actor.
        if (message is IAutoReceivedMessage { IsInternal: true }) return;
        Publish(new DeadLetter(message, sender ?? this, recipient));
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch w && w.Watcher is InternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(w.Watchee, ExistenceConfirmed: false, AddressTerminated: false));
    }

    private void Publish(DeadLetter letter)
    {
        _system.EventStream.Publish(letter);
        var settings = _system.Settings;
        if (!settings.LogDeadLetters || letter.Message is IDeadLetterSuppression) return;
        if (_system.IsTerminating && !settings.LogDeadLettersDuringShutdown) return;
        var n = Interlocked.Increment(ref _count);
        if (n > settings.LogDeadLettersMax) return;
        var suffix = n == settings.LogDeadLettersMax ? " Further dead letters will not be logged." : "";
        _system.Log.Info("Message {MessageType} from {Sender} to {Recipient} was not delivered ({Count} dead letters so far)." + suffix,
            letter.Message.GetType().Name, letter.Sender.Path.ToString(), letter.Recipient.Path.ToString(), n);
    }
}
