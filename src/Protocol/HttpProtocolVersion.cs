namespace ActorHttp.Protocol;

/// <summary>
/// The HTTP versions this codec speaks on the wire. Named so as not to collide with
/// <c>System.Net.HttpVersion</c>.
/// </summary>
public enum HttpProtocolVersion : byte
{
    /// <summary>HTTP/1.0: connections close after each message unless <c>keep-alive</c> is asked for.</summary>
    Http10 = 10,
    /// <summary>HTTP/1.1: connections persist unless <c>close</c> is asked for.</summary>
    Http11 = 11,
}
