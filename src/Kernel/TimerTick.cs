namespace ActorHttp.Kernel;

/// <summary>
/// One started timer of an actor (see <c>ActorCell.Timers.cs</c>), and the envelope of its
/// message: the scheduler sends this object itself, which is delivered only if it is still the
/// current timer of its key in its actor's list (a tick of an earlier incarnation is in no list).
/// Being both the entry and the message, an armed timer costs this object and the scheduler's
/// item, nothing more.
/// </summary>
internal sealed class TimerTick(object key, object message, bool repeat) : IAutoReceivedMessage
{
    public object Key { get; } = key;

    public object Message { get; } = message;

    public bool Repeat { get; } = repeat;

    /// <summary>The scheduled send; set right after scheduling, before the owner's turn ends.</summary>
    public ICancelable Task { get; set; } = null!;

    /// <summary>The owner's next timer (its timers are a short list; owner's turn only).</summary>
    public TimerTick? Next { get; set; }

    public bool IsInternal => true;

    public override string ToString() => $"TimerTick({Key}, {Message})";
}
