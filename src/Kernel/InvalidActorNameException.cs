namespace ActorHttp.Kernel;

/// <summary>Thrown by <c>ActorOf</c> when a name is empty, malformed, reserved (starts with <c>$</c>) or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException(string message) : base(message)
    {
    }
}
