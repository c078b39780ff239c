namespace ActorHttp.Kernel;

/// <summary>
/// The synchronisation context installed while a <c>ReceiveAsync</c> handler runs (the equivalent of
/// Akka.NET's ActorTaskScheduler): every continuation after an <c>await</c> is posted to the actor as a
/// system message and runs on the actor's turn with its Context, Self and Sender restored. One instance
/// per handler invocation that went asynchronous, so the cell can tell a stale continuation (from
/// before a restart or stop) from a current one; stale ones run on the thread pool so no task hangs.
/// </summary>
internal sealed class ActorSynchronizationContext : SynchronizationContext
{
    public ActorSynchronizationContext(ActorCell cell) => Cell = cell;

    public ActorCell Cell { get; }

    /// <summary>The envelope of the handler invocation this context serves, once it went asynchronous (owned by the cell's turn).</summary>
    public Envelope Envelope { get; set; }

    public override void Post(SendOrPostCallback d, object? state) =>
        Cell.SendSystemMessage(new RunContinuation(this, d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would block it; use Post (await) instead.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs a continuation outside any actor (its actor has restarted or stopped).</summary>
    public static void RunDetached(SendOrPostCallback callback, object? state) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.callback(s.state), (callback, state), preferLocal: false);
}
