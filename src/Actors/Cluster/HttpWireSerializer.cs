using System.Buffers;
using System.Globalization;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Client.Cluster;
using ActorHttp.Configuration;
using ActorHttp.Protocol;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Serialization;
using Akka.Streams;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Cluster;

/// <summary>
/// The Akka serializer of ActorHttp's messages that cross nodes, whose format is HTTP/1.1 wire bytes, written with
/// <see cref="HttpMessageWriter"/> and read back with the parsers of <c>src/Protocol</c>: the request for a handler
/// on another node is the HTTP/1.1 request it stands for, a response is an HTTP/1.1 response.
/// </summary>
/// <remarks>
/// <para><b>Binding.</b> <c>hocon/serialization.conf</c> registers it as <c>actorhttp-wire</c> with identifier 1101
/// and binds <see cref="HandleStrictRequest"/>, <see cref="Reply"/>, <see cref="ResponseComplete"/>,
/// <see cref="ServerResponse"/>, <see cref="ClientRequest"/> and <see cref="ClientResponse"/> to it. The binding takes
/// effect when ActorHttp is loaded (<c>Http.Get(system)</c> injects the reference configuration, and Akka reloads its
/// serializers): load it on every node, the receiving ones too.</para>
/// <para><b>Manifests</b> (short, stable: they are the wire's type tags; never reuse one for another shape):</para>
/// <list type="table">
/// <item><term><c>hr</c></term><description><see cref="HandleStrictRequest"/>: the request, with fields
/// <c>ActorHttp-Request-Id</c> and <c>ActorHttp-Reply-To</c> (the connection's serialized actor path) first.</description></item>
/// <item><term><c>hs</c></term><description><see cref="ShardedHttpRequest"/>: as <c>hr</c>, with <c>ActorHttp-Entity-Id</c>
/// (the entity id, percent-encoded as a URI data string) before the other fields.</description></item>
/// <item><term><c>hq</c>, <c>hz</c></term><description>As <c>hr</c> and <c>hs</c>, for a request whose body streams
/// (<see cref="HandleStrictRequest.BodyRef"/>): <c>ActorHttp-Body-Ref</c> after <c>ActorHttp-Reply-To</c>, the framing
/// fields as received, and no body bytes (the head alone).</description></item>
/// <item><term><c>sr</c></term><description><see cref="ServerResponse"/>: the response, <c>ActorHttp-Added</c> first.</description></item>
/// <item><term><c>rr</c></term><description><see cref="Reply"/> with a <see cref="ServerResponse"/>: the response,
/// <c>ActorHttp-Reply-Id</c> and <c>ActorHttp-Added</c> first.</description></item>
/// <item><term><c>rt</c></term><description><see cref="Reply"/> with a <see cref="StreamedResponse"/>: the response head
/// alone, <c>ActorHttp-Reply-Id</c> and <c>ActorHttp-Body-Ref</c> first.</description></item>
/// <item><term><c>rf</c></term><description><see cref="Reply"/> with a <see cref="Status.Failure"/>: a 500 response
/// with <c>ActorHttp-Reply-Id</c> and <c>ActorHttp-Exception</c> (the exception's type name) first and the exception's
/// message as a UTF-8 body; read back as a <see cref="RemoteHandlerException"/>.</description></item>
/// <item><term><c>rc</c></term><description><see cref="Reply"/> with <see cref="ResponseComplete"/>: the id in ASCII digits (no HTTP in it).</description></item>
/// <item><term><c>c</c></term><description><see cref="ResponseComplete"/>: no bytes.</description></item>
/// <item><term><c>cq</c></term><description><see cref="ClientRequest"/>: the request in absolute form, <c>ActorHttp-Added</c> first.</description></item>
/// <item><term><c>cr</c></term><description><see cref="ClientResponse"/>: the response as received, with
/// <c>ActorHttp-Request</c> (method and URI of the request it answers) and <c>ActorHttp-Informational</c> first.</description></item>
/// <item><term><c>p*</c></term><description>The messages of cluster-wide host pools (<see cref="ActorHttp.Client.Cluster.IClusterPoolMessage"/>,
/// bound in <c>hocon/client.conf</c>): see <c>HttpWireSerializer.ClusterPools.cs</c>.</description></item>
/// </list>
/// <para><b>Envelope fields.</b> What a message holds beyond HTTP travels in fields named <c>ActorHttp-*</c> written
/// first, in a fixed order per manifest, and removed when read: the receiver takes them by position, so a field of the
/// same name sent by a peer further down is an ordinary field and cannot pose as one. Fields a message needs on the
/// wire but does not hold (a <see cref="ServerResponse"/>'s computed <c>Content-Length</c>, a <see cref="ClientRequest"/>'s
/// <c>Host</c>) are listed by name in <c>ActorHttp-Added</c> (<c>none</c> when there are none), written right after it,
/// and removed when read. So every header list round-trips exactly, order and repeats included.</para>
/// <para><b>Bodies.</b> Only whole bodies travel: a <see cref="ClientRequest"/> with <see cref="ByteArrayRequestContent"/>
/// (or none), a <see cref="ClientResponse"/> whose <see cref="ClientResponse.Body"/> is a <see cref="MemoryStream"/>.
/// A streaming one is refused (<see cref="HttpSerializationErrorKind.StreamingBody"/>), and so is a body above
/// <c>actorhttp.cluster.max-inline-body</c> (<see cref="HttpSerializationErrorKind.BodyTooLarge"/>), on the sending
/// node, before Akka.Remote frames anything.</para>
/// <para><b>Stream refs.</b> <c>ActorHttp-Body-Ref</c> holds an Akka.Streams <see cref="ISourceRef{T}"/> of byte arrays as
/// Akka serializes it (its serializer's id, its manifest and its bytes in base64, separated by spaces), so the ref's own
/// format stays Akka's.</para>
/// <para><b>Not carried.</b> A <see cref="ClientRequest.Trace"/> observer lives on its node (refused, not dropped, so
/// nobody waits for events that cannot come); a <see cref="ClientResponse"/>'s request travels as its method and URI
/// only; a URI's user info and fragment are never sent.</para>
/// <para><b>Limits.</b> The receiving node parses with its own <c>actorhttp.http.parsing</c> limits, as it would bytes
/// from a socket; bytes the parser refuses are <see cref="HttpSerializationErrorKind.Malformed"/>.</para>
/// </remarks>
public sealed partial class HttpWireSerializer : SerializerWithStringManifest
{
    /// <summary><see cref="HandleStrictRequest"/>.</summary>
    public const string StrictRequestManifest = "hr";
    /// <summary><see cref="ShardedHttpRequest"/>.</summary>
    public const string ShardedRequestManifest = "hs";
    /// <summary><see cref="HandleStrictRequest"/> whose body streams.</summary>
    public const string StreamingRequestManifest = "hq";
    /// <summary><see cref="ShardedHttpRequest"/> whose body streams.</summary>
    public const string StreamingShardedRequestManifest = "hz";
    /// <summary><see cref="ServerResponse"/>.</summary>
    public const string ServerResponseManifest = "sr";
    /// <summary><see cref="Reply"/> with a <see cref="StreamedResponse"/>.</summary>
    public const string ReplyStreamedManifest = "rt";
    /// <summary><see cref="Reply"/> with a <see cref="ServerResponse"/>.</summary>
    public const string ReplyResponseManifest = "rr";
    /// <summary><see cref="Reply"/> with a <see cref="Status.Failure"/>.</summary>
    public const string ReplyFailureManifest = "rf";
    /// <summary><see cref="Reply"/> with <see cref="ResponseComplete"/>.</summary>
    public const string ReplyCompleteManifest = "rc";
    /// <summary><see cref="ResponseComplete"/>.</summary>
    public const string ResponseCompleteManifest = "c";
    /// <summary><see cref="ClientRequest"/>.</summary>
    public const string ClientRequestManifest = "cq";
    /// <summary><see cref="ClientResponse"/>.</summary>
    public const string ClientResponseManifest = "cr";

