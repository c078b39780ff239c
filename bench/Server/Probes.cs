using ActorHttp.Bench;
using System.Net;
using System.Net.Security;
using System.Runtime;
using System.Net.Sockets;
using System.Text;

namespace ActorHttp.Server.Bench;

/// <summary>
/// Measurements of the server in this process, against raw loopback sockets whose client side
/// allocates nothing in its loop, so that process-wide counters are the server's.
/// </summary>
internal static class Probes
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: bench\r\n\r\n");

    /// <summary>
    /// Bytes allocated (all threads) per keep-alive GET /plaintext, one request at a time on one
    /// connection: GC.GetTotalAllocatedBytes(precise) around <paramref name="requests"/> requests.
    /// </summary>
    public static void AllocationsPerRequest(IPEndPoint server, int requests, bool types)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        var buffer = new byte[4096];
        RoundTrips(socket, buffer, 20_000);   // JIT, tiering, pools warm

        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(socket, buffer, requests);
            var after = GC.GetTotalAllocatedBytes(precise: true);
            Console.WriteLine($"alloc: {(after - before) / (double)requests:F0} bytes/request over {requests} keep-alive GET /plaintext");
        }

        if (!types) return;
        using var sampler = new AllocationSampler();
        sampler.Start();
        RoundTrips(socket, buffer, requests);
        foreach (var (type, bytes) in sampler.Top(25)) Console.WriteLine($"  {(double)bytes / requests,8:F0} B/req  {type}{Owners(type)}");
    }

    /// <summary>
    /// <see cref="AllocationsPerRequest"/> over TLS (a server started with a certificate): the client is an
    /// <see cref="SslStream"/> with synchronous calls, whose own allocations per round trip are counted too (measured
    /// against the same client, a change of the figure is the server's).
    /// </summary>
    public static void AllocationsPerTlsRequest(IPEndPoint server, int requests, bool types)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        tls.AuthenticateAsClient("localhost");
        var buffer = new byte[4096];
        RoundTrips(tls, buffer, 20_000);   // JIT, tiering, pools warm

        for (var round = 0; round < 3; round++)
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var before = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(tls, buffer, requests);
            var after = GC.GetTotalAllocatedBytes(precise: true);
            cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"alloc: {(after - before) / (double)requests:F0} bytes/request over {requests} keep-alive GET /plaintext over TLS; "
                + $"process CPU {cpu.TotalMicroseconds / requests:F1} us/request (client included)");
        }

        if (!types) return;
        using var sampler = new AllocationSampler();
        sampler.Start();
        RoundTrips(tls, buffer, requests);
        foreach (var (type, bytes) in sampler.Top(25)) Console.WriteLine($"  {(double)bytes / requests,8:F0} B/req  {type}{Owners(type)}");
    }

    /// <summary>
    /// Managed heap per idle keep-alive connection (each did one GET): GC.GetTotalMemory(true)
    /// before and after opening <paramref name="count"/> of them.
    /// </summary>
    public static void IdleConnectionMemory(IPEndPoint server, int count, bool types = false)
    {
        var buffer = new byte[4096];
        var sockets = new List<Socket>(count);
        using (var warm = Open(server)) RoundTrips(warm, buffer, 1000);
        var histogramBefore = types ? HeapHistogram.Take() : null;
        using var sampler = types ? new AllocationSampler() : null;
        sampler?.Start();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            var s = Open(server);
            RoundTrips(s, buffer, 1);
            sockets.Add(s);
        }

        // Garbage counts too: until the next collection it is resident, so RSS per connection
        // grows with what opening one allocates, not only with what it keeps.
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var allocatedTypes = sampler?.Top(25).ToList();

        // The client's own sockets are part of the delta: measure them alone and subtract.
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var clientOnly = ClientSocketBytes(count);
        Console.WriteLine($"idle: {(after - before - clientOnly) / (double)count:F0} managed bytes/connection on the server over {count} connections (client sockets {clientOnly / (double)count:F0} B each subtracted)");
        Console.WriteLine($"idle: {allocated / (double)count:F0} bytes allocated per connection opened and used once (both ends, all threads)");
        if (allocatedTypes is not null)
            foreach (var (type, bytes) in allocatedTypes) Console.WriteLine($"  {(double)bytes / count,8:F0} B/conn allocated  {type}{Owners(type)}");
        if (histogramBefore is not null)
        {
            // Both ends' objects are in this process: every type that grew by about one per
            // connection or more is listed; the client's sockets show up as the Socket-family rows
            // counted twice (one for each end), so halve those when reading.
            HeapHistogram.PrintGrowth(histogramBefore, HeapHistogram.Take(), count, indent: "  ");
        }

        foreach (var s in sockets) s.Dispose();
    }

    /// <summary>
    /// Every object allocated (both ends, all threads) per connection opened and used once, by type: heap walks
    /// before and after, inside a no-GC region so that nothing allocated meanwhile is collected. Exact where
    /// <c>--probe idle-types</c>'s allocation list is sampled. The client's own part is its sockets (the
    /// Socket-family rows, about half of them) and nothing else: it allocates nothing in its loop.
    /// </summary>
    /// <param name="close">Also close each connection (client first) after its request: the whole life of a connection.</param>
    public static void AllocatedPerConnection(IPEndPoint server, int count, bool close = false)
    {
        var buffer = new byte[4096];
        var sockets = new List<Socket>(count);
        for (var i = 0; i < 200; i++)
            using (var warm = Open(server)) RoundTrips(warm, buffer, 5);   // JIT, tiering, pools, Akka's caches warm
        StartNoGCRegion();
        var before = HeapHistogram.Take(collect: false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            var s = Open(server);
            RoundTrips(s, buffer, 1);
            if (close) s.Dispose();
            else sockets.Add(s);
        }

        Thread.Sleep(500);   // let the last connections' actors finish their turns: not a synchronisation, a settle before a snapshot
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var after = HeapHistogram.Take(collect: false);
        var collected = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion;
        if (!collected) GC.EndNoGCRegion();
        Console.WriteLine($"allocated: {allocated / (double)count:F0} bytes per connection opened and used once{(close ? ", then closed" : "")} (both ends, all threads){(collected ? "; A GC RAN: the table below is incomplete" : "")}");
        HeapHistogram.PrintGrowth(before, after, count, indent: "  ");
        foreach (var s in sockets) s.Dispose();
    }

    /// <summary>
    /// Every object allocated (both ends, all threads) per connection answered 408 at the header timeout, by type: the
    /// slowloris fault's 408 pass (bench/Faults). Connections send a partial head and wait; heap walks in a no-GC region
    /// around the pass only (opening them is not counted). Run with a short header timeout:
    /// <c>--probe timeout-allocated --hocon "actorhttp.server.header-read-timeout = 5s"</c> (longer than the heap walk before the pass).
    /// </summary>
    public static void AllocatedPerHeaderTimeout(IPEndPoint server, int count)
    {
        var partial = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: bench\r\nX-Slow: s");
        var buffer = new byte[4096];
        // JIT, tiering and pools warm on the timeout path.
        for (var round = 0; round < 3; round++) TimeOut(OpenPartial(server, partial, 200), buffer);
        StartNoGCRegion();
        var sockets = OpenPartial(server, partial, count);
        Thread.Sleep(300);   // the last connections' accept turns finish: a settle before a snapshot, well inside the timeout
        // Counted from before the heap walk, which takes a second or two: the timeouts may fire during it.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var before = HeapHistogram.Take(collect: false);
        var answered = TimeOut(sockets, buffer);
        Thread.Sleep(300);   // the closed connections' actors finish stopping
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var after = HeapHistogram.Take(collect: false);
        var collected = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion;
        if (!collected) GC.EndNoGCRegion();
        Console.WriteLine($"timeout: {allocated / (double)count:F0} bytes allocated per connection answered 408 at the header timeout and closed ({answered} of {count} saw a 408){(collected ? "; A GC RAN: the table below is incomplete" : "")}");
        HeapHistogram.PrintGrowth(before, after, count, indent: "  ");
    }

    /// <summary>
    /// Every object allocated (both ends, all threads) per byte of a head that arrives one byte at a time: the slowloris
    /// fault's steady cost (bench/Faults), a thousand such bytes a second. Connections send a partial head; then each gets
    /// one more byte, <paramref name="rounds"/> times, in a no-GC region. Run with a long header timeout:
    /// <c>--probe slow-byte-allocated --hocon "actorhttp.server.header-read-timeout = 300s"</c>.
    /// </summary>
    public static void AllocatedPerSlowByte(IPEndPoint server, int count, int rounds = 5)
    {
        var partial = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: bench\r\nX-Slow: s");
        var one = "s"u8.ToArray();
        var warm = OpenPartial(server, partial, 200);
        for (var round = 0; round < 20; round++)
            foreach (var s in warm) s.Send(one);   // JIT, tiering, pools warm on the slow path
        Thread.Sleep(300);
        foreach (var s in warm) s.Dispose();
        var sockets = OpenPartial(server, partial, count);
        Thread.Sleep(300);   // the accept turns finish: a settle before a snapshot
        StartNoGCRegion();
        var before = HeapHistogram.Take(collect: false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var s in sockets) s.Send(one);
            Thread.Sleep(100);   // a settle, as the fault's one byte a second per connection
        }

        Thread.Sleep(300);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var after = HeapHistogram.Take(collect: false);
        var collected = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion;
        if (!collected) GC.EndNoGCRegion();
        var bytes = count * rounds;
        Console.WriteLine($"slow-byte: {allocated / (double)bytes:F0} bytes allocated per head byte received alone ({bytes} bytes over {count} connections){(collected ? "; A GC RAN: the table below is incomplete" : "")}");
        HeapHistogram.PrintGrowth(before, after, bytes, indent: "  ");
        foreach (var s in sockets) s.Dispose();
    }

    // A no-GC region of 200 MiB, so that heap walks before and after see everything allocated between them. Refused now
    // and then (a background collection was running?): collect and ask again.
    private static void StartNoGCRegion()
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (GC.TryStartNoGCRegion(200L * 1024 * 1024)) return;
        }

        throw new InvalidOperationException("the runtime refused a no-GC region ten times");
    }

    private static List<Socket> OpenPartial(IPEndPoint server, byte[] partial, int count)
    {
        var sockets = new List<Socket>(count);
        for (var i = 0; i < count; i++)
        {
            var s = Open(server);
            s.Send(partial);
            sockets.Add(s);
        }
        return sockets;
    }

    // Reads each connection to its close; how many began with a 408.
    private static int TimeOut(List<Socket> sockets, byte[] buffer)
    {
        var answered = 0;
        foreach (var s in sockets)
        {
            var have = 0;
            int n;
            while ((n = s.Receive(buffer, have, buffer.Length - have, SocketFlags.None)) > 0) have += n;
            if (buffer.AsSpan(0, have).StartsWith("HTTP/1.1 408"u8)) answered++;
            s.Dispose();
        }
        return answered;
    }

    private static long ClientSocketBytes(int count)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(count);
        var accepted = new List<Socket>(count);
        var clients = new List<Socket>(count);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < count; i++)
        {
            var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            c.Connect((IPEndPoint)listener.LocalEndPoint!);
            clients.Add(c);
            accepted.Add(listener.Accept());
        }

        // Accepted sockets stand in for nothing on the client side; drop them from the count first.
        foreach (var a in accepted) a.Dispose();
        accepted.Clear();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var c in clients) c.Dispose();
        return after - before;
    }

    // Compiler-generated types (closures, iterators) are named without their declaring type: list
    // the candidates among the loaded ActorHttp assemblies.
    private static string Owners(string type)
    {
        if (!type.StartsWith('<')) return "";
        var owners = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name!.StartsWith("ActorHttp", StringComparison.Ordinal))
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name == type && t.DeclaringType is not null)
            .Select(t => t.DeclaringType!.FullName);
        return "  in " + string.Join(" | ", owners);
    }

    private static Socket Open(IPEndPoint server)
    {
        var s = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        s.Connect(server);
        return s;
    }

    private static void RoundTrips(Stream stream, byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            stream.Write(Request);
            var have = 0;
            while (true)
            {
                have += stream.Read(buffer, have, buffer.Length - have);
                var end = buffer.AsSpan(0, have).IndexOf("\r\n\r\n"u8);
                if (end >= 0 && have >= end + 4 + 13) break;
            }
        }
    }

    // One request, then reads until the 13-byte body's response is complete (the head ends with
    // CRLFCRLF and the body follows it).
    private static void RoundTrips(Socket socket, byte[] buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            socket.Send(Request);
            var have = 0;
            while (true)
            {
                have += socket.Receive(buffer, have, buffer.Length - have, SocketFlags.None);
                var end = buffer.AsSpan(0, have).IndexOf("\r\n\r\n"u8);
                if (end >= 0 && have >= end + 4 + 13) break;
            }
        }
    }
}
