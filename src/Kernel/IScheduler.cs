namespace ActorHttp.Kernel;

/// <summary>
/// Sends messages later. The system's scheduler is replaceable (the TestKit's manual scheduler
/// moves time by hand), so kernel code reads time only from <see cref="MonotonicClock"/>.
/// </summary>
public interface IScheduler
{
    /// <summary>Wall-clock time as this scheduler sees it.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Monotonic time since the scheduler started; used for timeouts and restart windows.</summary>
    TimeSpan MonotonicClock { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once, after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/> until cancelled.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> (on a pool thread; it must not block).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state);
}