    private const string RequestIdField = "ActorHttp-Request-Id";
    private const string EntityIdField = "ActorHttp-Entity-Id";
    private const string ReplyToField = "ActorHttp-Reply-To";
    private const string ReplyIdField = "ActorHttp-Reply-Id";
    private const string BodyRefField = "ActorHttp-Body-Ref";
    private const string AddedField = "ActorHttp-Added";
    private const string ExceptionField = "ActorHttp-Exception";
    private const string AnsweredRequestField = "ActorHttp-Request";
    private const string InformationalField = "ActorHttp-Informational";
    private const string None = "none";

    private readonly ClusterSettings _settings;

    /// <summary>Made by Akka's serialization from <c>akka.actor.serializers</c>; reads <c>actorhttp.cluster</c> once.</summary>
    public HttpWireSerializer(ExtendedActorSystem system) : base(system)
    {
        // Over the reference, so that a system that binds the serializer before loading ActorHttp still finds every key.
        _settings = ClusterSettings.FromConfig(ReferenceConfig.Load(system.Settings.Config));
    }

    /// <summary>The settings in force: the inline limit and the parser limits.</summary>
    public ClusterSettings Settings => _settings;

    /// <summary>
    /// Throws <see cref="HttpSerializationException"/> (<see cref="HttpSerializationErrorKind.BodyTooLarge"/>) when
    /// <paramref name="message"/> has a body above <paramref name="settings"/>' inline limit: for the code that tells a
    /// message to another node and wants the typed error itself (a route answers 413), not a log line from Akka.Remote.
    /// </summary>
    public static void CheckInline(object message, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        long length = message switch
        {
            HandleStrictRequest { BodyRef: null } m => m.Body.Length,
            ShardedHttpRequest { Request.BodyRef: null } m => m.Request.Body.Length,
            ServerResponse m => m.Body.Length,
            Reply { Answer: ServerResponse m } => m.Body.Length,
            ClientRequest { Content: ByteArrayRequestContent content } => content.Bytes.Length,
            ClientResponse { Body: MemoryStream body } => body.Length - body.Position,
            IClusterPoolMessage m => PoolInlineLength(m),
            _ => 0,
        };
        if (length > settings.MaxInlineBody)
            throw HttpSerializationException.BodyTooLarge(message.GetType().Name, length, settings.MaxInlineBody);
    }

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        ServerResponse { BodySource: not null } or Reply { Answer: ServerResponse { BodySource: not null } } => throw LocalSource(o),
        HandleStrictRequest { BodyRef: null } => StrictRequestManifest,
        HandleStrictRequest => StreamingRequestManifest,
        ShardedHttpRequest { Request.BodyRef: null } => ShardedRequestManifest,
        ShardedHttpRequest => StreamingShardedRequestManifest,
        ServerResponse => ServerResponseManifest,
        Reply { Answer: ServerResponse } => ReplyResponseManifest,
        Reply { Answer: StreamedResponse } => ReplyStreamedManifest,
        Reply { Answer: Status.Failure } => ReplyFailureManifest,
        Reply { Answer: ResponseComplete } => ReplyCompleteManifest,
        ResponseComplete => ResponseCompleteManifest,
        ClientRequest => ClientRequestManifest,
        ClientResponse => ClientResponseManifest,
        IClusterPoolMessage m => PoolManifest(m),
        _ => throw NotSerializable(o, "it is not a message this serializer writes (a Reply answers with a ServerResponse, StreamedResponse, ResponseComplete or Status.Failure)"),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        CheckInline(obj, _settings);
        try
        {
            return obj switch
            {
                ServerResponse { BodySource: not null } or Reply { Answer: ServerResponse { BodySource: not null } } => throw LocalSource(obj),
                HandleStrictRequest m => WriteStrictRequest(m, entityId: null),
                ShardedHttpRequest m => WriteStrictRequest(m.Request, m.EntityId),
                ServerResponse m => WriteServerResponse(null, m),
                Reply { Answer: ServerResponse m } reply => WriteServerResponse(reply.Id, m),
                Reply { Answer: StreamedResponse m } reply => WriteStreamedResponse(reply.Id, m),
                Reply { Answer: Status.Failure f } reply => WriteFailure(reply.Id, f.Cause),
                Reply { Answer: ResponseComplete } reply => Ascii(reply.Id),
                ResponseComplete => [],
                ClientRequest m => WriteClientRequest(m),
                ClientResponse m => WriteClientResponse(m),
                IClusterPoolMessage m => WritePool(m),
                _ => throw NotSerializable(obj, "it is not a message this serializer writes"),
            };
        }
        catch (ArgumentException e)
        {
            // The writer refuses what it cannot put on the wire (a control character in a value, a status out of range).
            throw new HttpSerializationException(HttpSerializationErrorKind.NotSerializable,
                $"{obj.GetType().Name} cannot be written as HTTP/1.1: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return manifest switch
        {
            StrictRequestManifest or StreamingRequestManifest => ReadStrictRequest(bytes, manifest).Request,
            ShardedRequestManifest or StreamingShardedRequestManifest => ReadShardedRequest(bytes, manifest),
            ReplyStreamedManifest => ReadStreamedResponse(bytes),
            ServerResponseManifest => ReadServerResponse(bytes, withId: false).Response,
            ReplyResponseManifest => ReadReplyResponse(bytes),
            ReplyFailureManifest => ReadFailure(bytes),
            ReplyCompleteManifest => new Reply(ParseId(Encoding.ASCII.GetString(bytes), manifest), ResponseComplete.Instance),
            ResponseCompleteManifest => ResponseComplete.Instance,
            ClientRequestManifest => ReadClientRequest(bytes),
            ClientResponseManifest => ReadClientResponse(bytes),
            _ when IsPoolManifest(manifest) => ReadPool(bytes, manifest),
            _ => throw new HttpSerializationException(HttpSerializationErrorKind.Malformed,
                $"Unknown manifest '{manifest}' for {nameof(HttpWireSerializer)}: a node of a newer ActorHttp sent a message this one does not know."),
        };
    }

    // WRITING

    // The entity id is percent-encoded: an id is any string, a field value is not.
    private byte[] WriteStrictRequest(HandleStrictRequest m, string? entityId)
    {
        var w = new ArrayBufferWriter<byte>(m.BodyRef is null ? 256 + m.Body.Length : 512);
        HttpMessageWriter.WriteRequestLine(w, m.Method, m.Target, m.Version);
        if (entityId is not null) HttpMessageWriter.WriteHeader(w, EntityIdField, Uri.EscapeDataString(entityId));
        HttpMessageWriter.WriteHeader(w, RequestIdField, m.Id.ToString(CultureInfo.InvariantCulture));
        HttpMessageWriter.WriteHeader(w, ReplyToField, Akka.Serialization.Serialization.SerializedActorPath(m.ReplyTo));
        if (m.BodyRef is { } bodyRef) HttpMessageWriter.WriteHeader(w, BodyRefField, WriteBodyRef(bodyRef));
        foreach (var (name, value) in m.Headers) HttpMessageWriter.WriteHeader(w, name, value);
        HttpMessageWriter.WriteEndOfHead(w);
        // The constructor saw to the framing: chunked, a matching Content-Length, or no body. A streamed body is not here.
        if (m.BodyRef is null) WriteBody(w, m.Body.Span, IsChunked(m.Headers), trailers: null);
        return w.WrittenSpan.ToArray();
    }

    private byte[] WriteStreamedResponse(long id, StreamedResponse m)
    {
        if (m.StatusCode is < 200 or > 999)
            throw NotSerializable(m, $"status {m.StatusCode} is not a final response");
        var headers = m.Headers ?? [];
        if (headers.Any(f => Is(f.Key, "Transfer-Encoding")))
            throw NotSerializable(m, "Transfer-Encoding is the server's to choose");
        var w = new ArrayBufferWriter<byte>(512);
        HttpMessageWriter.WriteStatusLine(w, HttpProtocolVersion.Http11, m.StatusCode);
        HttpMessageWriter.WriteHeader(w, ReplyIdField, id.ToString(CultureInfo.InvariantCulture));
        HttpMessageWriter.WriteHeader(w, BodyRefField, WriteBodyRef(m.Body));
        foreach (var (name, value) in headers) HttpMessageWriter.WriteHeader(w, name, value);
        HttpMessageWriter.WriteEndOfHead(w);
        return w.WrittenSpan.ToArray();
    }

    // The stream ref as Akka serializes it: "<serializer id> <manifest> <base64>" (a manifest is a short type tag).
    private string WriteBodyRef(ISourceRef<byte[]> bodyRef)
    {
        var serializer = system.Serialization.FindSerializerFor(bodyRef);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, bodyRef);
        return $"{serializer.Identifier.ToString(CultureInfo.InvariantCulture)} {(manifest.Length == 0 ? "-" : manifest)} {Convert.ToBase64String(serializer.ToBinary(bodyRef))}";
    }

