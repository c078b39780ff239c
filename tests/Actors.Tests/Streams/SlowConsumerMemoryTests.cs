using ActorHttp.Actors.Tests.Client.Loopback;
using ActorHttp.Client;
using ActorHttp.Streams;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A response body read through a slow consumer keeps the process's live managed memory under a stated bound. It runs in
/// <see cref="ManagedMemoryCollection"/>: GC.GetTotalMemory is the whole process's, and another test moving 100 MiB beside
/// it once pushed the reading over the bound.
/// </summary>
public abstract class SlowConsumerMemoryTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    private IMaterializer Materializer => Sys.Materializer();

    [Fact]
    public async Task A_256_MiB_body_through_a_slow_consumer_keeps_managed_memory_bounded()
    {
        const long size = 256L * 1024 * 1024;
        // The stated bound: live managed memory grows by less than 16 MiB while 256 MiB pass (the client's buffers are a few
        // hundred KiB; a client that buffered ahead of its consumer would hold megabytes, growing with the body).
        const long bound = 16L * 1024 * 1024;
        await using var server = new BulkServer(size);
        var transport = NewTransport();
        var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline);
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, nextCheck = 0, total = 0;
        await response.DataBytes()
            // The slow consumer: every element costs an asynchronous hop and a full comparison.
            .SelectAsync(1, async bytes =>
            {
                await Task.Yield();
                return bytes;
            })
            .RunForeach(bytes =>
            {
                if (!bytes.ToReadOnlySpan().SequenceEqual(BulkServer.PatternAt(total, bytes.Count)))
                    throw new InvalidOperationException($"bytes at {total} differ");
                total += bytes.Count;
                if (total < nextCheck) return;
                nextCheck += 32 * 1024 * 1024;
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }, Materializer).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(size, total);
        Output.WriteLine($"peak live managed memory over baseline: {peak:N0} bytes");
        Assert.True(peak < bound, $"live managed memory grew by {peak:N0} bytes (bound {bound:N0})");
    }

    /// <summary>Plain-HTTP connections on the event loops.</summary>
    [Collection(ManagedMemoryCollection.Name)]
    public sealed class OnLoops(ITestOutputHelper output) : SlowConsumerMemoryTests(output, onLoops: true);

    /// <summary>Every connection on a stream (epoll-event-loop off).</summary>
    [Collection(ManagedMemoryCollection.Name)]
    public sealed class OnStreams(ITestOutputHelper output) : SlowConsumerMemoryTests(output, onLoops: false);
}
