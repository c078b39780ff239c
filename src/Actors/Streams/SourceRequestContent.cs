using System.Buffers;
using System.IO.Pipelines;
using ActorHttp.Client;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorHttp.Streams;

/// <summary>
/// A <see cref="RequestContent"/> whose bytes come from a <see cref="Source{TOut,TMat}"/> of byte strings, run when the
/// request's body is written: chunked, or with a Content-Length when <see cref="Length"/> is given. Never replayable
/// (a source may be a one-shot), so it is not retried on another connection.
/// </summary>
/// <remarks>
/// <para><b>Demand.</b> The source is pulled one element at a time, each after the previous one is on its way to the
/// socket: a fast source cannot outrun the connection.</para>
/// <para><b>Failure.</b> A source that fails, or produces other than its declared length, fails the request with
/// <see cref="ClientErrorKind.RequestContent"/>, and the connection is closed (its request is half written). Cancelling
/// the write (the request's deadline, the transport stopping) cancels the source.</para>
/// </remarks>
public sealed class SourceRequestContent : RequestContent
{
    private readonly Source<ByteString, NotUsed> _source;
    private readonly IMaterializer _materializer;
    private readonly long? _length;

    private SourceRequestContent(Source<ByteString, NotUsed> source, IMaterializer materializer, long? length)
    {
        _source = source;
        _materializer = materializer;
        _length = length;
    }

    /// <summary>Content of <paramref name="source"/>, run with <paramref name="materializer"/> when the body is written.</summary>
    /// <param name="source">The bytes; its materialized value is dropped.</param>
    /// <param name="materializer">Runs the source, for example <c>system.Materializer()</c>.</param>
    /// <param name="length">Bytes the source will produce (sent as Content-Length and checked), or null: chunked.</param>
    public static SourceRequestContent Create<TMat>(Source<ByteString, TMat> source, IMaterializer materializer, long? length = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(materializer);
        ArgumentOutOfRangeException.ThrowIfNegative(length ?? 0, nameof(length));
        return new SourceRequestContent(source.MapMaterializedValue(_ => NotUsed.Instance), materializer, length);
    }

    /// <inheritdoc />
    public override long? Length => _length;

    /// <inheritdoc />
    public override bool IsReplayable => false;

    /// <inheritdoc />
    protected override Task SerializeAsync(Stream destination, CancellationToken ct) =>
        // WriteToAsync writes the byte string's own segments, without a copy; cancellation reaches it by the kill switch.
        RunAsync((bytes, _) => bytes.WriteToAsync(destination), ct);

    /// <inheritdoc />
    protected override Task SerializeAsync(PipeWriter destination, CancellationToken ct) =>
        RunAsync(async (bytes, token) =>
        {
            destination.Write(bytes.ToReadOnlySpan());
            var flushed = await destination.FlushAsync(token).ConfigureAwait(false);
            if (flushed.IsCompleted) throw new IOException("The connection stopped taking the request body.");
        }, ct);

    private async Task RunAsync(Func<ByteString, CancellationToken, Task> write, CancellationToken ct)
    {
        long sent = 0;
        var (kill, done) = _source
            .ViaMaterialized(KillSwitches.Single<ByteString>(), Keep.Right)
            .ToMaterialized(Sink.ForEachAsync<ByteString>(1, bytes =>
            {
                sent += bytes.Count;
                // A declared length is a promise on the wire: fail before sending a byte past it.
                if (sent > _length)
                    throw new HttpClientException(ClientErrorKind.RequestContent, $"The request content source produced more than its declared {_length} bytes.");
                return write(bytes, ct);
            }), Keep.Both)
            .Run(_materializer);
        await using (ct.Register(static k => ((UniqueKillSwitch)k!).Abort(new OperationCanceledException("The request body's write was cancelled.")), kill))
        {
            try
            {
                await done.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (HttpClientException or OperationCanceledException or IOException))
            {
                throw new HttpClientException(ClientErrorKind.RequestContent, $"The request content source failed: {e.Message}", innerException: e);
            }
        }
        if (_length is { } n && sent != n)
            throw new HttpClientException(ClientErrorKind.RequestContent, $"The request content source ended after {sent} of its declared {n} bytes.");
    }
}
