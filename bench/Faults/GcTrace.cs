using System.Diagnostics.Tracing;

namespace ActorHttp.Faults;

/// <summary>
/// With FAULTS_TRACE: every garbage collection while a fault runs, one line each on standard error (when, generation,
/// reason, blocking or background, pause, promoted bytes, pinned objects), from the runtime's own GC events. Collection
/// counts alone could not tell a blocking gen2 from a gen1 that promoted a thousand connections' actors.
/// </summary>
public sealed class GcTrace : EventListener
{
    private const int GcStart = 1, RestartEeEnd = 3, HeapStats = 4, SuspendEeEnd = 8, SuspendEeBegin = 9;
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly string _fault;
    private DateTime _suspendedAt;
    private double _suspendMs;
    private string _gc = "";
    private bool _ready;

    private GcTrace(string fault)
    {
        _fault = fault;
        _ready = true;
    }

    /// <summary>Starts tracing for <paramref name="fault"/> when FAULTS_TRACE is set; null otherwise. Dispose to stop.</summary>
    public static GcTrace? Start(string fault) => Trace.Enabled ? new GcTrace(fault) : null;

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1);   // GC keyword
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_ready || e.Payload is null) return;
        switch (e.EventId)
        {
            case SuspendEeBegin:
                _suspendedAt = e.TimeStamp.ToUniversalTime();
                break;
            case SuspendEeEnd when _suspendedAt != default:
                // How much of the pause was spent stopping the threads rather than collecting.
                _suspendMs = (e.TimeStamp.ToUniversalTime() - _suspendedAt).TotalMilliseconds;
                break;
            case GcStart:
                _gc = FormattableString.Invariant($"gen{e.Payload[1]} reason={Reason(e.Payload[2])} type={Type(e.Payload[3])}");
                break;
            case HeapStats:
                // Payload: GenerationSize0, TotalPromotedSize0, ..1, ..2, ..3 (LOH), FinalizationPromoted..., PinnedObjectCount at 13
                var promoted = Convert.ToInt64(e.Payload[1]) + Convert.ToInt64(e.Payload[3]) + Convert.ToInt64(e.Payload[5]);
                _gc += FormattableString.Invariant($" promoted={promoted / 1024}KiB gen0={Convert.ToInt64(e.Payload[0]) / 1024}KiB gen1={Convert.ToInt64(e.Payload[2]) / 1024}KiB gen2={Convert.ToInt64(e.Payload[4]) / 1024}KiB pinned={e.Payload[13]}");
                break;
            case RestartEeEnd when _suspendedAt != default:
                // Events reach a listener later, on the dispatch thread: time them by their own stamps.
                var at = (_suspendedAt - _start).TotalSeconds;
                var pause = (e.TimeStamp.ToUniversalTime() - _suspendedAt).TotalMilliseconds;
                Trace.Write(FormattableString.Invariant($"{_fault}: gc t={at:F2}s pause={pause:F1}ms suspend={_suspendMs:F1}ms {_gc}"));
                _suspendedAt = default;
                _gc = "";
                break;
        }
    }

    private static string Reason(object? r) => Convert.ToInt32(r) switch
    {
        0 => "alloc_small", 1 => "induced", 2 => "low_memory", 3 => "empty", 4 => "alloc_large", 5 => "oos_small",
        6 => "oos_large", 7 => "induced_noforce", 8 => "stress", 9 => "lowmem_blocking", 10 => "induced_compacting",
        11 => "lowmem_host", 12 => "pm_full", 13 => "lowmem_host_blocking", var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Type(object? t) => Convert.ToInt32(t) switch
    {
        0 => "blocking", 1 => "background", 2 => "foreground_in_bgc", var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
