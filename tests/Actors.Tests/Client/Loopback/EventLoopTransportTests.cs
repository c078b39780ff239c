using System.Net;
using System.Net.Sockets;
using System.Text;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Actors.Tests.Support.Peers;
using ActorHttp.Client;
using ActorHttp.Client.Connection;
using ActorHttp.Client.Transport;
using ActorHttp.Dispatch;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// What is particular to plain-HTTP connections on the event loops: where their actors run, where callers resume, an idle
/// connection's close seen by the loop, bodies and heads larger than the socket buffers, and an actor colocated with its host's pool.
/// </summary>
public sealed class EventLoopTransportTests(ITestOutputHelper output) : TransportTestBase(output, onLoops: true)
{
    [Fact]
    public async Task A_plain_http_connection_runs_with_its_pool_on_one_loop_thread()
    {
        Assert.True(EventLoopDispatchers.IsSupported, "these tests need the event loops (Linux x64/arm64)");
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var request = ClientRequest.Get(peer.Url("/plaintext"));
        var loops = new LoopRecorder();
        for (var i = 0; i < 3; i++)
        {
            using var response = await transport.RoundTripAsync(request with { Trace = loops }, default).WaitAsync(Deadline);
            Assert.Equal(KestrelPeerRoutes.PlaintextBody, await response.ReadAsStringAsync().WaitAsync(Deadline));
        }

        // From inside: every trace event is raised in a turn of the pool or of the connection, all on one loop.
        var loop = Assert.Single(loops.Seen.Distinct());
        Assert.True(loop >= 0, "the pool and the connection ran off the loops");
        Assert.Equal(transport.PoolDispatcher(request), EventLoopDispatchers.DispatcherIdPrefix + loop);
        // From outside: the pool, the connection, its reader and writer all have that loop's dispatcher.
        var paths = ActorTree.LiveDescendants(transport.Actor);
        Assert.Equal(4, paths.Count);
        Assert.All(paths, p => Assert.Equal(EventLoopDispatchers.DispatcherIdPrefix + loop, DispatcherOf(p)));
    }

