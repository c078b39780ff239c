namespace ActorHttp.Client.Connection;

/// <summary>
/// The reading side of a <see cref="ConnectionTransport"/>, owned by the <see cref="ConnectionReader"/>: one read at a time, whose
/// outcome (<see cref="ConnectionReader.Received"/>, <see cref="ConnectionReader.PeerClosed"/> or <see cref="ConnectionReader.ReadFailed"/>)
/// goes to the connection.
/// </summary>
internal abstract class ConnectionInput : IDisposable
{
    /// <summary>The reader, in its turn: reads once, at most <paramref name="size"/> bytes; <paramref name="whenIdle"/>: first wait
    /// for data without a buffer.</summary>
    public abstract void Read(bool whenIdle, int size);

    /// <summary>The reader, in its turn: the completion message it gave <see cref="ConnectionTransport.OpenInput"/> arrived.</summary>
    public virtual void OnReceiveCompleted() { }

    /// <summary>The reader stopped: a waiting read is dropped.</summary>
    public abstract void Dispose();
}
