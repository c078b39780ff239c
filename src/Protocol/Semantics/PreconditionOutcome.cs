namespace ActorHttp.Protocol.Semantics;

/// <summary>What the conditional request headers decide (RFC 9110 §13.2.2).</summary>
public enum PreconditionOutcome
{
    /// <summary>Perform the method: serve the representation (200, or 206 with a Range).</summary>
    Proceed,

    /// <summary>Answer 304 Not Modified (GET or HEAD only) without a body; see
    /// <see cref="Preconditions.FieldsToOmitOnNotModified"/>.</summary>
    NotModified,

    /// <summary>Answer 412 Precondition Failed.</summary>
    PreconditionFailed,
}
