namespace ActorHttp.Protocol;

/// <summary>
/// The request methods the protocol recognises without allocating; any other token is
/// <see cref="Other"/> and its text is in <see cref="RequestHead.Method"/>. Named so as not to
/// collide with <c>System.Net.Http.HttpMethod</c>.
/// </summary>
public enum RequestMethod : byte
{
    /// <summary>An extension method; see <see cref="RequestHead.Method"/>.</summary>
    Other = 0,
    /// <summary>GET.</summary>
    Get,
    /// <summary>HEAD: the response has no body whatever its headers say.</summary>
    Head,
    /// <summary>POST.</summary>
    Post,
    /// <summary>PUT.</summary>
    Put,
    /// <summary>DELETE.</summary>
    Delete,
    /// <summary>CONNECT: authority-form target; a 2xx response turns the connection into a tunnel.</summary>
    Connect,
    /// <summary>OPTIONS: the only method allowed the asterisk form.</summary>
    Options,
    /// <summary>TRACE.</summary>
    Trace,
    /// <summary>PATCH.</summary>
    Patch,
}
