using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using ActorHttp.Client;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>
/// Where a response body read that had to wait resumes its caller. The body pipe wakes its reader inline, in the
/// connection's turn (on its event loop when it has one), to save a thread-pool hop per read for the Source view; the
/// Stream view must then move to the thread pool itself, or a caller's code would run inside the connection's turn and
/// hold up every socket of its loop.
/// </summary>
public abstract class BodyWakeUpTests(ITestOutputHelper output, bool onLoops) : TransportTestBase(output, onLoops)
{
    [Fact]
    public async Task A_body_read_that_waited_resumes_its_caller_outside_every_actor_turn()
    {
        await using var server = await HeldBodyServer.StartAsync("the body, sent late");
        var transport = NewTransport();
        using var response = await transport.RoundTripAsync(ClientRequest.Get(server.Url), default).WaitAsync(Deadline);
        var buffer = new byte[64];
        var read = response.Body.ReadAsync(buffer).AsTask();
        Assert.False(read.IsCompleted, "nothing of the body was sent yet: the read must wait");

        // Runs on the thread that completed the read: where the caller's code after its await would run.
        var connection = Sys.ActorSelection(Assert.Single(Connections(transport), p => Regex.IsMatch(p, "/conn-[0-9]+$")));

        var resumed = read.ContinueWith(_ => (Thread.CurrentThread.Name ?? "",
                // Inside the connection's turn, the connection could not answer (nor, on a loop, the pool parked behind it).
                ConnectionAnswered: Answers(connection.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3))),
                PoolAnswered: transport.GetPoolStatsAsync().Wait(Deadline)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        server.SendBody();

        var (thread, connectionAnswered, poolAnswered) = await resumed.WaitAsync(Deadline);
        Assert.Equal("the body, sent late", Encoding.ASCII.GetString(buffer, 0, await read));
        Assert.DoesNotContain("event loop", thread, StringComparison.Ordinal);
        Assert.True(connectionAnswered, "the connection could not answer a caller resumed by its body read: the caller ran in its turn");
        Assert.True(poolAnswered, "the pool could not answer a caller resumed by a body read");
        Assert.Equal(0, await response.Body.ReadAsync(buffer).AsTask().WaitAsync(Deadline));
    }

    // Whether the ask was answered (false when it timed out).
    private static bool Answers(Task<ActorIdentity> ask)
    {
        try
        {
            return ask.Wait(Deadline) && ask.Result.Subject is not null;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>On the event loops.</summary>
    public sealed class OnLoops(ITestOutputHelper output) : BodyWakeUpTests(output, onLoops: true);

    /// <summary>On streams, on Akka's dispatcher.</summary>
    public sealed class OnStreams(ITestOutputHelper output) : BodyWakeUpTests(output, onLoops: false);

    // One connection: answers its request's head at once (Content-Length of the body) and the body only on SendBody.
    private sealed class HeldBodyServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly byte[] _body;
        private readonly TaskCompletionSource _send = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _serving;
        private volatile Socket? _socket;

        private HeldBodyServer(TcpListener listener, string body)
        {
            _listener = listener;
            _body = Encoding.ASCII.GetBytes(body);
            _serving = ServeAsync();
        }

        public Uri Url => new($"http://{_listener.LocalEndpoint}/held");

        public static Task<HeldBodyServer> StartAsync(string body)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new HeldBodyServer(listener, body));
        }

        public void SendBody() => _send.TrySetResult();

        private async Task ServeAsync()
        {
            using var socket = await _listener.AcceptSocketAsync();
            _socket = socket;
            var request = new byte[4096];
            int received = 0;
            while (!Encoding.ASCII.GetString(request, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await socket.ReceiveAsync(request.AsMemory(received));
                if (n == 0) return;
                received += n;
            }
            await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {_body.Length}\r\n\r\n"));
            await _send.Task;
            await socket.SendAsync(_body);
            // Held open until the client closes, or the test ends: the connection may go back to its pool.
            while (await socket.ReceiveAsync(request) > 0) { }
        }

        public async ValueTask DisposeAsync()
        {
            _send.TrySetResult();
            _listener.Stop();
            _socket?.Dispose();
            try
            {
                await _serving.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or TimeoutException) { }
        }
    }
}
