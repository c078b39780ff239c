using System.Diagnostics.Metrics;

namespace ActorHttp.Actors.Tests.Client.Loopback;

/// <summary>A meter factory of one test's own: other tests record on meters of the same name in parallel, and a listener
/// that enables only <see cref="Meters"/> hears this test's measurements alone.</summary>
internal sealed class OwnMeterFactory : IMeterFactory
{
    public List<Meter> Meters { get; } = new();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        Meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Meters) meter.Dispose();
    }
}
