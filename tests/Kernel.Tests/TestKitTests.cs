using ActorHttp.Kernel;
using ActorHttp.TestKit;
using Xunit.Abstractions;
using Xunit.Sdk;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class TestKitTests : TestKit.TestKit
{
    private readonly ITestOutputHelper _output;

    public TestKitTests(ITestOutputHelper output) : base(output) => _output = output;

    private sealed class Inner(ITestOutputHelper output) : TestKit.TestKit(output);

    [Fact]
    public void The_leak_check_fails_the_test_when_a_registered_actor_is_still_alive()
    {
        var inner = new Inner(_output);
        var alive = inner.Sys.ActorOf(Props.Create<Echo>(), "alive");
        inner.ExpectStoppedAtEnd(alive);
        var e = Assert.Throws<XunitException>(inner.Dispose);
        Assert.Contains("/user/alive", e.Message);
        Assert.True(inner.Sys.WhenTerminated.IsCompleted); // the system is shut down anyway
    }

    [Fact]
    public void The_leak_check_fails_for_live_actors_under_a_registered_prefix_and_passes_once_they_stop()
    {
        var inner = new Inner(_output);
        inner.Sys.ActorOf(Props.Create<Echo>(), "server");
        inner.ExpectNoActorsUnderAtEnd("/user/server");
        Assert.Throws<XunitException>(inner.Dispose);

        var clean = new Inner(_output);
        var stopped = clean.Sys.ActorOf(Props.Create<Echo>(), "server");
        clean.ExpectStoppedAtEnd(stopped);
        clean.ExpectNoActorsUnderAtEnd("/user/server");
        clean.Sys.Stop(stopped);
        clean.Dispose();
    }

    [Fact]
    public async Task The_async_end_of_test_xunit_runs_also_checks_for_leaks()
    {
        var inner = new Inner(_output);
        inner.ExpectStoppedAtEnd(inner.Sys.ActorOf(Props.Create<Echo>(), "alive"));
        var e = await Assert.ThrowsAsync<XunitException>(() => ((IAsyncLifetime)inner).DisposeAsync());
        Assert.Contains("/user/alive", e.Message);
        Assert.True(inner.Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void ExpectMsg_fails_on_timeout_and_on_a_wrong_message()
    {
        Assert.Throws<XunitException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(20)));
        TestActor.Tell(1, ActorRefs.NoSender);
        Assert.Throws<XunitException>(() => ExpectMsg<string>());
        TestActor.Tell("a", ActorRefs.NoSender);
        Assert.Throws<XunitException>(() => ExpectMsg("b"));
        TestActor.Tell("late", ActorRefs.NoSender);
        // Fails as soon as "late" arrives; the long window only matters on a loaded machine.
        Assert.Throws<XunitException>(() => ExpectNoMsg(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Within_bounds_the_block_and_sets_the_default_timeout()
    {
        Within(TimeSpan.FromSeconds(2), () =>
        {
            Assert.True(RemainingOrDefault <= TimeSpan.FromSeconds(2));
            TestActor.Tell("x", ActorRefs.NoSender);
            ExpectMsg("x");
        });
        Assert.Throws<XunitException>(() => Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => { }));
    }

    [Fact]
    public void Probes_reply_forward_and_fish()
    {
        var probe = CreateTestProbe("p");
        var echo = Sys.ActorOf(Props.Create<Echo>());
        probe.Send(echo, "hello");
        probe.ExpectMsg("hello");
        Assert.Equal(echo, probe.Sender);

        TestActor.Tell("ignored", ActorRefs.NoSender);
        probe.Ref.Tell("question", TestActor);
        probe.ExpectMsg("question");
        probe.Reply("answer");
        Assert.Equal("answer", FishForMessage(m => m is "answer"));

        probe.Ref.Tell("pass-on", TestActor);
        probe.ExpectMsg("pass-on");
        var other = CreateTestProbe();
        probe.Forward(other.Ref);
        other.ExpectMsg("pass-on");
        Assert.Equal(TestActor, other.LastSender);
        Assert.Equal(new object[] { 1, 2 }, Tell12AndReceive());
    }

    private IReadOnlyList<object> Tell12AndReceive()
    {
        TestActor.Tell(1, ActorRefs.NoSender);
        TestActor.Tell(2, ActorRefs.NoSender);
        return ReceiveN(2);
    }

    [Fact]
    public async Task AwaitAssert_retries_until_the_assertion_holds()
    {
        var calls = 0;
        AwaitAssert(() => Assert.True(++calls >= 3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, calls);
        await AwaitConditionAsync(() => ++calls >= 5, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1));
        Assert.Throws<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(30)));
        await Assert.ThrowsAsync<TrueException>(() => AwaitAssertAsync(() => Assert.True(false), TimeSpan.FromMilliseconds(30)));
    }

    [Fact]
    public void The_TestScheduler_fires_in_due_order_only_when_advanced()
    {
        var scheduler = new TestScheduler();
        var fired = new List<string>();
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(2), s => fired.Add((string)s!), "b");
        scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), s => fired.Add((string)s!), "a");
        var cancelled = scheduler.ScheduleOnce(TimeSpan.FromSeconds(1), s => fired.Add((string)s!), "x");
        scheduler.ScheduleOnce(TimeSpan.Zero, s => fired.Add((string)s!), "now");
        cancelled.Cancel();
        Assert.Equal(new[] { "now" }, fired);
        scheduler.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(new[] { "now", "a" }, fired);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), scheduler.MonotonicClock);
        scheduler.AdvanceTo(TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { "now", "a", "b" }, fired);
        Assert.Equal(0, scheduler.PendingCount);
    }

    [Fact]
    public void Scheduler_property_fails_when_the_system_runs_on_real_time() =>
        Assert.Throws<InvalidOperationException>(() => Scheduler);
}
