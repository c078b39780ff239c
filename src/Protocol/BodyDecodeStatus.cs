namespace ActorHttp.Protocol;

/// <summary>The outcome of one <see cref="BodyDecoder.Decode"/> step.</summary>
public enum BodyDecodeStatus : byte
{
    /// <summary>A slice of body data is available; use it before advancing past the consumed bytes.</summary>
    Data,
    /// <summary>The body (and any trailers) is complete.</summary>
    End,
    /// <summary>More input is needed; framing bytes may have been consumed.</summary>
    NeedMoreData,
    /// <summary>The body violates the protocol or a limit.</summary>
    Rejected,
}
