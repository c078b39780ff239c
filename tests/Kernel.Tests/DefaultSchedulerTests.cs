using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

/// <summary>
/// The timing wheel behind the default scheduler, on a clock moved by hand and turned by hand
/// (nothing runs on its own): due ticks, order, cancellation, repetition, long delays, a late turn.
/// </summary>
public class DefaultSchedulerTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private TimeSpan _now;

    private DefaultScheduler NewWheel() => new(Tick, () => _now);

    private void TurnAt(DefaultScheduler wheel, TimeSpan at)
    {
        _now = at;
        wheel.Turn();
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void An_item_fires_on_the_first_tick_at_or_after_its_due_time_and_only_once()
    {
        using var wheel = NewWheel();
        var fired = new List<TimeSpan>();
        wheel.ScheduleOnce(Ms(25), _ => fired.Add(_now), null);
        TurnAt(wheel, Ms(10));
        TurnAt(wheel, Ms(29));
        Assert.Empty(fired);
        TurnAt(wheel, Ms(30));
        Assert.Equal([Ms(30)], fired);
        TurnAt(wheel, Ms(40));
        TurnAt(wheel, Ms(5200));
        Assert.Single(fired);
        Assert.Equal(0, wheel.LinkedCount);
    }

    [Fact]
    public void A_zero_or_negative_delay_fires_on_the_next_tick()
    {
        using var wheel = NewWheel();
        _now = Ms(3);
        var fired = 0;
        wheel.ScheduleOnce(TimeSpan.Zero, _ => fired++, null);
        wheel.ScheduleOnce(Ms(-5), _ => fired++, null);
        TurnAt(wheel, Ms(9));
        Assert.Equal(0, fired);
        TurnAt(wheel, Ms(10));
        Assert.Equal(2, fired);
    }

    [Fact]
    public void Items_due_on_the_same_tick_fire_in_the_order_they_were_scheduled()
    {
        using var wheel = NewWheel();
        var order = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            wheel.ScheduleOnce(Ms(21 + i), _ => order.Add(n), null);
        }
        wheel.ScheduleOnce(Ms(15), _ => order.Add(-1), null);
        TurnAt(wheel, Ms(30));
        Assert.Equal([-1, 0, 1, 2, 3, 4], order);
    }

    [Fact]
    public void A_cancelled_item_never_fires_and_leaves_the_wheel_at_once()
    {
        using var wheel = NewWheel();
        var fired = 0;
        var cancelled = wheel.ScheduleOnce(Ms(50), _ => fired++, null);
        var kept = wheel.ScheduleOnce(Ms(50), _ => fired += 10, null);
        cancelled.Cancel();
        cancelled.Cancel();
        Assert.True(cancelled.IsCancellationRequested);
        Assert.Equal(1, wheel.LinkedCount);
        TurnAt(wheel, Ms(50));
        Assert.Equal(10, fired);
        Assert.Equal(0, wheel.LinkedCount);
        Assert.False(kept.IsCancellationRequested);
        kept.Cancel(); // after it fired: nothing to do
        Assert.False(kept.IsCancellationRequested);
    }

    [Fact]
    public void Cancelling_the_first_middle_or_last_item_of_a_bucket_keeps_the_others()
    {
        using var wheel = NewWheel();
        var fired = new List<int>();
        // Same bucket: one due now-ish, the others whole turns of the wheel later.
        var round = Tick * DefaultScheduler.WheelSize;
        var items = Enumerable.Range(0, 5).Select(i => wheel.ScheduleOnce(Ms(10) + round * i, _ => fired.Add(i), null)).ToArray();
        items[4].Cancel();  // the bucket's head (linked last)
        items[2].Cancel();
        items[0].Cancel();  // its tail
        Assert.Equal(2, wheel.LinkedCount);
        for (var t = Tick; t <= round * 4 + Ms(10); t += Tick) TurnAt(wheel, t);
        Assert.Equal([1, 3], fired);
        Assert.Equal(0, wheel.LinkedCount);
    }

    [Fact]
    public void An_item_due_after_several_turns_of_the_wheel_waits_for_its_own_round()
    {
        using var wheel = NewWheel();
        var fired = new List<TimeSpan>();
        var rounds = Tick * DefaultScheduler.WheelSize;
        wheel.ScheduleOnce(rounds * 2 + Ms(5), _ => fired.Add(_now), null);
        for (var t = Tick; t < rounds * 2 + Ms(10); t += Tick) TurnAt(wheel, t);
        Assert.Empty(fired);
        TurnAt(wheel, rounds * 2 + Ms(10));
        Assert.Equal([rounds * 2 + Ms(10)], fired);
    }

    [Fact]
    public void A_repeated_send_comes_every_interval_until_cancelled()
    {
        using var wheel = NewWheel();
        var task = wheel.ScheduleTellRepeatedly(Ms(20), Ms(30), TestActor, "tick", ActorRefs.NoSender);
        TurnAt(wheel, Ms(20));
        ExpectMsg("tick");
        TurnAt(wheel, Ms(40));
        ExpectNoMsg(Ms(20));
        TurnAt(wheel, Ms(50));
        ExpectMsg("tick");
        TurnAt(wheel, Ms(80));
        ExpectMsg("tick");
        task.Cancel();
        TurnAt(wheel, Ms(110));
        TurnAt(wheel, Ms(140));
        ExpectNoMsg(Ms(20));
        Assert.Equal(0, wheel.LinkedCount);
    }

    [Fact]
    public void A_late_turn_fires_everything_due_once_and_a_repeated_item_resumes_its_beat()
    {
        using var wheel = NewWheel();
        var once = 0;
        var repeated = new List<TimeSpan>();
        wheel.ScheduleOnce(Ms(100), _ => once++, null);
        wheel.ScheduleOnce(Ms(4000), _ => once++, null);
        wheel.ScheduleTellRepeatedly(Ms(10), Ms(10), TestActor, "beat", ActorRefs.NoSender);
        // The clock moves past more than a whole turn of the wheel before the next turn.
        TurnAt(wheel, Ms(10_000));
        Assert.Equal(2, once);
        ExpectMsg("beat");
        ExpectNoMsg(Ms(20));
        TurnAt(wheel, Ms(10_010));
        ExpectMsg("beat");
    }

    [Fact]
    public void Disposing_cancels_everything_pending_and_what_is_scheduled_after()
    {
        var wheel = NewWheel();
        var pending = wheel.ScheduleOnce(Ms(10), _ => throw new InvalidOperationException("fired after dispose"), null);
        wheel.Dispose();
        Assert.True(pending.IsCancellationRequested);
        Assert.True(wheel.ScheduleTellOnce(Ms(10), TestActor, "late", ActorRefs.NoSender).IsCancellationRequested);
        TurnAt(wheel, Ms(100));
        ExpectNoMsg(Ms(20));
    }
}
