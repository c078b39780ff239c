using System.Globalization;
using ActorHttp.Protocol;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Server;

public static partial class ActorHandler
{
    /// <summary>
    /// A request for a handler actor on another node: the whole head (method, target, version, header fields in
    /// order) and the whole body in memory, with the request's <see cref="Id"/> and the connection actor as
    /// <see cref="ReplyTo"/>. It is <see cref="HandleRequest"/> made strict (Akka HTTP's <c>HttpEntity.Strict</c>, an
    /// entity whose bytes are all there): immutable, and serialized as the HTTP/1.1 request it is
    /// (<see cref="Cluster.HttpWireSerializer"/>). Answer with <see cref="Respond"/> or <see cref="Fail"/>, or
    /// <c>Sender.Tell(serverResponse)</c> as for <see cref="HandleRequest"/>.
    /// </summary>
    /// <remarks>
    /// <para><b>Making one.</b> <see cref="From(HandleRequest, ReadOnlyMemory{byte})"/> keeps the id and reply-to of the
    /// request the connection made, with its body read to the end by the caller. The head keeps every field as received,
    /// framing included: a request that came chunked is written chunked again, with its decoded body as one chunk; its
    /// trailers are not carried.</para>
    /// <para><b>Always a valid HTTP/1.1 request.</b> The constructor checks what the parser on the receiving node would
    /// refuse, so an invalid message fails at the line that makes it, not on another node: a method that is a token,
    /// a target of visible ASCII, token field names and field-content values, exactly one <c>Host</c> in HTTP/1.1,
    /// <c>Transfer-Encoding: chunked</c> only in HTTP/1.1 and without <c>Content-Length</c>, a <c>Content-Length</c>
    /// equal to the body's length. A body with no framing field gets a <c>Content-Length</c> field appended.</para>
    /// <para><b>Size.</b> A body up to <c>actorhttp.cluster.max-inline-body</c> (80 KiB) travels inline, in
    /// <see cref="Body"/>. A larger one streams: the connection hands the handler a <see cref="BodyRef"/> (an Akka.Streams
    /// <see cref="ISourceRef{T}"/>, which crosses nodes), and the handler reads it with <see cref="DataBytes"/>, which reads
    /// either form. Reading pulls the body from the client's socket, with back-pressure across the nodes; nothing is
    /// buffered beyond the stream ref's <c>buffer-capacity</c>. A large answer streams back the same way
    /// (<see cref="RespondAsync"/>).</para>
    /// <para><b>Equality.</b> A record over a byte buffer and a list compares them by reference, as
    /// <see cref="ServerResponse"/> does; compare fields to compare contents.</para>
    /// </remarks>
    public sealed record HandleStrictRequest
    {
        /// <summary>A request with every part given; see the remarks of <see cref="HandleStrictRequest"/> for the checks.</summary>
        /// <param name="method">The method token, case-sensitive: "GET".</param>
        /// <param name="target">The request-target as sent: <c>/items/1?x=2</c> (origin form), an absolute URI, <c>*</c>.</param>
        /// <param name="version">The protocol version of the request line.</param>
        /// <param name="headers">The header fields in order, repeats kept.</param>
        /// <param name="body">The whole body; must not change while the message lives.</param>
        /// <param name="id">The request's number on its connection, carried back by <see cref="Reply"/>.</param>
        /// <param name="replyTo">The connection actor, which the answer goes to.</param>
        /// <exception cref="ArgumentException">The head is not a valid HTTP/1.1 request head, or its framing disagrees with the body.</exception>
        public HandleStrictRequest(string method, string target, HttpProtocolVersion version,
            IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, long id, IActorRef replyTo)
            : this(method, target, version, headers, body, bodyRef: null, id, replyTo)
        {
        }

