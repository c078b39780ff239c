namespace ActorHttp.Client.Pool;

/// <summary>
/// The limits one <see cref="HostPool{TConn}"/> enforces, resolved for one connection key.
/// </summary>
/// <remarks>
/// Every value comes from <c>actorhttp.client</c> in <c>hocon/client.conf</c> (through
/// <c>ClientSettings.For(host, port)</c>), where each default is documented; this record has none.
/// Zero means "no limit" for every count and "never" for every duration, as in Go's Transport.
/// </remarks>
/// <param name="MaxConnsPerHost">Go's <c>MaxConnsPerHost</c>: dialing + busy + idle connections; 0 = unlimited.</param>
/// <param name="MaxIdleConnsPerHost">Go's <c>MaxIdleConnsPerHost</c>; 0 = no separate cap (not Go's 2).</param>
/// <param name="IdleConnTimeout">Go's <c>IdleConnTimeout</c>: an idle connection older than this is closed; zero = never.</param>
/// <param name="MaxPendingRequests">Requests waiting for a free connection slot; 0 = unbounded. See <see cref="HostPool{TConn}"/>.</param>
/// <param name="MaxConnLifetime">A connection older than this is closed instead of reused or idled; zero = no limit.</param>
/// <param name="MaxConnLifetimeJitter">Up to this much, chosen at random per connection, is taken off its lifetime.</param>
/// <param name="DisableKeepAlives">Go's <c>DisableKeepAlives</c>: every connection serves one request and is closed.</param>
public sealed record HostPoolSettings(
    int MaxConnsPerHost,
    int MaxIdleConnsPerHost,
    TimeSpan IdleConnTimeout,
    int MaxPendingRequests,
    TimeSpan MaxConnLifetime,
    TimeSpan MaxConnLifetimeJitter,
    bool DisableKeepAlives)
{
    /// <summary>Throws when a value is out of range: counts negative, durations negative, jitter not below the lifetime.</summary>
    public HostPoolSettings Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxConnsPerHost);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIdleConnsPerHost);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxPendingRequests);
        ArgumentOutOfRangeException.ThrowIfLessThan(IdleConnTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnLifetimeJitter, TimeSpan.Zero);
        // A jitter as long as the lifetime could give a connection a lifetime of zero: dead on arrival.
        if (MaxConnLifetime > TimeSpan.Zero && MaxConnLifetimeJitter >= MaxConnLifetime)
            throw new ArgumentOutOfRangeException(nameof(MaxConnLifetimeJitter), MaxConnLifetimeJitter,
                $"must be shorter than {nameof(MaxConnLifetime)} ({MaxConnLifetime})");
        return this;
    }
}