    private ISourceRef<byte[]> ReadBodyRef(string value, string manifest)
    {
        var parts = value.Split(' ');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int serializerId))
            throw Malformed(manifest, $"{BodyRefField} is not '<serializer id> <manifest> <base64>'");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw Malformed(manifest, $"{BodyRefField}'s bytes are not base64");
        }

        return system.Serialization.Deserialize(bytes, serializerId, parts[1] == "-" ? "" : parts[1]) as ISourceRef<byte[]>
            ?? throw Malformed(manifest, $"{BodyRefField} is not a stream ref of byte arrays");
    }

    private static byte[] WriteServerResponse(long? id, ServerResponse m)
    {
        if (m.StatusCode is < 200 or > 999)
            throw NotSerializable(m, $"status {m.StatusCode} is not a final response");
        var headers = m.Headers ?? [];
        bool bodyAllowed = m.StatusCode is not (204 or 304);
        if (!bodyAllowed && m.Body.Length > 0)
            throw NotSerializable(m, $"a {m.StatusCode} response has no content (RFC 9110 §6.4.1), and this one has {m.Body.Length} bytes");
        if (headers.Any(f => Is(f.Key, "Transfer-Encoding")))
            throw NotSerializable(m, "Transfer-Encoding is the server's to choose; a ServerResponse is sent with a Content-Length");
        var declared = headers.Where(f => Is(f.Key, "Content-Length")).Select(f => f.Value).ToList();
        foreach (var text in declared)
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length != m.Body.Length)
                throw NotSerializable(m, $"its Content-Length '{text}' is not the body's length ({m.Body.Length} bytes)");
        // The server computes a Content-Length when the handler declares none; on the wire it is an added field.
        bool addLength = bodyAllowed && declared.Count == 0;

        var w = new ArrayBufferWriter<byte>(256 + m.Body.Length);
        HttpMessageWriter.WriteStatusLine(w, HttpProtocolVersion.Http11, m.StatusCode);
        if (id is { } replyId) HttpMessageWriter.WriteHeader(w, ReplyIdField, replyId.ToString(CultureInfo.InvariantCulture));
        HttpMessageWriter.WriteHeader(w, AddedField, addLength ? "Content-Length" : None);
        if (addLength) HttpMessageWriter.WriteContentLength(w, m.Body.Length);
        foreach (var (name, value) in headers) HttpMessageWriter.WriteHeader(w, name, value);
        HttpMessageWriter.WriteEndOfHead(w);
        w.Write(m.Body.Span);
        return w.WrittenSpan.ToArray();
    }

    private static byte[] WriteFailure(long id, Exception? cause)
    {
        var type = cause?.GetType().FullName ?? typeof(Exception).FullName!;
        var message = Encoding.UTF8.GetBytes(cause?.Message ?? "");
        var w = new ArrayBufferWriter<byte>(256 + message.Length);
        HttpMessageWriter.WriteStatusLine(w, HttpProtocolVersion.Http11, 500);
        HttpMessageWriter.WriteHeader(w, ReplyIdField, id.ToString(CultureInfo.InvariantCulture));
        HttpMessageWriter.WriteHeader(w, ExceptionField, type);
        HttpMessageWriter.WriteHeader(w, "Content-Type", "text/plain; charset=utf-8");
        HttpMessageWriter.WriteContentLength(w, message.Length);
        HttpMessageWriter.WriteEndOfHead(w);
        w.Write(message);
        return w.WrittenSpan.ToArray();
    }

    // lines: a cluster pool message's first lines (its request id, ...), written into the same buffer ahead of the request.
    private static byte[] WriteClientRequest(ClientRequest m, string? lines = null)
    {
        if (m.Trace is not null)
            throw NotSerializable(m, "its Trace observer lives on this node; send the request without one");
        if (m.Method == "CONNECT")
            throw NotSerializable(m, "CONNECT is a tunnel, not a request another node can send for this one");
        if (!string.IsNullOrEmpty(m.Uri.UserInfo))
            throw NotSerializable(m, "its URI has user info; send credentials in an Authorization field");
        if (m.Headers.Contains("Content-Length") || m.Headers.Contains("Transfer-Encoding"))
            throw NotSerializable(m, "framing fields come from its Content (the client removes them from Headers); remove them before sending it to another node");
        ReadOnlyMemory<byte>? body = m.Content switch
        {
            // Typed: a bare null would convert to an empty ReadOnlyMemory (through byte[]) and send "Content-Length: 0".
            null => (ReadOnlyMemory<byte>?)null,
            ByteArrayRequestContent bytes => bytes.Bytes,
            var other => throw new HttpSerializationException(HttpSerializationErrorKind.StreamingBody,
                $"ClientRequest has a {other.GetType().Name}, a body read on demand: only a body in memory (RequestContent.FromBytes or FromString) travels to another node."),
        };

        var added = new List<string>(2);
        if (!m.Headers.Contains("Host")) added.Add("Host");
        // A Content-Length says "there is content" even when it is empty: an empty ByteArrayRequestContent is not null.
        if (body is not null) added.Add("Content-Length");

        var w = new ArrayBufferWriter<byte>(256 + (body?.Length ?? 0));
        WriteLines(w, lines);
        HttpMessageWriter.WriteRequestLine(w, m.Method, AbsoluteTarget(m.Uri), HttpProtocolVersion.Http11);
        HttpMessageWriter.WriteHeader(w, AddedField, added.Count == 0 ? None : string.Join(", ", added));
        if (added.Contains("Host")) HttpMessageWriter.WriteHeader(w, "Host", m.Uri.IsDefaultPort ? m.Uri.IdnHost : $"{m.Uri.IdnHost}:{m.Uri.Port}");
        if (body is { } b) HttpMessageWriter.WriteContentLength(w, b.Length);
        foreach (var (name, value) in m.Headers) HttpMessageWriter.WriteHeader(w, name, value);
        HttpMessageWriter.WriteEndOfHead(w);
        if (body is { } content) w.Write(content.Span);
        return w.WrittenSpan.ToArray();
    }

    // headOnly: a cluster pool's response whose body streams (ClusterPoolClient.RespondedStreamed): the head as received,
    // framing fields included, and no body bytes.
    private static byte[] WriteClientResponse(ClientResponse m, string? lines = null, bool headOnly = false)
    {
        if (headOnly) return WriteClientResponseHead(m, lines, ReadOnlyMemory<byte>.Empty, chunked: false);
        if (m.Body is not MemoryStream stream)
            throw new HttpSerializationException(HttpSerializationErrorKind.StreamingBody,
                $"ClientResponse's body is a {m.Body.GetType().Name}, read on demand from its connection: only a body in memory (a MemoryStream, e.g. after ReadAsByteArrayAsync) travels to another node.");
        var body = stream.TryGetBuffer(out var buffer)
            ? buffer.AsMemory((int)stream.Position)
            : stream.ToArray().AsMemory((int)stream.Position);

        bool chunked = false;
        if (ResponseHasNoBody(m.Request.Method, m.StatusCode))
        {
            if (body.Length > 0)
                throw NotSerializable(m, $"a {m.StatusCode} response to {m.Request.Method} has no content, and this one has {body.Length} bytes");
        }
        else if (m.Headers.Contains("Transfer-Encoding"))
        {
            // As received: chunked again (the trailers with it), or read to the end when the last coding is another.
            chunked = IsChunked(m.Headers.GetFields("Transfer-Encoding"));
        }
        else if (m.Headers.GetValue(KnownHeader.ContentLength) is { } text &&
                 (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length != body.Length))
        {
            throw NotSerializable(m, $"its Content-Length '{text}' is not the body's length ({body.Length} bytes); a decoded body needs its headers changed too");
        }
        if (m.Version == HttpProtocolVersion.Http10 && chunked)
            throw NotSerializable(m, "an HTTP/1.0 response is not chunked");
        return WriteClientResponseHead(m, lines, body, chunked, withBody: true);
    }

    private static byte[] WriteClientResponseHead(ClientResponse m, string? lines, ReadOnlyMemory<byte> body, bool chunked, bool withBody = false)
    {
        var w = new ArrayBufferWriter<byte>(256 + body.Length);
        WriteLines(w, lines);
        HttpMessageWriter.WriteStatusLine(w, m.Version, m.StatusCode, m.ReasonPhrase);
        HttpMessageWriter.WriteHeader(w, AnsweredRequestField, $"{m.Request.Method} {AbsoluteTarget(m.Request.Uri)}");
        HttpMessageWriter.WriteHeader(w, InformationalField,
            m.Informational.Count == 0 ? None : string.Join(", ", m.Informational.Select(s => s.ToString(CultureInfo.InvariantCulture))));
        HttpMessageWriter.WriteHeaders(w, m.Headers);
        HttpMessageWriter.WriteEndOfHead(w);
        if (withBody) WriteBody(w, body.Span, chunked, chunked ? m.Trailers : null);
        return w.WrittenSpan.ToArray();
    }

    private static void WriteBody(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> body, bool chunked, HeaderCollection? trailers)
    {
        if (!chunked)
        {
            w.Write(body);
            return;
        }
        ChunkedEncoder.WriteChunk(w, body);
        ChunkedEncoder.WriteFinalChunk(w, trailers);
    }

    // READING

    private (HandleStrictRequest Request, string? EntityId) ReadStrictRequest(byte[] bytes, string manifest)
    {
        bool streaming = manifest is StreamingRequestManifest or StreamingShardedRequestManifest;
        var (head, body, _) = ParseRequest(bytes, manifest, headOnly: streaming);
        var fields = Fields(head.Headers);
        int at = 0;
        string? entityId = manifest is ShardedRequestManifest or StreamingShardedRequestManifest
            ? Uri.UnescapeDataString(Envelope(fields, at++, EntityIdField, manifest))
            : null;
        long id = ParseId(Envelope(fields, at++, RequestIdField, manifest), manifest);
        var replyTo = system.Provider.ResolveActorRef(Envelope(fields, at++, ReplyToField, manifest));
        if (!streaming) return (new HandleStrictRequest(head.Method, head.RawTarget, head.Version, fields.Skip(at), body, id, replyTo), entityId);
        var bodyRef = ReadBodyRef(Envelope(fields, at++, BodyRefField, manifest), manifest);
        return (HandleStrictRequest.WithBodyRef(head.Method, head.RawTarget, head.Version, fields.Skip(at), bodyRef, id, replyTo), entityId);
    }

    private ShardedHttpRequest ReadShardedRequest(byte[] bytes, string manifest)
    {
        var (request, entityId) = ReadStrictRequest(bytes, manifest);
        return new ShardedHttpRequest(entityId!, request);
    }

    private Reply ReadStreamedResponse(byte[] bytes)
    {
        var (head, _, _) = ParseResponse(bytes, RequestMethod.Get, ReplyStreamedManifest, headOnly: true);
        var fields = Fields(head.Headers);
        long id = ParseId(Envelope(fields, 0, ReplyIdField, ReplyStreamedManifest), ReplyStreamedManifest);
        var bodyRef = ReadBodyRef(Envelope(fields, 1, BodyRefField, ReplyStreamedManifest), ReplyStreamedManifest);
        var headers = fields.Skip(2).ToArray();
        return new Reply(id, new StreamedResponse(head.StatusCode, bodyRef, headers.Length == 0 ? null : headers));
    }

    private (ServerResponse Response, long Id) ReadServerResponse(byte[] bytes, bool withId)
    {
        string manifest = withId ? ReplyResponseManifest : ServerResponseManifest;
        var (head, body, _) = ParseResponse(bytes, RequestMethod.Get, manifest);
        var fields = Fields(head.Headers);
        int at = 0;
        long id = withId ? ParseId(Envelope(fields, at++, ReplyIdField, manifest), manifest) : 0;
        int added = AddedCount(fields, ref at, manifest);
        var headers = fields.Skip(at + added).ToArray();
        return (new ServerResponse(head.StatusCode, body, headers.Length == 0 ? null : headers), id);
    }

    private Reply ReadReplyResponse(byte[] bytes)
    {
        var (response, id) = ReadServerResponse(bytes, withId: true);
        return new Reply(id, response);
    }

    private Reply ReadFailure(byte[] bytes)
    {
        var (head, body, _) = ParseResponse(bytes, RequestMethod.Get, ReplyFailureManifest);
        var fields = Fields(head.Headers);
        long id = ParseId(Envelope(fields, 0, ReplyIdField, ReplyFailureManifest), ReplyFailureManifest);
        var type = Envelope(fields, 1, ExceptionField, ReplyFailureManifest);
        return new Reply(id, new Status.Failure(new RemoteHandlerException(type, Encoding.UTF8.GetString(body))));
    }

    private ClientRequest ReadClientRequest(ReadOnlyMemory<byte> bytes)
    {
        var (head, body, _) = ParseRequest(bytes, ClientRequestManifest);
        var fields = Fields(head.Headers);
        int at = 0;
        var addedNames = AddedNames(fields, ref at, ClientRequestManifest);
        var headers = fields.Skip(at + addedNames.Count).ToArray();
        if (!Uri.TryCreate(head.RawTarget, UriKind.Absolute, out var uri))
            throw Malformed(ClientRequestManifest, $"the target '{head.RawTarget}' is not an absolute URI");
        return new ClientRequest(head.Method, uri)
        {
            Headers = RequestHeaders.From(headers),
            Content = addedNames.Any(n => Is(n, "Content-Length")) ? RequestContent.FromBytes(body) : null,
        };
    }

    // headOnly: the head of a response whose body streams; its body is empty here, and its framing fields frame that stream.
    private ClientResponse ReadClientResponse(ReadOnlyMemory<byte> bytes, bool headOnly = false)
    {
        // The request's method decides whether the response has a body (HEAD), so the envelope is read first.
        var (method, uri) = ReadAnsweredRequest(bytes);
        var (head, body, trailers) = ParseResponse(bytes, MethodKind(method), ClientResponseManifest, headOnly);
        var fields = Fields(head.Headers);
        var informational = Envelope(fields, 1, InformationalField, ClientResponseManifest);
        var statuses = informational == None
            ? []
            : informational.Split(',', StringSplitOptions.TrimEntries).Select(s => (int)ParseId(s, ClientResponseManifest)).ToArray();
        var headers = HeaderCollection.FromFields(fields.Skip(2));
        return new ClientResponse(new ClientRequest(method, uri), head.StatusCode, head.ReasonPhrase, head.Version, headers,
            new MemoryStream(body, writable: false), statuses, trailers.Count == 0 ? null : () => trailers);
    }

    private (string Method, Uri Uri) ReadAnsweredRequest(ReadOnlyMemory<byte> bytes)
    {
        // The envelope field is the first one, right after the status line: no parse of the rest is needed to find it.
        var span = bytes.Span;
        int lineEnd = span.IndexOf("\r\n"u8);
        int fieldEnd = lineEnd < 0 ? -1 : span[(lineEnd + 2)..].IndexOf("\r\n"u8);
        var prefix = Encoding.ASCII.GetBytes(AnsweredRequestField + ": ");
        if (fieldEnd < 0 || !span[(lineEnd + 2)..].StartsWith(prefix))
            throw Malformed(ClientResponseManifest, $"the first field is not {AnsweredRequestField}");
        var value = Encoding.Latin1.GetString(span.Slice(lineEnd + 2 + prefix.Length, fieldEnd - prefix.Length)).Trim();
        int space = value.IndexOf(' ');
        if (space <= 0 || !Uri.TryCreate(value[(space + 1)..], UriKind.Absolute, out var uri))
            throw Malformed(ClientResponseManifest, $"{AnsweredRequestField} '{value}' is not a method and an absolute URI");
        return (value[..space], uri);
    }

    // headOnly: the message is a head whose body streams elsewhere (a stream ref); its framing fields frame that body.
    private (RequestHead Head, byte[] Body, HeaderCollection Trailers) ParseRequest(ReadOnlyMemory<byte> bytes, string manifest, bool headOnly = false)
    {
        var input = new ReadOnlySequence<byte>(bytes);
        var result = new RequestHeadParser(_settings.Parsing).Parse(input);
        if (result.Status != ParseStatus.Complete)
            throw Malformed(manifest, result.Status == ParseStatus.Rejected ? $"the request head is refused: {result.Error}" : "the request head is incomplete");
        var head = result.Head!;
        if (headOnly) return OnlyHead(head, input.Length - result.BytesConsumed, manifest);
        var decoder = BodyDecoder.For(head, _settings.Parsing);
        var body = ReadBody(decoder, input.Slice(result.BytesConsumed), manifest);
        return (head, body, decoder.Trailers);
    }

    private static (THead Head, byte[] Body, HeaderCollection Trailers) OnlyHead<THead>(THead head, long rest, string manifest) =>
        rest == 0 ? (head, [], HeaderCollection.Empty) : throw Malformed(manifest, $"{rest} bytes follow a head whose body streams");

    private (ResponseHead Head, byte[] Body, HeaderCollection Trailers) ParseResponse(ReadOnlyMemory<byte> bytes, RequestMethod method, string manifest, bool headOnly = false)
    {
        var input = new ReadOnlySequence<byte>(bytes);
        var result = new ResponseHeadParser(_settings.Parsing).Parse(input, method);
        if (result.Status != ParseStatus.Complete || result.Head!.IsInformational)
            throw Malformed(manifest, result.Status == ParseStatus.Rejected ? $"the response head is refused: {result.Error}" : "the response head is incomplete or informational");
        var head = result.Head!;
        if (headOnly) return OnlyHead(head, input.Length - result.BytesConsumed, manifest);
        var decoder = BodyDecoder.For(head, _settings.Parsing);
        var body = ReadBody(decoder, input.Slice(result.BytesConsumed), manifest);
        return (head, body, decoder.Trailers);
    }

    private static byte[] ReadBody(BodyDecoder decoder, ReadOnlySequence<byte> input, string manifest)
    {
        var body = new ArrayBufferWriter<byte>((int)Math.Max(input.Length, 1));
        while (true)
        {
            // The message is all there: the input's end is the peer's close.
            var step = decoder.Decode(input, isFinalBlock: true);
            switch (step.Status)
            {
                case BodyDecodeStatus.Data:
                    foreach (var segment in step.Data) body.Write(segment.Span);
                    input = input.Slice(step.BytesConsumed);
                    break;
                case BodyDecodeStatus.End:
                    if (input.Length != step.BytesConsumed)
                        throw Malformed(manifest, $"{input.Length - step.BytesConsumed} bytes follow the end of the message");
                    return body.WrittenSpan.ToArray();
                case BodyDecodeStatus.NeedMoreData when step.BytesConsumed > 0:
                    input = input.Slice(step.BytesConsumed);
                    break;
                case BodyDecodeStatus.Rejected:
                    throw Malformed(manifest, $"the body is refused: {step.Error}");
                default:
                    throw Malformed(manifest, "the body is truncated");
            }
        }
    }

    // ENVELOPE

    private static List<KeyValuePair<string, string>> Fields(HeaderCollection headers)
    {
        var list = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var field in headers) list.Add(KeyValuePair.Create(field.Name, field.Value));
        return list;
    }

    private static string Envelope(List<KeyValuePair<string, string>> fields, int index, string name, string manifest) =>
        index < fields.Count && Is(fields[index].Key, name)
            ? fields[index].Value
            : throw Malformed(manifest, $"field {index + 1} is not {name}");

    // Reads ActorHttp-Added at fields[at] (moving past it) and checks that the fields it names follow, in order.
    private static List<string> AddedNames(List<KeyValuePair<string, string>> fields, ref int at, string manifest)
    {
        var value = Envelope(fields, at++, AddedField, manifest);
        var names = value == None ? [] : value.Split(',', StringSplitOptions.TrimEntries).ToList();
        for (int i = 0; i < names.Count; i++)
            if (at + i >= fields.Count || !Is(fields[at + i].Key, names[i]))
                throw Malformed(manifest, $"{AddedField} names {names[i]}, which does not follow it");
        return names;
    }

    private static int AddedCount(List<KeyValuePair<string, string>> fields, ref int at, string manifest) =>
        AddedNames(fields, ref at, manifest).Count;

    private static long ParseId(string text, string manifest) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id)
            ? id
            : throw Malformed(manifest, $"'{text}' is not a number");

    // HELPERS

    // The absolute form of a URI as sent: scheme, host, port, path and query; never user info or fragment.
    private static string AbsoluteTarget(Uri uri) => uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private static bool IsChunked(IEnumerable<KeyValuePair<string, string>> headers) =>
        IsChunked(headers.Where(f => Is(f.Key, "Transfer-Encoding")).Select(f => f.Value));

    private static bool IsChunked(HeaderCollection.NamedFields codings)
    {
        var values = new List<string>();
        foreach (var field in codings) values.Add(field.Value);
        return IsChunked(values);
    }

    // RFC 9112 §6.1: chunked is the final coding when the body is chunked.
    private static bool IsChunked(IEnumerable<string> codings)
    {
        var last = codings.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).LastOrDefault();
        return last is not null && Is(last, "chunked");
    }

    // RFC 9110 §6.4.1, RFC 9112 §6.3: what the response parser frames as no body.
    private static bool ResponseHasNoBody(string method, int status) =>
        method == "HEAD" || status is < 200 or 204 or 304 || (method == "CONNECT" && status is >= 200 and < 300);

    private static RequestMethod MethodKind(string method) => method switch
    {
        "HEAD" => RequestMethod.Head,
        "CONNECT" => RequestMethod.Connect,
        // Every other method frames a response alike.
        _ => RequestMethod.Get,
    };

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static HttpSerializationException NotSerializable(object message, string why) =>
        new(HttpSerializationErrorKind.NotSerializable, $"{message.GetType().Name} cannot travel to another node: {why}.");

    private static HttpSerializationException LocalSource(object message) => NotSerializable(message,
        "its body is a source on this node (ServerResponse.Streamed); across nodes a handler streams its answer with HandleStrictRequest.RespondAsync");

    private static HttpSerializationException Malformed(string manifest, string why) =>
        new(HttpSerializationErrorKind.Malformed, $"Bytes with manifest '{manifest}' are not the HTTP/1.1 message it names: {why}.");
}
