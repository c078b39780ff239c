using ActorHttp.Protocol;

namespace ActorHttp.Server;

/// <summary>
/// The <c>Date</c> header value (IMF-fixdate bytes), formatted at most once a second for the whole
/// process (RFC 9110 §6.6.1 needs one-second resolution; Kestrel and nginx cache it the same way).
/// </summary>
/// <remarks>
/// Refreshed lazily by whichever response first notices a new second, instead of by a timer, so an
/// idle server does no work. Racing refreshes format the same value; the array is immutable once
/// published.
/// </remarks>
internal static class DateCache
{
    private sealed record Entry(long Second, byte[] Value);

    private static Entry _current = new(-1, []);

    /// <summary>The current date, as the bytes of an IMF-fixdate.</summary>
    public static ReadOnlySpan<byte> Current
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            var second = now.UtcTicks / TimeSpan.TicksPerSecond;
            var entry = Volatile.Read(ref _current);
            if (entry.Second == second) return entry.Value;

            var value = new byte[HttpDate.Length];
            HttpDate.Format(now, value);
            Volatile.Write(ref _current, new Entry(second, value));
            return value;
        }
    }
}
