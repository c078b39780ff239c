namespace ActorHttp.Kernel;

/// <summary>
/// Messages an actor set aside to process later (typically after a <c>Become</c>). Unstashed
/// messages go in front of the mailbox, in their original order. Use only on the actor's turn.
/// </summary>
public interface IStash
{
    /// <summary>Sets the current message aside.</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back in front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts all stashed messages back in front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Drops all stashed messages and returns them.</summary>
    IEnumerable<Envelope> ClearStash();

    /// <summary>How many messages are stashed.</summary>
    int Count { get; }
}
