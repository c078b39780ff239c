namespace ActorHttp.Client.Connection;

/// <summary>
/// The writing side of a <see cref="ConnectionTransport"/>, owned by the <see cref="ConnectionWriter"/>: request bodies, and on a
/// socket the part of a head the kernel did not take at once. One write at a time (the connection sequences them); outcomes
/// (<see cref="ConnectionWriter.HeadWritten"/>, <see cref="ConnectionWriter.BodyWritten"/>, <see cref="ConnectionWriter.WriteFailed"/>)
/// go to the connection.
/// </summary>
internal abstract class ConnectionOutput : IDisposable
{
    /// <summary>The writer, in its turn: copies <paramref name="content"/>, chunk-framed when <paramref name="chunked"/>.</summary>
    public abstract void WriteBody(RequestContent content, bool chunked);

    /// <summary>The writer, in its turn: sends the rest of a head the connection began (only transports whose
    /// <see cref="ConnectionTransport.WriteHead"/> hands a rest over do this).</summary>
    public virtual void WriteHeadRest(ReadOnlyMemory<byte> rest) =>
        throw new NotSupportedException($"{GetType().Name} writes whole heads itself.");

    /// <summary>The writer, in its turn: a message it does not know, maybe a completion of this output's own. False: not one.</summary>
    public virtual bool OnCompleted(object message) => false;

    /// <summary>The writer stopped: a body copy still running is cancelled.</summary>
    public abstract void Dispose();
}
