namespace ActorHttp.Kernel;

/// <summary>The fault of an <c>Ask</c> whose reply did not arrive within its timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException(string message) : base(message)
    {
    }
}
