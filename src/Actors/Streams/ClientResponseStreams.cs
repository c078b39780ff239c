using ActorHttp.Client;
using ActorHttp.Client.Connection;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;

namespace ActorHttp.Streams;

/// <summary>
/// The Akka.Streams view of a <see cref="ClientResponse"/>'s body, beside its <see cref="ClientResponse.Body"/> stream:
/// <see cref="DataBytes"/> (Akka HTTP's <c>entity.dataBytes</c>), <see cref="ToStrictAsync"/> and <see cref="DiscardBytes"/>.
/// Use one view per response: the body is read once.
/// </summary>
public static class ClientResponseStreams
{
    /// <summary>
    /// The body as a source of byte strings, read on demand: while nothing pulls, nothing is read beyond the connection's
    /// body buffer. Run it once. Read to the end, it releases the connection to its pool; cancelled before the end, it
    /// closes the connection. A connection failure fails the source with the client's <see cref="HttpClientException"/>.
    /// </summary>
    public static Source<ByteString, NotUsed> DataBytes(this ClientResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // Read to the end: the dispose releases nothing more (the connection is back in its pool) but completes the view.
        return Source.FromGraph(new BodySource(response.Body, response.Dispose, () => Abort(response)));
    }

    /// <summary>Gives up a body before its end: a connection's body closes its connection, any other stream is disposed.</summary>
    internal static void Abort(ClientResponse response)
    {
        if (response.Body is ResponseBodyStream body) body.Abort();
        else response.Dispose();
    }

    /// <summary>
    /// Reads the whole body into memory (Akka HTTP's <c>toStrict</c>) and releases the connection.
    /// </summary>
    /// <param name="response">The response; the body is consumed.</param>
    /// <param name="timeout">Longest time for the whole read.</param>
    /// <param name="maxBytes">Most bytes accepted; a longer body (declared or read) is refused.</param>
    /// <param name="ct">Cancels the read; the connection is then closed.</param>
    /// <exception cref="HttpClientException"><see cref="ClientErrorKind.BodyTooLarge"/> past <paramref name="maxBytes"/>;
    /// <see cref="ClientErrorKind.RequestTimeout"/> past <paramref name="timeout"/>; the connection's error when it fails.
    /// In the first two cases the connection is closed, not drained.</exception>
    public static async Task<ByteString> ToStrictAsync(this ClientResponse response, TimeSpan timeout, long maxBytes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (response.ContentLength is { } declared && declared > maxBytes)
        {
            Abort(response);
            throw TooLarge(response, maxBytes, $"declares {declared} bytes");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var bytes = new MemoryStream(response.ContentLength is { } n ? (int)Math.Min(n, Array.MaxLength) : 0);
        var buffer = new byte[(int)Math.Clamp(maxBytes + 1, 1, 64 * 1024)];
        try
        {
            int read;
            while ((read = await response.Body.ReadAsync(buffer, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (bytes.Length + read > maxBytes)
                {
                    Abort(response);
                    throw TooLarge(response, maxBytes, "is longer");
                }
                bytes.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            Abort(response);
            throw new HttpClientException(ClientErrorKind.RequestTimeout,
                $"The response body was not read whole within {timeout} (ToStrictAsync).", response.Request, requestWritten: true, e);
        }
        catch (OperationCanceledException)
        {
            Abort(response);
            throw;
        }
        await response.DisposeAsync().ConfigureAwait(false);
        return ByteString.FromBytes(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    /// <summary>
    /// Reads the body to its end and throws the bytes away (Akka HTTP's <c>discardEntityBytes</c>), so the connection
    /// goes back to its pool; the task completes then, or fails with the connection's error. Unlike disposing, which drains
    /// only within <c>response-drain</c>'s bounds and otherwise closes, this reads however much there is.
    /// </summary>
    public static async Task DiscardBytes(this ClientResponse response, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await response.Body.ReadAsync(buffer, ct).ConfigureAwait(false) > 0) { }
        }
        catch (OperationCanceledException)
        {
            Abort(response);
            throw;
        }
        await response.DisposeAsync().ConfigureAwait(false);
    }

    private static HttpClientException TooLarge(ClientResponse response, long maxBytes, string what) =>
        new(ClientErrorKind.BodyTooLarge, $"The response body {what} than the {maxBytes} bytes allowed (ToStrictAsync).", response.Request, requestWritten: true);
}
