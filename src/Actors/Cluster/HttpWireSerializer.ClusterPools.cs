using System.Globalization;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Client.Cluster;

namespace ActorHttp.Cluster;

// The messages of cluster-wide host pools (ActorHttp.Client.Cluster), kept apart from the server's and the plain client messages.
// A request or response travels as its cq / cr bytes behind one ASCII line with the request's id; the others are a few ASCII or
// UTF-8 fields. Manifests (never reuse one for another shape):
//   pl ClusterHostPool.Locate (no bytes)           pd ClusterPoolClient.Located (the entity id, UTF-8)
//   pq ClusterHostPool.Send ("id\r\n" + cq)        pr ClusterPoolClient.Responded ("id\r\n" + cr)
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
        _ => throw NotSerializable(message, "it is not a cluster pool message this serializer writes"),
    };

    private static byte[] WritePool(IClusterPoolMessage message) => message switch
    {
        ClusterHostPool.Locate => [],
        ClusterPoolClient.Located m => Encoding.UTF8.GetBytes(m.EntityId),
        ClusterHostPool.Send m => WriteClientRequest(m.Request, idLine: m.Id),
        ClusterPoolClient.Responded m => WriteClientResponse(m.Response, idLine: m.Id),
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

    // A request or response carries its id on a line of its own ahead of it, in the same buffer (no copy of the message).
    private static void WriteIdLine(System.Buffers.ArrayBufferWriter<byte> w, long? id)
    {
        if (id is not { } value) return;
        var line = Encoding.ASCII.GetBytes(Id(value) + "\r\n");
        line.CopyTo(w.GetSpan(line.Length));
        w.Advance(line.Length);
    }

    // The first line and the bytes after it, which are read in place.
    private static (string Line, ReadOnlyMemory<byte> Tail) SplitIdLine(byte[] bytes, string manifest)
    {
        int end = bytes.AsSpan().IndexOf("\r\n"u8);
        if (end < 0) throw Malformed(manifest, "the first line does not end");
        return (Encoding.ASCII.GetString(bytes, 0, end), bytes.AsMemory(end + 2));
    }
}
