using ActorHttp.Kernel;
using ActorHttp.TestKit;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class AskTests(ITestOutputHelper output)
    : TestKit.TestKit(new ActorSystemSetup { Scheduler = new TestScheduler() }, output)
{
    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Assert.Equal("hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(5)));
        Assert.Equal(3, await echo.Ask(3, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_Status_Failure_reply_faults_the_task_with_its_cause()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            echo.Ask<string>(new Status.Failure(new InvalidOperationException("bad")), TimeSpan.FromSeconds(5)));
        Assert.Equal("bad", e.Message);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_faults_with_InvalidCastException()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<string>(5, TimeSpan.FromSeconds(5)));
    }

    private sealed class Holder : ReceiveActor
    {
        private IActorRef _asker = ActorRefs.Nobody;

        public Holder()
        {
            Receive<string>(s => s == "question", _ => _asker = Sender);
            Receive<string>(s => s == "answer-now", _ => _asker.Tell("late answer", Self));
        }
    }

    [Fact]
    public async Task An_ask_that_times_out_faults_and_its_late_reply_goes_to_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var holder = Sys.ActorOf(Props.Create<Holder>());
        var ask = holder.Ask<string>("question", TimeSpan.FromSeconds(2));
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        Assert.False(ask.IsCompleted);
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);

        holder.Tell("answer-now", TestActor);
        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("late answer", letter.Message);
        Assert.Equal(holder, letter.Sender);
        Assert.StartsWith($"actorhttp://{Sys.Name}/temp/$", letter.Recipient.Path.ToString());
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_ask()
    {
        var holder = Sys.ActorOf(Props.Create<Holder>());
        using var cts = new CancellationTokenSource();
        var ask = holder.Ask<string>("question", TimeSpan.FromSeconds(30), cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task Asking_nobody_fails_at_once()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ActorRefs.Nobody.Ask<string>("x"));
    }

    [Fact]
    public async Task The_default_ask_timeout_comes_from_the_settings()
    {
        var holder = Sys.ActorOf(Props.Create<Holder>());
        var ask = holder.Ask<string>("question");
        Scheduler.Advance(Sys.Settings.AskTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(ask.IsCompleted);
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
    }

    [Fact]
    public async Task GracefulStop_completes_when_the_actor_has_stopped_including_when_already_dead()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Assert.True(await echo.GracefulStop(TimeSpan.FromSeconds(5)));
        Assert.True(await echo.GracefulStop(TimeSpan.FromSeconds(5)));
    }

    private sealed class Stubborn : ReceiveActor
    {
        public Stubborn() => Receive<string>(_ => { });
    }

    [Fact]
    public async Task GracefulStop_times_out_when_the_stop_message_is_ignored()
    {
        var stubborn = Sys.ActorOf(Props.Create<Stubborn>());
        var stop = stubborn.GracefulStop(TimeSpan.FromSeconds(1), "please stop");
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => stop);
        Sys.Stop(stubborn);
    }
}
