namespace ActorHttp.Cluster;

/// <summary>Why a message could not cross nodes: the closed set of <see cref="HttpSerializationException"/>'s kinds.</summary>
public enum HttpSerializationErrorKind
{
    /// <summary>
    /// The body is larger than <c>actorhttp.cluster.max-inline-body</c>. Refused by the sending node, before Akka.Remote
    /// sees a frame. The server answers such a request 413 Content Too Large; the client fails it with a typed error.
    /// </summary>
    BodyTooLarge,

    /// <summary>The body is a stream, not whole in memory: only a buffered body crosses nodes (until bodies stream as stream refs).</summary>
    StreamingBody,

    /// <summary>The message holds something that exists on its own node only (a trace observer, an answer that is not a known shape), or a head that cannot be written as HTTP/1.1.</summary>
    NotSerializable,

    /// <summary>The bytes received are not the HTTP/1.1 message their manifest names (a parse rejection, a missing envelope field).</summary>
    Malformed,
}
