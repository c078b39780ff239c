namespace ActorHttp.Protocol;

/// <summary>
/// Which kind of field section is parsed: the rules differ only in obs-fold handling
/// (RFC 9112 §5.2) and in which fields matter.
/// </summary>
internal enum FieldRole : byte
{
    /// <summary>A request header section: obs-fold rejected.</summary>
    Request,
    /// <summary>A response header section: obs-fold replaced by SP, as a user agent may.</summary>
    Response,
    /// <summary>A request trailer section: obs-fold rejected, framing fields not interpreted.</summary>
    RequestTrailer,
    /// <summary>A response trailer section: obs-fold replaced, framing fields not interpreted.</summary>
    ResponseTrailer,
}
