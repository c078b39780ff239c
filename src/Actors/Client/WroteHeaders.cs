namespace ActorHttp.Client;

/// <summary>Trace: the request head was written to the connection (Go's WroteHeaders).</summary>
public sealed record WroteHeaders : ClientTraceEvent
{
    /// <summary>The event; it carries nothing.</summary>
    public static readonly WroteHeaders Instance = new();

    private WroteHeaders() { }
}
