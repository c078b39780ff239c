namespace ActorHttp.Kernel;

/// <summary>
/// An actor's own timers, keyed by any object. Starting a timer with a key in use cancels the old
/// one; a message from a cancelled or replaced timer is never delivered, even if it was already
/// queued; all timers die with the actor's incarnation (restart or stop). Use only on the actor's turn.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Delivers <paramref name="msg"/> once after <paramref name="timeout"/>.</summary>
    void StartSingleTimer(object key, object msg, TimeSpan timeout);

    /// <summary>Delivers <paramref name="msg"/> every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    /// <summary>Delivers <paramref name="msg"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Whether a timer with this key is running (a single timer stops being active once its message is delivered).</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with this key, if any.</summary>
    void Cancel(object key);

    /// <summary>Cancels all timers.</summary>
    void CancelAll();
}
