using System.Runtime.CompilerServices;

namespace ActorHttp.Client.Connection;

/// <summary>An awaitable that continues on the thread pool: what a body read that waited does before it copies and returns,
/// since the pipe woke it on the connection's event loop.</summary>
internal readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    public static readonly ThreadPoolHop Instance = default;

    public ThreadPoolHop GetAwaiter() => this;

    public bool IsCompleted => false;

    public void GetResult() { }

    public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
}
