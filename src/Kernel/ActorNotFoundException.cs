namespace ActorHttp.Kernel;

/// <summary>The fault of <see cref="ActorSelection.ResolveOne()"/> when no live actor has the selected path.</summary>
public sealed class ActorNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorNotFoundException(string message) : base(message)
    {
    }
}
