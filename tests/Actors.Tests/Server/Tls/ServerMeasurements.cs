using System.Diagnostics.Metrics;
using ActorHttp.Server;

namespace ActorHttp.Actors.Tests.Server.Tls;

/// <summary>Records every measurement of the <see cref="ServerMetrics"/> meter (name and tags) while it lives, so that a
/// test can wait for one it expects. The instruments are process-wide: wait for a measurement only this test can make.</summary>
public sealed class ServerMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, Dictionary<string, object?> Tags, double Value)> _seen = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerMeasurements()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Values recorded to <paramref name="instrument"/> so far.</summary>
    public IReadOnlyList<double> Values(string instrument)
    {
        lock (_seen) return _seen.Where(m => m.Name == instrument).Select(m => m.Value).ToArray();
    }

    /// <summary>Waits (10 s at most) until <paramref name="instrument"/> has a measurement whose tag <paramref name="tag"/> is
    /// <paramref name="value"/> (and, when given, tag <paramref name="tag2"/> is <paramref name="value2"/>).</summary>
    public async Task WaitForAsync(string instrument, string tag, object value, string? tag2 = null, object? value2 = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_seen)
            {
                if (_seen.Any(m => m.Name == instrument && Equals(m.Tags.GetValueOrDefault(tag), value)
                        && (tag2 is null || Equals(m.Tags.GetValueOrDefault(tag2), value2))))
                    return;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_seen)
                    throw new Xunit.Sdk.XunitException($"No {instrument} with {tag}={value} {tag2}={value2}; seen: " +
                        string.Join("; ", _seen.Where(m => m.Name == instrument).Select(m => string.Join(",", m.Tags.Select(t => $"{t.Key}={t.Value}")))));
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        TaskCompletionSource changed;
        lock (_seen)
        {
            _seen.Add((instrument.Name, copy, value));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public void Dispose() => _listener.Dispose();
}
