using System.Runtime.Serialization;

namespace ActorHttp.Cluster;

/// <summary>
/// A request or response message that cannot cross nodes, or bytes from another node that are not one; its
/// <see cref="Kind"/> says which. Thrown by <see cref="HttpWireSerializer"/>: on the sending node from <c>ToBinary</c>,
/// on the receiving node from <c>FromBinary</c>.
/// </summary>
/// <remarks>
/// <para>It is a <see cref="SerializationException"/> on purpose: Akka.Remote's endpoint writer logs a
/// <see cref="SerializationException"/> and drops the message but keeps the association ("transient association
/// error"), where any other exception from a serializer would tear the association down, and every other message
/// to that node with it.</para>
/// <para>Who maps it (the call sites that tell a message to another node): a route that sends a request to a handler
/// on another node answers <see cref="HttpSerializationErrorKind.BodyTooLarge"/> with 413 Content Too Large; the
/// client fails the request with a typed <c>HttpClientException</c>. Both check <see cref="IsBodyTooLarge"/> before they
/// tell, with <see cref="HttpWireSerializer.CheckInline"/>, so the caller gets this error rather than a log line.</para>
/// <para>The text of <see cref="Exception.Message"/> is for people; code tests <see cref="Kind"/>.</para>
/// </remarks>
public sealed class HttpSerializationException : SerializationException
{
    /// <summary>An error of <paramref name="kind"/>; <paramref name="message"/> names the message type and what is wrong.</summary>
    public HttpSerializationException(HttpSerializationErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>A body of <paramref name="bodyLength"/> bytes above <paramref name="maxInlineBody"/>, in a <paramref name="messageType"/>.</summary>
    public static HttpSerializationException BodyTooLarge(string messageType, long bodyLength, long maxInlineBody) =>
        new(HttpSerializationErrorKind.BodyTooLarge,
            $"{messageType} has a body of {bodyLength} bytes, above actorhttp.cluster.max-inline-body ({maxInlineBody} bytes): it cannot travel inline to another node.")
        {
            BodyLength = bodyLength,
            MaxInlineBody = maxInlineBody,
        };

    /// <summary>What went wrong.</summary>
    public HttpSerializationErrorKind Kind { get; }

    /// <summary>For <see cref="HttpSerializationErrorKind.BodyTooLarge"/>: the body's length in bytes; otherwise null.</summary>
    public long? BodyLength { get; private init; }

    /// <summary>For <see cref="HttpSerializationErrorKind.BodyTooLarge"/>: the limit in force (<c>actorhttp.cluster.max-inline-body</c>); otherwise null.</summary>
    public long? MaxInlineBody { get; private init; }

    /// <summary>True when the body was above the inline limit (the server answers 413).</summary>
    public bool IsBodyTooLarge => Kind == HttpSerializationErrorKind.BodyTooLarge;
}