    [Fact]
    public async Task A_connection_through_a_custom_dialer_stays_on_the_default_dispatcher()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport(options: new TransportOptions { Dialer = new PlainDialer() });
        var request = ClientRequest.Get(peer.Url("/plaintext"));
        using (var response = await transport.RoundTripAsync(request, default).WaitAsync(Deadline))
            await response.ReadAsStringAsync().WaitAsync(Deadline);
        Assert.Equal(Akka.Dispatch.Dispatchers.DefaultDispatcherId, transport.PoolDispatcher(request));
        Assert.All(ActorTree.LiveDescendants(transport.Actor), p => Assert.Equal(Akka.Dispatch.Dispatchers.DefaultDispatcherId, DispatcherOf(p)));
    }

    [Fact]
    public async Task Callers_resume_on_the_thread_pool_and_may_block_there()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport("actorhttp.client.max-conns-per-host = 1");
        for (var i = 0; i < 10; i++)
            Assert.Equal(PeerBytes.Pattern(100_000), await BlockingCallerAsync(transport, peer));
    }

    // Not a test method: its continuations must run where the transport resumes them, not on the test's context.
    private static async Task<byte[]> BlockingCallerAsync(ActorTransport transport, KestrelPeer peer)
    {
        using var response = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/stream/100000")), default).WaitAsync(Deadline).ConfigureAwait(false);
        Where();
        var body = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await response.Body.ReadAsync(buffer).AsTask().WaitAsync(Deadline).ConfigureAwait(false)) > 0)
        {
            Where();
            body.Write(buffer, 0, n);
        }
        // A synchronous wait for a request to the same host: were this continuation on the host's loop, the loop could not
        // run the pool's and the connection's turns, and the wait would time out.
        using var other = transport.RoundTripAsync(ClientRequest.Get(peer.Url("/plaintext")), default).Result;
        Assert.True(other.ReadAsStringAsync().Wait(Deadline));
        return body.ToArray();

        static void Where()
        {
            Assert.Equal(-1, EventLoopDispatchers.CurrentLoop);
            Assert.True(Thread.CurrentThread.IsThreadPoolThread);
        }
    }

    [Fact]
    public async Task A_server_closing_idle_connections_is_noticed_every_time()
    {
        // The response and the FIN leave back to back, so they often reach the loop in one readiness event.
        await using var server = new ScriptedServer(FaultScripts.CloseIdleAfterOneResponse());
        var transport = NewTransport();
        for (var i = 0; i < 20; i++)
        {
            using (var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url("/")), default).WaitAsync(Deadline))
                Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
            await AwaitAssertAsync(() => Assert.Empty(Connections(transport)), Deadline);
        }
        Assert.Equal(20, server.Connections.Accepted);
        server.ThrowIfFailed();
    }

    public static TheoryData<string> Uploads => ["bytes", "stream", "chunked"];

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task Uploads_and_downloads_larger_than_the_socket_buffers_arrive_whole(string kind)
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var body = PeerBytes.Pattern(3 * 1024 * 1024);
        // Two at once on the host's one loop: their sends and receives interleave on its thread.
        var tasks = Enumerable.Range(0, 2).Select(async _ =>
        {
            var content = kind switch
            {
                "bytes" => RequestContent.FromBytes(body),                                   // sent from its bytes, on the loop
                "stream" => RequestContent.FromStream(new MemoryStream(body)),               // copied on the pool into a pipe
                _ => RequestContent.FromStream(new NonSeekable(body)),                       // the same, chunked
            };
            using (var echo = await transport.RoundTripAsync(new ClientRequest("POST", peer.Url("/echo"), content), default).WaitAsync(Deadline))
                Assert.Equal(body, await echo.ReadAsByteArrayAsync().WaitAsync(Deadline));
            using var download = await transport.RoundTripAsync(ClientRequest.Get(peer.Url("/stream/6000000")), default).WaitAsync(Deadline);
            var bytes = await download.ReadAsByteArrayAsync().WaitAsync(Deadline);
            Assert.Equal(6_000_000, bytes.Length);
            Assert.True(bytes.AsSpan().SequenceEqual(PeerBytes.Pattern(6_000_000)));
        });
        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task A_head_larger_than_the_socket_buffers_is_finished_by_the_writer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var transport = NewTransport();
        var big = new string('a', 16 * 1024 * 1024);
        var call = transport.RoundTripAsync(ClientRequest.Get(url).WithHeader("X-Big", big), default);
        using var socket = await listener.AcceptSocketAsync().WaitAsync(Deadline);
        // Nothing is read until the request is out on its connection: its head then waits on the full buffers.
        await AwaitAssertAsync(async () => Assert.Equal(1, (await StatsAsync(transport)).Busy), Deadline);
        var received = 0L;
        var tail = new byte[4];
        var buffer = new byte[64 * 1024];
        while (!tail.AsSpan().SequenceEqual("\r\n\r\n"u8))
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Deadline);
            Assert.True(n > 0, "the client closed before its head was whole");
            received += n;
            var last = buffer.AsSpan(0, n);
            if (n >= 4) last[^4..].CopyTo(tail);
            else
            {
                tail.AsSpan(n).CopyTo(tail);
                last.CopyTo(tail.AsSpan(4 - n));
            }
        }
        Assert.True(received > big.Length, $"{received} bytes");
        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
        using var response = await call.WaitAsync(Deadline);
        Assert.Equal("ok", await response.ReadAsStringAsync().WaitAsync(Deadline));
    }

    [Fact]
    public async Task An_actor_on_its_hosts_loop_gets_responses_as_messages_on_that_loop()
    {
        await using var peer = await KestrelPeer.StartAsync();
        var transport = NewTransport();
        var request = ClientRequest.Get(peer.Url("/plaintext"));
        var pool = await transport.PoolAsync(request).WaitAsync(Deadline);
        var dispatcher = transport.PoolDispatcher(request);
        var caller = Sys.ActorOf(Props.Create(() => new ColocatedCaller(pool, request, 20, TestActor)).WithDispatcher(dispatcher));
        var loops = ExpectMsg<int[]>(Deadline);
        Assert.Equal(dispatcher, EventLoopDispatchers.DispatcherIdPrefix + Assert.Single(loops.Distinct()));
        Sys.Stop(caller);
    }

    // Sends its requests one after another straight to the pool; reports the loop of every turn that got a response.
    private sealed class ColocatedCaller : ReceiveActor
    {
        private readonly List<int> _loops = new();

        public ColocatedCaller(IActorRef pool, ClientRequest request, int count, IActorRef report)
        {
            Receive<ClientResponse>(response =>
            {
                _loops.Add(EventLoopDispatchers.CurrentLoop);
                // A small body came whole with the head: reading it does not wait.
                var text = response.ReadAsStringAsync();
                Assert.True(text.IsCompletedSuccessfully);
                response.Dispose();
                if (_loops.Count == count) report.Tell(_loops.ToArray());
                else pool.Tell(new TransportActor.RoundTrip(request, TransportActor.NextId()));
            });
            Receive<Status.Failure>(f => report.Tell(f));
            pool.Tell(new TransportActor.RoundTrip(request, TransportActor.NextId()));
        }
    }

    // The Akka dispatcher of the live actor at path.
    private string DispatcherOf(string path) =>
        ((ActorCell)((ActorRefWithCell)ActorTree.Find(Sys, path)!).Underlying).Dispatcher.Id;

    private sealed class LoopRecorder : IClientTrace
    {
        public List<int> Seen { get; } = new();

        public void OnEvent(ClientTraceEvent traceEvent)
        {
            lock (Seen) Seen.Add(EventLoopDispatchers.CurrentLoop);
        }
    }

    // The default dialer's stream, through a dialer of the test's own: the transport cannot tell, so it keeps the stream path.
    private sealed class PlainDialer : IDialer
    {
        public Task<Stream> DialAsync(string host, int port, CancellationToken ct) => SocketDialer.Instance.DialAsync(host, port, ct);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
