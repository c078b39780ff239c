namespace ActorHttp.Cluster;

/// <summary>
/// The failure a handler on another node answered with (<c>Reply(id, Status.Failure(e))</c>), as it arrives: the
/// type name and message of <c>e</c>, as Akka's exception serialization carries them.
/// </summary>
/// <remarks>
/// No type named by the bytes of another node is instantiated here (Akka rebuilds the original type by reflection;
/// a type name from the wire deciding what gets constructed is a deserialization hazard, and the connection only
/// needs to know the request failed: it answers 500 either way). The stack trace stays on the handler's node, in its log.
/// </remarks>
public sealed class RemoteHandlerException : Exception
{
    /// <summary>A failure of type <paramref name="exceptionType"/> (its full name) with <paramref name="message"/>.</summary>
    public RemoteHandlerException(string exceptionType, string message)
        : base(message)
    {
        ExceptionType = exceptionType;
    }

    /// <summary>The full name of the exception's type on the handler's node, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string ExceptionType { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ExceptionType} (on another node): {Message}";
}
