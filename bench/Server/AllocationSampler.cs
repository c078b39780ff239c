using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ActorHttp.Server.Bench;

/// <summary>
/// Which types the process allocates, from the runtime's GCAllocationTick event (one sample per
/// ~100 KB allocated, naming the type of the allocation that crossed the mark): a ranking, not a census.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _samples = new();
    private volatile bool _recording;

    public void Start() => _recording = true;

    public IEnumerable<(string Type, int Samples)> Stop()
    {
        _recording = false;
        return _samples.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value));
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // Keyword 0x1: GC events; Verbose level carries GCAllocationTick.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_recording || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)) return;
        var index = e.PayloadNames?.IndexOf("TypeName") ?? -1;
        if (index < 0 || e.Payload?[index] is not string type) return;
        _samples.AddOrUpdate(type, 1, (_, n) => n + 1);
    }
}
