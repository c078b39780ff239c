using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorHttp.Client.Cluster;

/// <summary>
/// The body of a response from a cluster-wide pool on another node whose body streams (<see cref="ClusterPoolClient.RespondedStreamed"/>),
/// as the <see cref="ClientResponse.Body"/> stream the caller reads: the stream ref's elements, pulled one at a time as the caller reads,
/// so the pool's node reads the connection only as fast as this caller does. Its <c>DataBytes</c> view is the usual one over this stream.
/// </summary>
/// <remarks>
/// <para><b>End and abort.</b> Read to its end, the body has given its connection back to the pool on the pool's node. Disposed
/// before, it cancels the ref: the pool's node closes the connection rather than reading the rest.</para>
/// <para><b>Failure.</b> A ref that fails (the body failed on the pool's node, or the ref's own timeouts) fails the read with
/// <see cref="ClientErrorKind.PoolNodeLost"/>: the stream ref does not say which, and all of them leave the body cut short. A ref does
/// not notice that its node was downed, so the <see cref="ClusterPoolClient"/>, which watches the pool, fails the body then
/// (<see cref="Fail"/>), with the same kind. The transport stopping fails it with <see cref="ClientErrorKind.Canceled"/>.</para>
/// <para><b>Ownership.</b> One reader at a time, as for any body stream.</para>
/// </remarks>
internal sealed class StreamRefBody : ReadOnlyStream
{
    private readonly UniqueKillSwitch _kill;
    private readonly ISinkQueue<byte[]> _queue;
    /// <summary>The request this body answers.</summary>
    public ClientRequest Request { get; }
    private readonly string _entityId;
    private byte[] _current = [];
    private int _offset;
    private bool _ended;

    /// <summary>Runs <paramref name="body"/> on <paramref name="materializer"/> (the caller's node's), for the response to
    /// <paramref name="request"/> from the pool of <paramref name="entityId"/>.</summary>
    public StreamRefBody(ISourceRef<byte[]> body, IMaterializer materializer, ClientRequest request, string entityId)
    {
        Request = request;
        _entityId = entityId;
        // An input buffer of one: what the pool's node reads ahead is the stream ref's buffer-capacity, not more here.
        ((_kill, Ended), _queue) = body.Source
            .ViaMaterialized(KillSwitches.Single<byte[]>(), Keep.Right)
            .WatchTermination(Keep.Both)
            .ToMaterialized(Sink.Queue<byte[]>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(materializer);
    }

    /// <summary>Completes when the body's stream has ended: read to its end, aborted or failed.</summary>
    public Task Ended { get; }

    /// <summary>Fails the body with <paramref name="error"/> (its pool's node was lost); nothing once it has ended.</summary>
    public void Fail(HttpClientException error) => _kill.Abort(error);

    /// <summary>Cancels a stream ref nobody will read (its request was settled meanwhile), so the pool's node closes the connection now
    /// rather than at the ref's subscription-timeout.</summary>
    public static void Cancel(ISourceRef<byte[]> body, IMaterializer materializer) => body.Source.RunWith(Sink.Cancelled<byte[]>(), materializer);

    public override int Read(Span<byte> buffer)
    {
        // A synchronous read of a body that crosses nodes: waits as a synchronous socket read would. A span cannot cross
        // the wait, so the bytes land in a pooled array first.
        var array = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = ReadAsync(array.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            array.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        while (_offset == _current.Length)
        {
            if (_ended) return 0;
            Option<byte[]> next;
            try
            {
                next = await _queue.PullAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Abort();
                throw;
            }
            catch (Exception e)
            {
                _ended = true;
                throw Failed(e);
            }
            if (!next.HasValue)
            {
                _ended = true;
                return 0;
            }
            _current = next.Value;
            _offset = 0;
        }
        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Abort();
        base.Dispose(disposing);
    }

    // Before the end: cancels the ref, and with it the body on the pool's node (which closes its connection). After it: nothing left.
    private void Abort()
    {
        if (_ended) return;
        _ended = true;
        _kill.Shutdown();
    }

    private HttpClientException Failed(Exception e) => (e is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerException! : e) switch
    {
        HttpClientException typed => typed,
        AbruptTerminationException or AbruptStageTerminationException => new HttpClientException(ClientErrorKind.Canceled,
            "The transport stopped while the response body from the cluster-wide pool was being read.", Request, requestWritten: true, e),
        _ => new HttpClientException(ClientErrorKind.PoolNodeLost,
            $"The response body from the cluster-wide pool of {_entityId} was cut short: {e.Message}", Request, requestWritten: true, e),
    };
}
