using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ActorHttp.Bench;

/// <summary>
/// Samples the runtime's AllocationTick events (one per ~100 KB allocated) by type name, to show
/// which types make up the bytes per request. Sampled, so small types are under-represented.
/// Shared by the benchmark programs (linked into each project from bench/Shared).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();
    private volatile bool _on;

    public void Start() => _on = true;

    /// <summary>The types with the most sampled bytes, most first.</summary>
    public IEnumerable<KeyValuePair<string, long>> Top(int count) =>
        _bytesByType.OrderByDescending(p => p.Value).Take(count);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_on || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        int nameIndex = e.PayloadNames!.IndexOf("TypeName");
        int sizeIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        if (nameIndex < 0) return;
        var name = e.Payload[nameIndex] as string ?? "?";
        long size = sizeIndex >= 0 ? Convert.ToInt64(e.Payload[sizeIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytesByType.AddOrUpdate(name, size, (_, v) => v + size);
    }
}
