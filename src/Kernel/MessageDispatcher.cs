namespace ActorHttp.Kernel;

/// <summary>Decides where a mailbox that has work runs. The default runs it on the .NET thread pool.</summary>
public abstract class MessageDispatcher
{
    /// <summary>The dispatcher's id (see <see cref="Dispatchers"/>).</summary>
    public abstract string Id { get; }

    /// <summary>Runs the mailbox's turn (<see cref="Mailbox.RunTurn"/>) soon; called only by the poster that won the claim on the mailbox.</summary>
    internal abstract void Schedule(Mailbox mailbox);
}
