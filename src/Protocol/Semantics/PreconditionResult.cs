namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The outcome of <see cref="Preconditions.Evaluate"/>: what to answer, and whether the request's
/// Range header must be ignored because its If-Range condition failed.
/// </summary>
/// <param name="Outcome">Proceed, 304 or 412.</param>
/// <param name="IgnoreRange">True when If-Range was present and did not match: serve the whole
/// representation with 200 even if a Range header is present. Always false unless
/// <paramref name="Outcome"/> is Proceed.</param>
public readonly record struct PreconditionResult(PreconditionOutcome Outcome, bool IgnoreRange);
