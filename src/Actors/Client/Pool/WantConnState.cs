namespace ActorHttp.Client.Pool;

/// <summary>
/// Where a <see cref="WantConn"/> is in its life: waiting, or finished one of three ways.
/// </summary>
public enum WantConnState
{
    /// <summary>Not yet given a connection or an error.</summary>
    Waiting,

    /// <summary>Given a connection, exactly once.</summary>
    Delivered,

    /// <summary>Given an error (<see cref="PoolErrorKind"/>), exactly once.</summary>
    Failed,

    /// <summary>Withdrawn by its requester (cancelled or timed out on the requester's side).</summary>
    Cancelled,
}
