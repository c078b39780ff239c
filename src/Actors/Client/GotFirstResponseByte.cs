namespace ActorHttp.Client;

/// <summary>Trace: the first byte of the response (1xx included) arrived (Go's GotFirstResponseByte).</summary>
public sealed record GotFirstResponseByte : ClientTraceEvent
{
    /// <summary>The event; it carries nothing.</summary>
    public static readonly GotFirstResponseByte Instance = new();

    private GotFirstResponseByte() { }
}
