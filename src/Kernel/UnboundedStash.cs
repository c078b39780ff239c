namespace ActorHttp.Kernel;

/// <summary>The <see cref="IStash"/> of one incarnation: a list the actor appends to and empties into the front of its mailbox.</summary>
internal sealed class UnboundedStash : IStash
{
    private readonly ActorCell _cell;
    private readonly List<Envelope> _stashed = new();

    public UnboundedStash(ActorCell cell) => _cell = cell;

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = _cell.CurrentEnvelope;
        if (current.Message is null) throw new InvalidOperationException("Stash() is only valid while processing a message.");
        if (_stashed.Count > 0 && ReferenceEquals(_stashed[^1].Message, current.Message) && ReferenceEquals(_stashed[^1].Sender, current.Sender))
            throw new InvalidOperationException($"Message {current.Message.GetType().Name} is already stashed.");
        _stashed.Add(current);
    }

    public void Unstash()
    {
        if (_stashed.Count == 0) return;
        var first = _stashed[0];
        _stashed.RemoveAt(0);
        _cell.Mailbox.PrependAll([first]);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0) return;
        _cell.Mailbox.PrependAll(_stashed);
        _stashed.Clear();
    }

    public IEnumerable<Envelope> ClearStash()
    {
        var result = _stashed.ToArray();
        _stashed.Clear();
        return result;
    }
}
