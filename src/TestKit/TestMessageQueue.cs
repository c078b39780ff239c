using ActorHttp.Kernel;

namespace ActorHttp.TestKit;

/// <summary>The messages a test actor received, waiting for the test to take them; a semaphore counts them so the test can block or await.</summary>
internal sealed class TestMessageQueue
{
    private readonly Queue<Envelope> _queue = new();
    private readonly SemaphoreSlim _count = new(0);

    public void Enqueue(Envelope envelope)
    {
        lock (_queue) _queue.Enqueue(envelope);
        _count.Release();
    }

    public bool TryTake(TimeSpan timeout, out Envelope envelope)
    {
        if (!_count.Wait(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout))
        {
            envelope = default;
            return false;
        }
        lock (_queue) envelope = _queue.Dequeue();
        return true;
    }

    public async Task<(bool, Envelope)> TryTakeAsync(TimeSpan timeout)
    {
        if (!await _count.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout).ConfigureAwait(false)) return (false, default);
        lock (_queue) return (true, _queue.Dequeue());
    }
}
