namespace ActorHttp.Protocol;

/// <summary>The four forms of a request target (RFC 9112 §3.2), each tied to the methods that may use it.</summary>
public enum RequestTargetForm : byte
{
    /// <summary><c>/path?query</c>: every method but CONNECT.</summary>
    Origin,
    /// <summary><c>http://host/path?query</c>: any method but CONNECT; the target's authority replaces Host (§3.2.2).</summary>
    Absolute,
    /// <summary><c>host:port</c>: CONNECT only.</summary>
    Authority,
    /// <summary><c>*</c>: OPTIONS only.</summary>
    Asterisk,
}
