namespace ActorHttp.Kernel;

/// <summary>An actor with one method, <see cref="OnReceive"/>, that sees every message; call <see cref="ActorBase.Unhandled"/> for the ones it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles a message.</summary>
    protected abstract void OnReceive(object message);

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the behaviour.</summary>
    protected void Become(UntypedReceive receive) => Context.Become(ToReceive(receive));

    /// <summary>Pushes a behaviour (see <see cref="IActorContext.UnbecomeStacked"/>).</summary>
    protected void BecomeStacked(UntypedReceive receive) => Context.BecomeStacked(ToReceive(receive));

    private static Receive ToReceive(UntypedReceive receive) => message =>
    {
        receive(message);
        return true;
    };
}
