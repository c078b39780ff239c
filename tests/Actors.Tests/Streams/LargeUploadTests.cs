using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Server;
using ActorHttp.Streams;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Streams;

/// <summary>
/// A 256 MiB upload from a Source to the repo's own server, whose handler reads it as a Source through a slow consumer:
/// streamed end to end, so neither side's managed memory grows with the body.
/// </summary>
[Collection(ManagedMemoryCollection.Name)]
public sealed class LargeUploadTests(ITestOutputHelper output) : ServerTestBase(output, "actorhttp.server.request-body.max-size = 0")
{
    [Fact]
    public async Task A_256_MiB_upload_from_a_source_keeps_managed_memory_bounded()
    {
        const int pieces = 4096, pieceSize = 64 * 1024;   // 256 MiB
        // The stated bound: live managed memory grows by less than 16 MiB while 256 MiB pass. Every piece is a fresh array,
        // so a client that pulled the source ahead of the socket, or a server that read ahead of its handler, would hold them.
        const long bound = 16L * 1024 * 1024;
        var materializer = Sys.Materializer();
        var mux = new ServeMux().HandleFunc("POST /count", async (w, r) =>
        {
            var total = await r.DataBytes()
                .SelectAsync(1, async bytes =>
                {
                    await Task.Yield();   // the slow consumer: an asynchronous hop per element
                    return bytes.Count;
                })
                .RunAggregate(0L, (n, count) => n + count, materializer);
            await w.WriteAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var server = await StartAsync(mux);
        var transport = ActorTransport.Create(Sys, ClientSettings.Load());
        try
        {
            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            var source = Source.From(Enumerable.Range(0, pieces)).Select(i =>
            {
                if (i % 512 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                return ByteString.FromBytes(new byte[pieceSize]);
            });
            var request = new ClientRequest("POST", new Uri($"http://{server.LocalEndPoint}/count"),
                SourceRequestContent.Create(source, materializer, (long)pieces * pieceSize));
            using var response = await transport.RoundTripAsync(request, default).WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(((long)pieces * pieceSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
                await response.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(120)));
            Output.WriteLine($"peak live managed memory over baseline: {peak:N0} bytes");
            Assert.True(peak < bound, $"live managed memory grew by {peak:N0} bytes (bound {bound:N0})");
        }
        finally
        {
            await transport.DisposeAsync();
            await AwaitAssertAsync(() => Assert.Empty(ActorTree.LivePaths(transport.Actor)), TimeSpan.FromSeconds(10));
        }
    }
}
