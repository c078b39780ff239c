using System.Globalization;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Client.Cluster;

namespace ActorHttp.Cluster;

// The messages of cluster-wide host pools (ActorHttp.Client.Cluster), kept apart from the server's and the plain client messages.
// A request or response travels as its cq / cr bytes behind one ASCII line with the request's id; the others are a few ASCII or
// UTF-8 fields. A body above the inline limit streams: the message is then the head alone (cq without a body, cr as received,
// framing fields included), behind the id line and a line with the stream ref as ActorHttp-Body-Ref holds it
// ("<serializer id> <manifest> <base64>", Akka's own format of the ref). Manifests (never reuse one for another shape):
//   pl ClusterHostPool.Locate (no bytes)           pd ClusterPoolClient.Located (the entity id, UTF-8)
//   pq ClusterHostPool.Send ("id\r\n" + cq)        pr ClusterPoolClient.Responded ("id\r\n" + cr)
//   pz ClusterHostPool.SendStreamed                pt ClusterPoolClient.RespondedStreamed
//      ("id length\r\nref\r\n" + cq head; length      ("id\r\nref\r\n" + cr head)
//      "-" when unknown: chunked)
//   pc ClusterHostPool.Cancel (the id)             pf ClusterPoolClient.Failed ("id kind written\r\n" + the message, UTF-8)
//   pm ClusterPoolClient.Requeue (the id)          ps ClusterPoolClient.Stopped (the entity id, UTF-8)
public sealed partial class HttpWireSerializer
{
    /// <summary><see cref="ClusterHostPool.Locate"/>.</summary>
    public const string PoolLocateManifest = "pl";
    /// <summary><see cref="ClusterPoolClient.Located"/>.</summary>
    public const string PoolLocatedManifest = "pd";
    /// <summary><see cref="ClusterHostPool.Send"/>.</summary>
    public const string PoolSendManifest = "pq";
    /// <summary><see cref="ClusterPoolClient.Responded"/>.</summary>
    public const string PoolRespondedManifest = "pr";
    /// <summary><see cref="ClusterHostPool.Cancel"/>.</summary>
    public const string PoolCancelManifest = "pc";
    /// <summary><see cref="ClusterPoolClient.Failed"/>.</summary>
    public const string PoolFailedManifest = "pf";
    /// <summary><see cref="ClusterPoolClient.Requeue"/>.</summary>
    public const string PoolRequeueManifest = "pm";
    /// <summary><see cref="ClusterPoolClient.Stopped"/>.</summary>
    public const string PoolStoppedManifest = "ps";
    /// <summary><see cref="ClusterHostPool.SendStreamed"/>.</summary>
    public const string PoolSendStreamedManifest = "pz";
    /// <summary><see cref="ClusterPoolClient.RespondedStreamed"/>.</summary>
    public const string PoolRespondedStreamedManifest = "pt";

    private static long PoolInlineLength(IClusterPoolMessage message) => message switch
    {
        ClusterHostPool.Send { Request.Content: ByteArrayRequestContent content } => content.Bytes.Length,
        ClusterPoolClient.Responded { Response.Body: MemoryStream body } => body.Length - body.Position,
        _ => 0,
    };

    private static string PoolManifest(IClusterPoolMessage message) => message switch
    {
        ClusterHostPool.Locate => PoolLocateManifest,
        ClusterPoolClient.Located => PoolLocatedManifest,
        ClusterHostPool.Send => PoolSendManifest,
        ClusterPoolClient.Responded => PoolRespondedManifest,
        ClusterHostPool.Cancel => PoolCancelManifest,
        ClusterPoolClient.Failed => PoolFailedManifest,
        ClusterPoolClient.Requeue => PoolRequeueManifest,
        ClusterPoolClient.Stopped => PoolStoppedManifest,
        ClusterHostPool.SendStreamed => PoolSendStreamedManifest,
        ClusterPoolClient.RespondedStreamed => PoolRespondedStreamedManifest,
        _ => throw NotSerializable(message, "it is not a cluster pool message this serializer writes"),
    };

    private byte[] WritePool(IClusterPoolMessage message) => message switch
    {
        ClusterHostPool.Locate => [],
        ClusterPoolClient.Located m => Encoding.UTF8.GetBytes(m.EntityId),
        ClusterHostPool.Send m => WriteClientRequest(m.Request, IdLine(m.Id)),
        ClusterPoolClient.Responded m => WriteClientResponse(m.Response, IdLine(m.Id)),
        ClusterHostPool.SendStreamed m => WriteClientRequest(StreamedHead(m),
            $"{Id(m.Id)} {(m.Length is { } length ? Id(length) : "-")}\r\n{WriteBodyRef(m.Body)}\r\n"),
        ClusterPoolClient.RespondedStreamed m => WriteClientResponse(m.Response, $"{IdLine(m.Id)}{WriteBodyRef(m.Body)}\r\n", headOnly: true),
        ClusterHostPool.Cancel m => Ascii(m.Id),
        ClusterPoolClient.Failed m => [.. Encoding.ASCII.GetBytes($"{Id(m.Id)} {m.Kind} {(m.RequestWritten ? 1 : 0)}\r\n"), .. Encoding.UTF8.GetBytes(m.Message)],
        ClusterPoolClient.Requeue m => Ascii(m.Id),
        ClusterPoolClient.Stopped m => Encoding.UTF8.GetBytes(m.EntityId),
        _ => throw NotSerializable(message, "it is not a cluster pool message this serializer writes"),
    };

