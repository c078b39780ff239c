using ActorHttp.Dispatch;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>Where a turn ran: the event loop (-1 off the loops), the thread, and whether it was a thread-pool thread.</summary>
public sealed record Where(int Loop, int ThreadId, bool OnThreadPool)
{
    public static Where Here => new(EventLoopDispatchers.CurrentLoop, Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread);
}
