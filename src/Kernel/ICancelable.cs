namespace ActorHttp.Kernel;

/// <summary>A handle to something scheduled that can be cancelled (idempotent).</summary>
public interface ICancelable
{
    /// <summary>Cancels; a message not yet sent is never sent.</summary>
    void Cancel();

    /// <summary>Whether <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }
}
