using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorHttp.Configuration;
using ActorHttp.Protocol;

namespace ActorHttp.Faults;

/// <summary>How a raw read ended: the peer closed (FIN), reset (RST), or the deadline passed with the socket open.</summary>
public enum RawEnd
{
    /// <summary>The server closed its side.</summary>
    Closed,
    /// <summary>The connection was reset (or refused).</summary>
    Reset,
    /// <summary>The deadline passed and the connection was still open.</summary>
    Deadline,
    /// <summary>The caller's stop condition held (what it waited for arrived); the connection is open.</summary>
    Stopped,
}

/// <summary>What came back on a raw connection: the bytes, how it ended, and when (ms since the caller's start).</summary>
public sealed record RawRead(byte[] Data, RawEnd End, double FirstByteMs, double EndMs);

/// <summary>
/// The harness's bad clients speak through real sockets, not the ActorHttp client: bytes exactly as the fault says,
/// read back until the server closes, resets or a deadline passes.
/// </summary>
public static class Raw
{
    /// <summary>Connects to <paramref name="endPoint"/> within <paramref name="timeout"/>; null when refused, reset or late.</summary>
    public static async Task<Socket?> ConnectAsync(IPEndPoint endPoint, TimeSpan timeout)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Reads until the peer closes or resets, <paramref name="deadline"/> (from <paramref name="start"/>, a
    /// <see cref="Stopwatch"/> timestamp) passes, <paramref name="stop"/> says enough, or <paramref name="maxBytes"/> arrived.
    /// </summary>
    public static async Task<RawRead> ReadAsync(Socket socket, long start, TimeSpan deadline, Func<byte[], int, bool>? stop = null, int maxBytes = 1 << 20)
    {
        var data = new byte[4096];
        var count = 0;
        var first = double.NaN;
        var left = deadline - Stopwatch.GetElapsedTime(start);
        using var cts = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        RawEnd end;
        try
        {
            while (true)
            {
                if (count == data.Length)
                {
                    if (count >= maxBytes) { end = RawEnd.Deadline; break; }
                    Array.Resize(ref data, data.Length * 2);
                }
                var n = await socket.ReceiveAsync(data.AsMemory(count), SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0) { end = RawEnd.Closed; break; }
                if (double.IsNaN(first)) first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                count += n;
                if (stop?.Invoke(data, count) == true) { end = RawEnd.Stopped; break; }
            }
        }
        catch (OperationCanceledException)
        {
            end = RawEnd.Deadline;
        }
        catch (SocketException)
        {
            end = RawEnd.Reset;
        }
        return new RawRead(data[..count], end, first, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>Sends every byte; false when the connection is gone.</summary>
    public static async Task<bool> SendAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var n = await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                bytes = bytes[n..];
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}

/// <summary>A response found in raw bytes: its status and whether it keeps the connection.</summary>
public readonly record struct ScannedResponse(int Status, bool KeepAlive);

/// <summary>
/// Reads the responses in raw bytes with the protocol layer's own parser and body decoder (reference limits): the
/// statuses in order, and whether what follows the last complete one is an incomplete or malformed response.
/// </summary>
public static class ResponseScan
{
    /// <summary>The complete responses in <paramref name="data"/>; <paramref name="malformed"/> when bytes follow that are not a response.</summary>
    public static List<ScannedResponse> Scan(byte[] data, bool closed, RequestMethod method, out bool malformed, out bool partial)
    {
        var limits = HttpParserLimitsSettings.Reference;
        var responses = new List<ScannedResponse>();
        var rest = new ReadOnlySequence<byte>(data);
        malformed = partial = false;
        var parser = new ResponseHeadParser(limits);
        while (!rest.IsEmpty)
        {
            parser.Reset();
            var head = parser.Parse(rest, method);
            if (head.Status == ParseStatus.Rejected) { malformed = true; break; }
            if (head.Status == ParseStatus.NeedMoreData) { partial = true; break; }
            rest = rest.Slice(head.BytesConsumed);
            var h = head.Head!;
            if (h.IsInformational) continue;
            var decoder = BodyDecoder.For(h, limits);
            while (true)
            {
                var step = decoder.Decode(rest, isFinalBlock: closed);
                if (step.Status == BodyDecodeStatus.Rejected) { malformed = true; return responses; }
                rest = rest.Slice(step.BytesConsumed);
                if (step.Status == BodyDecodeStatus.End) break;
                if (step.Status == BodyDecodeStatus.NeedMoreData)
                {
                    if (closed && decoder.IsComplete) break;
                    partial = true;
                    return responses;
                }
            }
            responses.Add(new ScannedResponse(h.StatusCode, h.KeepAlive));
        }
        return responses;
    }
}
