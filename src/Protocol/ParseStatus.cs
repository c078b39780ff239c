namespace ActorHttp.Protocol;

/// <summary>The outcome of one parse attempt.</summary>
public enum ParseStatus : byte
{
    /// <summary>The input does not yet hold a complete element; nothing was consumed.</summary>
    NeedMoreData,
    /// <summary>An element was parsed; the consumed bytes belong to it.</summary>
    Complete,
    /// <summary>The input violates the protocol or a limit; see the <see cref="ProtocolError"/>.</summary>
    Rejected,
}