        /// <summary>
        /// A request whose body streams through <paramref name="bodyRef"/>; its framing fields (a <c>Content-Length</c> or
        /// <c>Transfer-Encoding: chunked</c>) stay as they were received. Made by the connection and by the serializer.
        /// </summary>
        internal static HandleStrictRequest WithBodyRef(string method, string target, HttpProtocolVersion version,
            IEnumerable<KeyValuePair<string, string>> headers, ISourceRef<byte[]> bodyRef, long id, IActorRef replyTo) =>
            new(method, target, version, headers, ReadOnlyMemory<byte>.Empty, bodyRef ?? throw new ArgumentNullException(nameof(bodyRef)), id, replyTo);

        private HandleStrictRequest(string method, string target, HttpProtocolVersion version,
            IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, ISourceRef<byte[]>? bodyRef, long id,
            IActorRef replyTo)
        {
            ArgumentNullException.ThrowIfNull(headers);
            ArgumentNullException.ThrowIfNull(replyTo);
            CheckToken(method, nameof(method));
            CheckTarget(target);
            if (version is not (HttpProtocolVersion.Http10 or HttpProtocolVersion.Http11))
                throw new ArgumentOutOfRangeException(nameof(version), version, "HTTP/1.0 or HTTP/1.1.");
            var fields = headers.ToList();
            foreach (var (name, value) in fields)
            {
                CheckToken(name, nameof(headers));
                CheckValue(name, value);
            }
            CheckHost(fields, version);
            if (NeedsContentLength(fields, version, bodyRef is null ? body.Length : null))
                fields.Add(KeyValuePair.Create("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));

            Method = method;
            Target = target;
            Version = version;
            Headers = fields.AsReadOnly();
            _body = body;
            BodyRef = bodyRef;
            Id = id;
            ReplyTo = replyTo;
        }

        /// <summary>
        /// The strict form of <paramref name="request"/>: its head as received, <paramref name="body"/> (its body, read
        /// to the end), and its id and reply-to, so the answer reaches the same connection and exchange.
        /// </summary>
        public static HandleStrictRequest From(HandleRequest request, ReadOnlyMemory<byte> body)
        {
            ArgumentNullException.ThrowIfNull(request);
            return From(request.Request, body, request.Id, request.ReplyTo);
        }

        /// <summary>The strict form of <paramref name="request"/>, with <paramref name="body"/> read to the end, for request <paramref name="id"/> of connection <paramref name="replyTo"/>.</summary>
        public static HandleStrictRequest From(ServerRequest request, ReadOnlyMemory<byte> body, long id, IActorRef replyTo)
        {
            ArgumentNullException.ThrowIfNull(request);
            return new HandleStrictRequest(request.Method, request.RawTarget, request.Version, FieldsOf(request), body, id, replyTo);
        }

        /// <summary>The streaming form of <paramref name="request"/>: its head as received and its body through <paramref name="bodyRef"/>.</summary>
        internal static HandleStrictRequest Streaming(ServerRequest request, ISourceRef<byte[]> bodyRef, long id, IActorRef replyTo) =>
            WithBodyRef(request.Method, request.RawTarget, request.Version, FieldsOf(request), bodyRef, id, replyTo);

        private static List<KeyValuePair<string, string>> FieldsOf(ServerRequest request)
        {
            var fields = new List<KeyValuePair<string, string>>(request.Headers.Count);
            foreach (var field in request.Headers) fields.Add(KeyValuePair.Create(field.Name, field.Value));
            return fields;
        }

        /// <summary>The method token.</summary>
        public string Method { get; }

        /// <summary>The request-target exactly as received.</summary>
        public string Target { get; }

        /// <summary>The protocol version of the request line.</summary>
        public HttpProtocolVersion Version { get; }

        /// <summary>The header fields in order, repeats kept, framing fields included.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

        private readonly ReadOnlyMemory<byte> _body;

        /// <summary>The whole body, when it travelled inline; empty when there is none.</summary>
        /// <exception cref="InvalidOperationException">The body streams (<see cref="BodyRef"/>): read it with <see cref="DataBytes"/>.
        /// Thrown rather than an empty body, which a handler would take for the request's.</exception>
        public ReadOnlyMemory<byte> Body => BodyRef is null
            ? _body
            : throw new InvalidOperationException($"The body of {this} is above actorhttp.cluster.max-inline-body and streams: read it with DataBytes().");

        /// <summary>The body as a stream ref when it is above <c>actorhttp.cluster.max-inline-body</c>; null when it is in <see cref="Body"/>.</summary>
        public ISourceRef<byte[]>? BodyRef { get; }

        /// <summary>
        /// The body as a source of byte strings, whichever way it travelled: the inline bytes as one element, or the stream
        /// ref read on demand (a stream ref can be run once, and the connection fails it if nobody runs it within the
        /// stream ref's <c>subscription-timeout</c>).
        /// </summary>
        public Source<ByteString, NotUsed> DataBytes()
        {
            if (BodyRef is { } streamed) return streamed.Source.Select(ByteString.FromBytes);
            return _body.IsEmpty ? Source.Empty<ByteString>() : Source.Single(ByteString.FromBytes(_body.ToArray()));
        }

        /// <summary>
        /// Answers with a response whose body streams from <paramref name="body"/>, pulled by the client's socket across the
        /// nodes (chunked, unless <paramref name="headers"/> has a <c>Content-Length</c>): the source runs on
        /// <paramref name="materializer"/> (the handler's <c>Context.Materializer()</c>) into a stream ref, which the reply
        /// carries. Completes once the reply is told. A source that fails midway aborts the response (the client sees a
        /// truncated body, never a complete-looking wrong one).
        /// </summary>
        public async Task RespondAsync(int statusCode, Source<ByteString, NotUsed> body, IMaterializer materializer,
            IReadOnlyList<KeyValuePair<string, string>>? headers = null)
        {
            ArgumentNullException.ThrowIfNull(body);
            ArgumentNullException.ThrowIfNull(materializer);
            // byte[] elements: Akka binds them to its byte-array serializer; a ByteString would travel as JSON.
            var bodyRef = await body.Select(static b => b.ToArray()).RunWith(StreamRefs.SourceRef<byte[]>(), materializer).ConfigureAwait(false);
            ReplyTo.Tell(new Reply(Id, new StreamedResponse(statusCode, bodyRef, headers)), ActorRefs.NoSender);
        }

        /// <summary>The request's number on its connection, carried back by the replies.</summary>
        public long Id { get; }

        /// <summary>The connection actor.</summary>
        public IActorRef ReplyTo { get; }

        /// <summary>The value of the first field named <paramref name="name"/> (case-insensitive), or null.</summary>
        public string? Header(string name)
        {
            foreach (var (key, value) in Headers)
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
            return null;
        }

        /// <summary>Answers with a whole response.</summary>
        public void Respond(ServerResponse response) => ReplyTo.Tell(new Reply(Id, response), ActorRefs.NoSender);

        /// <summary>Says that the handler failed: the connection answers 500.</summary>
        public void Fail(Exception cause) => ReplyTo.Tell(new Reply(Id, new Status.Failure(cause)), ActorRefs.NoSender);

        /// <summary>"HandleStrictRequest(id, METHOD target HTTP/1.x, n bytes)"; never the body.</summary>
        public override string ToString() =>
            $"HandleStrictRequest({Id}, {Method} {Target} HTTP/1.{(Version == HttpProtocolVersion.Http11 ? 1 : 0)}, {(BodyRef is null ? $"{_body.Length} bytes" : "streamed body")})";

        // The checks of RequestHeadParser and HttpMessageWriter (RFC 9110 §5.1, §5.5, §9.1; RFC 9112 §3), repeated
        // because they are internal to the protocol assembly: failing here points at the caller's line.
        private static void CheckToken(string token, string param)
        {
            ArgumentException.ThrowIfNullOrEmpty(token, param);
            foreach (char c in token)
                if (c > 0x7E || c <= 0x20 || "\"(),/:;<=>?@[\\]{}".Contains(c))
                    throw new ArgumentException($"'{token}' is not a token.", param);
        }

        private static void CheckTarget(string target)
        {
            ArgumentException.ThrowIfNullOrEmpty(target);
            foreach (char c in target)
                if (c is <= ' ' or > '~' or '#')
                    throw new ArgumentException($"'{target}' is not a request-target of visible ASCII without '#'.", nameof(target));
        }

        private static void CheckValue(string name, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (char c in value)
                if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F)
                    throw new ArgumentException($"The value of '{name}' contains a control character or a character above U+00FF.", nameof(value));
        }

        private static void CheckHost(List<KeyValuePair<string, string>> fields, HttpProtocolVersion version)
        {
            int hosts = fields.Count(f => Is(f.Key, "Host"));
            if (hosts > 1) throw new ArgumentException("A request has at most one Host field (RFC 9112 §3.2).", "headers");
            if (hosts == 0 && version == HttpProtocolVersion.Http11)
                throw new ArgumentException("An HTTP/1.1 request has a Host field (RFC 9112 §3.2).", "headers");
        }

        // True when the body needs a Content-Length the fields lack; throws when the fields frame another body. A body that
        // streams (bodyLength null) keeps the framing it was received with, which must be there.
        private static bool NeedsContentLength(List<KeyValuePair<string, string>> fields, HttpProtocolVersion version, int? bodyLength)
        {
            var codings = fields.Where(f => Is(f.Key, "Transfer-Encoding")).Select(f => f.Value).ToList();
            var lengths = fields.Where(f => Is(f.Key, "Content-Length")).Select(f => f.Value).ToList();
            if (codings.Count > 0)
            {
                if (version != HttpProtocolVersion.Http11)
                    throw new ArgumentException("Transfer-Encoding is refused in an HTTP/1.0 request (RFC 9112 §6.1).", "headers");
                if (lengths.Count > 0)
                    throw new ArgumentException("A request has Transfer-Encoding or Content-Length, not both (RFC 9112 §6.1).", "headers");
                var elements = string.Join(",", codings).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (elements is not [var only] || !Is(only, "chunked"))
                    throw new ArgumentException($"Transfer-Encoding '{string.Join(", ", codings)}': only chunked is written (other codings are answered 501).", "headers");
                return false;
            }
            foreach (var text in lengths)
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || (bodyLength is { } known && length != known))
                    throw new ArgumentException($"Content-Length '{text}' is not the body's length ({bodyLength} bytes).", "headers");
            if (bodyLength is null && lengths.Count == 0)
                throw new ArgumentException("A request whose body streams keeps its framing: a Content-Length or Transfer-Encoding: chunked.", "headers");
            return lengths.Count == 0 && bodyLength > 0;
        }

        private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A handler's answer whose body streams through <paramref name="Body"/> (an Akka.Streams stream ref, which crosses
    /// nodes), for a response too large to travel inline: told as the answer of a <see cref="Reply"/>, usually by
    /// <see cref="HandleStrictRequest.RespondAsync"/>. The connection sends the head, then each element as it comes
    /// (chunked, unless <paramref name="Headers"/> has a <c>Content-Length</c>), pulling the next only once the previous
    /// is on its way to the client. A ref that fails midway (its node gone: the stream ref's own timeouts) aborts the
    /// response.
    /// </summary>
    /// <param name="StatusCode">The status code.</param>
    /// <param name="Body">The body's elements, in order.</param>
    /// <param name="Headers">Header fields, in order; null for none. No <c>Transfer-Encoding</c>: the server chooses it.</param>
    public sealed record StreamedResponse(int StatusCode, ISourceRef<byte[]> Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
    {
        /// <inheritdoc />
        public override string ToString() => $"StreamedResponse({StatusCode}, streamed body)";
    }
}
