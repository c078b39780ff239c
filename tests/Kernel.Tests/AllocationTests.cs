using ActorHttp.Kernel;

namespace ActorHttp.Kernel.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationCollection;

/// <summary>Measures allocation on the hot path (Tell, enqueue, schedule, invoke). Runs alone so other tests' allocations do not count.</summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    private sealed record Start(int Count, TaskCompletionSource Done);

    private sealed class Counter : ReceiveActor
    {
        private int _remaining;
        private TaskCompletionSource? _done;

        public Counter()
        {
            Receive<Start>(s =>
            {
                _remaining = s.Count;
                _done = s.Done;
            });
            Receive<string>(_ =>
            {
                if (--_remaining == 0) _done!.SetResult();
            });
        }
    }

    // Rounds of 1,000 so the queue stays within the segment it already has: a burst that outruns
    // the consumer grows the queue (24 bytes a slot), which is the queue's need, not the kernel's.
    private static async Task Run(IActorRef counter, int messages)
    {
        for (var round = 0; round < messages / 1_000; round++)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            counter.Tell(new Start(1_000, done), ActorRefs.NoSender);
            for (var i = 0; i < 1_000; i++) counter.Tell("m", ActorRefs.NoSender);
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Tell_to_a_ReceiveActor_allocates_nothing_per_message_in_steady_state()
    {
        var system = ActorSystem.Create("alloc");
        try
        {
            var counter = system.ActorOf(Props.Create<Counter>());
            const int messages = 200_000;
            await Run(counter, messages); // warm up: JIT, queue segments, handler cache
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await Run(counter, messages);
            var perMessage = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)messages;
            // Allowance: each round's Start, TaskCompletionSource and await (a few hundred bytes per
            // 1,000 messages); one object per message would be 24 bytes or more.
            Assert.True(perMessage < 2, $"{perMessage:F2} bytes allocated per message");
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
