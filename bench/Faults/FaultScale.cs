namespace ActorHttp.Faults;

/// <summary>
/// The sizes and durations of one run of the fault table: every count, rate and bound the faults use. The harness
/// is a tool, so its defaults are these presets (<see cref="Full"/>, <see cref="Quick"/>, <see cref="Smoke"/>), written
/// once here and printed by <c>--help</c>; the library's own defaults stay in <c>hocon/</c>.
/// </summary>
public sealed record FaultScale
{
    /// <summary>"full", "quick" or "smoke": printed as <c>scale=</c> on every line whose counts it changes.</summary>
    public required string Name { get; init; }

    /// <summary>Seed of every random choice (which requests crash, the garbage corpus, backend closes).</summary>
    public int Seed { get; init; } = 12;

    // ---- Background load: fixed-rate GETs from the ActorHttp client, so that p99 measures service, not queueing.

    /// <summary>Requests per second of the background load, over all workers.</summary>
    public double LoadRate { get; init; } = 400;

    /// <summary>Workers of the background load (each sends at LoadRate / LoadWorkers; a late one sends at once).</summary>
    public int LoadWorkers { get; init; } = 8;

    /// <summary>How long the load runs alone before the fault, to measure <c>baseline_p99_ms</c>.</summary>
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The client's deadline for one request (<c>ClientOptions.RequestTimeout</c>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Past its deadline plus this, a request that has neither answered nor failed counts as hung.</summary>
    public TimeSpan HungGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How far past its nominal time a server-side timeout (408 at the header or body-rate rule) may fire.</summary>
    public TimeSpan TimerSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for both ends to agree on the open connections after a fault (closes in flight).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The faults whose criterion is "the load is unaffected" allow its p99 up to this many times the baseline (the 2x).</summary>
    public double P99Factor { get; init; } = 2.0;

    // ---- slowloris

    /// <summary>Connections that send one header byte per second.</summary>
    public int SlowlorisConnections { get; init; } = 1000;

    /// <summary>The server's <c>header-read-timeout</c> during slowloris (the reference default is 30s).</summary>
    public TimeSpan SlowlorisHeaderTimeout { get; init; } = TimeSpan.FromSeconds(30);

    // ---- slow-body

    /// <summary>Uploads that send their body at <see cref="SlowBodyBytesPerSecond"/>.</summary>
    public int SlowBodyUploads { get; init; } = 200;

    /// <summary>The slow uploads' rate; the server's reference minimum is 240 B/s after a 5 s grace period.</summary>
    public int SlowBodyBytesPerSecond { get; init; } = 100;

    // ---- conn-flood

    /// <summary>Idle keep-alive connections held open at once, each after one request.</summary>
    public int FloodConnections { get; init; } = 10_000;

    /// <summary>Connections attempted beyond the server's <c>max-connections</c> (set to the flood plus the load's connections): each must be refused.</summary>
    public int FloodBeyondLimit { get; init; } = 500;

    /// <summary>How long the flood is held open while the load runs.</summary>
    public TimeSpan FloodHold { get; init; } = TimeSpan.FromSeconds(20);

    // ---- churn

    /// <summary>Requests of the churn run (the 1,000,000); warm-up not included.</summary>
    public long ChurnRequests { get; init; } = 1_000_000;

    /// <summary>Every this-many-th request asks for <c>Connection: close</c>, so the next one dials.</summary>
    public int ChurnNewConnectionEvery { get; init; } = 10;

    /// <summary>Concurrent churn workers (closed loop, as fast as the machine goes).</summary>
    public int ChurnWorkers { get; init; } = 32;

    /// <summary>Managed heap growth after a full GC, end minus start, that still counts as "no growth" (allocator and pool noise).</summary>
    public long ChurnMemoryTolerance { get; init; } = 2 * 1024 * 1024;

    // ---- shutdown-under-load

    /// <summary>Requests in their handlers when the graceful shutdown starts.</summary>
    public int ShutdownInFlight { get; init; } = 256;

    /// <summary>The shutdown's deadline (<c>HttpServer.ShutdownAsync(deadline)</c>); handlers take at most a quarter of it.</summary>
    public TimeSpan ShutdownDeadline { get; init; } = TimeSpan.FromSeconds(5);

    // ---- handler-crash, actor-handler-crash, backend faults

    /// <summary>How long a fault's injection window lasts where it is a window (crashes, backend faults).</summary>
    public TimeSpan FaultWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fraction of handlers that throw (the 1%).</summary>
    public double CrashFraction { get; init; } = 0.01;

    /// <summary>How long the backend stays dead in backend-dies before it is started again.</summary>
    public TimeSpan BackendDownTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A request that fails while the backend is down must fail within this (fail fast).</summary>
    public TimeSpan FailFast { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After the backend listens again, every request started later than this must succeed.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromSeconds(1);

    // ---- garbage

    /// <summary>Seeded random and mutated request heads, one connection each.</summary>
    public int GarbageCount { get; init; } = 10_000;

    /// <summary>Garbage connections open at once.</summary>
    public int GarbageConcurrency { get; init; } = 256;

    /// <summary>The server's <c>header-read-timeout</c> during garbage, so that heads left incomplete end in seconds.</summary>
    public TimeSpan GarbageHeaderTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The whole table as the issue states it.</summary>
    public static FaultScale Full { get; } = new() { Name = "full" };

    /// <summary>
    /// <c>--quick</c>: the whole table in well under 5 minutes on 2 cores. Counts the issue names stay (1,000 slowloris
    /// connections, 200 slow uploads, 10,000 flood connections, 256 in flight, 10,000 garbage heads); churn runs
    /// 100,000 requests instead of 1,000,000 and timeouts and windows are shorter. Lines whose counts differ say
    /// <c>scale=quick</c>.
    /// </summary>
    public static FaultScale Quick { get; } = Full with
    {
        Name = "quick",
        SlowlorisHeaderTimeout = TimeSpan.FromSeconds(5),
        FloodHold = TimeSpan.FromSeconds(5),
        ChurnRequests = 100_000,
        FaultWindow = TimeSpan.FromSeconds(5),
        BackendDownTime = TimeSpan.FromSeconds(2),
    };

    /// <summary>The CI smoke test's sizes: seconds per fault.</summary>
    public static FaultScale Smoke { get; } = Quick with
    {
        Name = "smoke",
        Baseline = TimeSpan.FromSeconds(1),
        FaultWindow = TimeSpan.FromSeconds(3),
        CrashFraction = 0.05,
        GarbageCount = 1000,
        SlowlorisConnections = 50,
        SlowBodyUploads = 20,
        FloodConnections = 500,
        FloodBeyondLimit = 50,
        ChurnRequests = 5000,
    };
}
