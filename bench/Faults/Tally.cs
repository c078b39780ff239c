using System.Collections.Concurrent;
using System.Globalization;
using ActorHttp.Client;

namespace ActorHttp.Faults;

/// <summary>
/// Counters of one window of requests, thread-safe: every request is counted once as answered, failed with a typed
/// error (<see cref="HttpClientException"/>), lost (anything else) or hung (still open past its deadline). Raw-socket
/// requests that hang are added to <see cref="Hung"/> too; their other outcomes are the fault's own figures.
/// </summary>
public sealed class Tally
{
    private long _requests, _answered, _typed, _lost, _hung;
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<int, long> _statuses = new();

    /// <summary>Requests started in this window.</summary>
    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>Requests that got a whole response (head and body).</summary>
    public long Answered => Interlocked.Read(ref _answered);
    /// <summary>Requests that failed with an <see cref="HttpClientException"/>.</summary>
    public long FailedTyped => Interlocked.Read(ref _typed);
    /// <summary>Requests that ended with neither an answer nor a typed error.</summary>
    public long Lost => Interlocked.Read(ref _lost);
    /// <summary>Requests still open after their deadline.</summary>
    public long Hung => Interlocked.Read(ref _hung);

    /// <summary>A tally; <paramref name="expected"/> requests' latencies fit without growing its log (churn censuses the heap around it).</summary>
    public Tally(int expected = 1024) => Latencies = new LatencyLog(expected);

    /// <summary>Latencies of the answered requests.</summary>
    public LatencyLog Latencies { get; }

    /// <summary>Typed errors by kind, and lost requests by exception type ("lost:IOException").</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    /// <summary>Answered requests by status code.</summary>
    public IReadOnlyDictionary<int, long> Statuses => _statuses;

    /// <summary>Answered requests with a status other than <paramref name="status"/>.</summary>
    public long AnsweredOtherThan(int status) => _statuses.Where(s => s.Key != status).Sum(s => s.Value);

    internal void Started() => Interlocked.Increment(ref _requests);

    /// <summary>Counts a request that was tracked elsewhere (faults that decide its window once it ended).</summary>
    public void Add(Outcome outcome)
    {
        Started();
        Record(outcome);
    }

    internal void Record(Outcome outcome)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.Answered:
                Interlocked.Increment(ref _answered);
                _statuses.AddOrUpdate(outcome.Status, 1, static (_, n) => n + 1);
                Latencies.Add(outcome.LatencyMs);
                break;
            case OutcomeKind.FailedTyped:
                Interlocked.Increment(ref _typed);
                _errors.AddOrUpdate(outcome.Error!.Kind.ToString(), 1, static (_, n) => n + 1);
                break;
            case OutcomeKind.Lost:
                Interlocked.Increment(ref _lost);
                _errors.AddOrUpdate("lost:" + outcome.Unexpected!.GetType().Name, 1, static (_, n) => n + 1);
                break;
            case OutcomeKind.Hung:
                Interlocked.Increment(ref _hung);
                break;
        }
    }

    /// <summary>Adds raw-socket requests that were still open after their deadline.</summary>
    public void AddHung(long count) => Interlocked.Add(ref _hung, count);

    /// <summary>"Kind:n,Kind:n" of the typed errors and lost exceptions, or "none".</summary>
    public string ErrorSummary() => Summary(_errors.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    /// <summary>"200:n,500:n" of the answered statuses, or "none".</summary>
    public string StatusSummary() => Summary(_statuses.Select(s => KeyValuePair.Create(s.Key.ToString(CultureInfo.InvariantCulture), s.Value)));

    private static string Summary(IEnumerable<KeyValuePair<string, long>> entries)
    {
        var parts = entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}:{e.Value}")).ToArray();
        return parts.Length == 0 ? "none" : string.Join(',', parts);
    }
}

/// <summary>How one request ended.</summary>
public enum OutcomeKind
{
    /// <summary>A whole response.</summary>
    Answered,
    /// <summary>An <see cref="HttpClientException"/>.</summary>
    FailedTyped,
    /// <summary>Any other exception: the request got neither an answer nor a typed error.</summary>
    Lost,
    /// <summary>Still open after its deadline.</summary>
    Hung,
}

/// <summary>One request's end: its kind, status and body length (answered), error (typed), exception (lost), latency.</summary>
public readonly record struct Outcome(OutcomeKind Kind, int Status, long BodyLength, HttpClientException? Error, Exception? Unexpected, double LatencyMs);

/// <summary>Latencies in milliseconds, appended from any thread; percentiles sort a copy.</summary>
public sealed class LatencyLog
{
    private readonly object _gate = new();
    private double[] _values;
    private int _count;

    /// <summary>A log with room for <paramref name="capacity"/> latencies before it grows.</summary>
    public LatencyLog(int capacity = 1024) => _values = new double[Math.Max(16, capacity)];

    /// <summary>Adds one latency.</summary>
    public void Add(double ms)
    {
        lock (_gate)
        {
            if (_count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
            _values[_count++] = ms;
        }
    }

    /// <summary>Latencies recorded.</summary>
    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>The 99th percentile (nearest rank), NaN when empty.</summary>
    public double P99 => Percentile(0.99);

    /// <summary>The <paramref name="p"/> quantile (nearest rank), NaN when empty.</summary>
    public double Percentile(double p)
    {
        double[] copy;
        lock (_gate) copy = _values[.._count];
        if (copy.Length == 0) return double.NaN;
        Array.Sort(copy);
        var rank = (int)Math.Ceiling(p * copy.Length) - 1;
        return copy[Math.Clamp(rank, 0, copy.Length - 1)];
    }

    /// <summary>The largest, NaN when empty.</summary>
    public double Max
    {
        get { lock (_gate) return _count == 0 ? double.NaN : _values[.._count].Max(); }
    }
}
