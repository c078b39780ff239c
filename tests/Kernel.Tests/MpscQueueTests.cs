using ActorHttp.Kernel;

namespace ActorHttp.Kernel.Tests;

/// <summary>The mailbox's user queue on its own: order, no loss, growth, and emptiness as the mailbox's idle re-check sees it.</summary>
public class MpscQueueTests
{
    [Fact]
    public void One_thread_gets_its_items_back_in_order_across_segments()
    {
        var queue = new MpscQueue<int>();
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));

        for (var i = 0; i < 5_000; i++) queue.Enqueue(i);
        Assert.False(queue.IsEmpty);
        Assert.True(queue.TailLength > MpscQueue<int>.InitialLength);

        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(queue.TryDequeue(out var item));
            Assert.Equal(i, item);
        }
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void A_consumer_that_keeps_up_reuses_the_first_segment()
    {
        var queue = new MpscQueue<int>();
        for (var round = 0; round < 1_000; round++)
        {
            for (var i = 0; i < MpscQueue<int>.InitialLength; i++) queue.Enqueue(round * 10 + i);
            for (var i = 0; i < MpscQueue<int>.InitialLength; i++)
            {
                Assert.True(queue.TryDequeue(out var item));
                Assert.Equal(round * 10 + i, item);
            }
            Assert.True(queue.IsEmpty);
        }
        Assert.Equal(MpscQueue<int>.InitialLength, queue.TailLength);
    }

    [Fact]
    public void Dequeued_slots_do_not_keep_their_items_alive()
    {
        var queue = new MpscQueue<object>();
        var weak = EnqueueAndTakeBack(ref queue);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(weak.IsAlive);
        GC.KeepAlive(queue);
    }

    private static WeakReference EnqueueAndTakeBack(ref MpscQueue<object> queue)
    {
        var item = new object();
        queue.Enqueue(item);
        Assert.True(queue.TryDequeue(out var back));
        Assert.Same(item, back);
        return new WeakReference(item);
    }

    [Fact]
    public void Many_producers_and_a_concurrent_consumer_lose_nothing_and_keep_each_producers_order()
    {
        const int producers = 6, perProducer = 100_000;
        var queue = new MpscQueue<(int Producer, int Seq)>();
        using var start = new Barrier(producers + 1);
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perProducer; i++) queue.Enqueue((p, i));
        })).ToArray();
        foreach (var t in threads) t.Start();

        var next = new int[producers];
        var received = 0;
        start.SignalAndWait();
        while (received < producers * perProducer)
        {
            if (!queue.TryDequeue(out var item))
            {
                Thread.Yield();
                continue;
            }
            Assert.Equal(next[item.Producer], item.Seq);
            next[item.Producer]++;
            received++;
        }
        foreach (var t in threads) t.Join();

        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));
    }
}