    private object ReadPool(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case PoolLocateManifest:
                return ClusterHostPool.Locate.Instance;
            case PoolLocatedManifest:
                return new ClusterPoolClient.Located(Encoding.UTF8.GetString(bytes));
            case PoolSendManifest:
            {
                var (id, rest) = SplitIdLine(bytes, manifest);
                return new ClusterHostPool.Send(ParseId(id, manifest), ReadClientRequest(rest));
            }
            case PoolRespondedManifest:
            {
                var (id, rest) = SplitIdLine(bytes, manifest);
                return new ClusterPoolClient.Responded(ParseId(id, manifest), ReadClientResponse(rest));
            }
            case PoolSendStreamedManifest:
            {
                var (line, rest) = SplitIdLine(bytes, manifest);
                var parts = line.Split(' ');
                if (parts.Length != 2) throw Malformed(manifest, $"'{line}' is not an id and a length");
                long? length = parts[1] == "-" ? null : ParseId(parts[1], manifest);
                if (length < 0) throw Malformed(manifest, $"the length {length} is negative");
                var (bodyRef, head) = SplitLine(rest, manifest);
                return new ClusterHostPool.SendStreamed(ParseId(parts[0], manifest), ReadClientRequest(head), length, ReadBodyRef(bodyRef, manifest));
            }
            case PoolRespondedStreamedManifest:
            {
                var (id, rest) = SplitIdLine(bytes, manifest);
                var (bodyRef, head) = SplitLine(rest, manifest);
                return new ClusterPoolClient.RespondedStreamed(ParseId(id, manifest), ReadClientResponse(head, headOnly: true), ReadBodyRef(bodyRef, manifest));
            }
            case PoolCancelManifest:
                return new ClusterHostPool.Cancel(ParseId(Encoding.ASCII.GetString(bytes), manifest));
            case PoolFailedManifest:
            {
                var (line, rest) = SplitIdLine(bytes, manifest);
                var parts = line.Split(' ');
                if (parts.Length != 3 || !Enum.TryParse<ClientErrorKind>(parts[1], out var kind) || parts[2] is not ("0" or "1"))
                    throw Malformed(manifest, $"'{line}' is not an id, an error kind and 0 or 1");
                return new ClusterPoolClient.Failed(ParseId(parts[0], manifest), kind, Encoding.UTF8.GetString(rest.Span), parts[2] == "1");
            }
            case PoolRequeueManifest:
                return new ClusterPoolClient.Requeue(ParseId(Encoding.ASCII.GetString(bytes), manifest));
            case PoolStoppedManifest:
                return new ClusterPoolClient.Stopped(Encoding.UTF8.GetString(bytes));
            default:
                throw new HttpSerializationException(HttpSerializationErrorKind.Malformed,
                    $"Unknown manifest '{manifest}' for {nameof(HttpWireSerializer)}: a node of a newer ActorHttp sent a message this one does not know.");
        }
    }

    private static bool IsPoolManifest(string manifest) => manifest.Length == 2 && manifest[0] == 'p';

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static byte[] Ascii(long id) => Encoding.ASCII.GetBytes(Id(id));

    private static string IdLine(long id) => Id(id) + "\r\n";

    // A request sent with a streamed body travels as its head: its content is the stream ref, and its framing comes from Length.
    private static ClientRequest StreamedHead(ClusterHostPool.SendStreamed m) => m.Request.Content is null ? m.Request : m.Request with { Content = null };

    // A request or response carries its id (and a streamed body's ref) on lines of their own ahead of it, in the same buffer (no
    // copy of the message).
    private static void WriteLines(System.Buffers.ArrayBufferWriter<byte> w, string? lines)
    {
        if (lines is null) return;
        int n = Encoding.ASCII.GetBytes(lines, w.GetSpan(Encoding.ASCII.GetByteCount(lines)));
        w.Advance(n);
    }

    // The first line and the bytes after it, which are read in place.
    private static (string Line, ReadOnlyMemory<byte> Tail) SplitIdLine(byte[] bytes, string manifest) => SplitLine(bytes, manifest);

    private static (string Line, ReadOnlyMemory<byte> Tail) SplitLine(ReadOnlyMemory<byte> bytes, string manifest)
    {
        int end = bytes.Span.IndexOf("\r\n"u8);
        if (end < 0) throw Malformed(manifest, "a line of the envelope does not end");
        return (Encoding.ASCII.GetString(bytes.Span[..end]), bytes[(end + 2)..]);
    }
}
