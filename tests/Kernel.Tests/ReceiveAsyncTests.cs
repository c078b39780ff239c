using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class ReceiveAsyncTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record Gate(TaskCompletionSource Open);

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(IActorRef probe)
        {
            ReceiveAsync<Gate>(async gate =>
            {
                var sender = Sender;
                probe.Tell("waiting", Self);
                await gate.Open.Task;
                // After the await we are back on the actor: Context, Self and Sender are this message's.
                probe.Tell(ReferenceEquals(ActorCell.Current, ((LocalActorRef)Self).Cell) ? "on-actor" : "off-actor", Self);
                probe.Tell(Sender.Equals(sender) ? "same-sender" : "other-sender", Self);
                await Task.Yield();
                Become(() => Receive<string>(s => probe.Tell("became:" + s, Self)));
                probe.Tell(Context.Self.Equals(Self) ? "context-ok" : "context-bad", Self);
            });
            Receive<string>(s => probe.Tell("initial:" + s, Self));
            ReceiveAsync<int>(async i =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async boom " + i);
            });
        }

    }

    [Fact]
    public void ReceiveAsync_suspends_the_mailbox_until_its_task_completes_and_keeps_the_context()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(probe.Ref)));
        var gate = new Gate(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        actor.Tell(gate, TestActor);
        actor.Tell("queued", TestActor);
        probe.ExpectMsg("waiting");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // "queued" waits for the task
        gate.Open.SetResult();
        probe.ExpectMsg("on-actor");
        probe.ExpectMsg("same-sender");
        probe.ExpectMsg("context-ok");
        probe.ExpectMsg("became:queued"); // Become inside ReceiveAsync applies to the next message
    }

    [Fact]
    public void A_fault_after_await_is_a_failure_handled_by_the_supervisor()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(probe.Ref)));
        actor.Tell(7, TestActor);
        actor.Tell("after", TestActor);
        // Restart drops the failing message; the next one reaches the fresh instance.
        probe.ExpectMsg("initial:after");
    }

    private sealed class Awaiter : ReceiveActor
    {
        public Awaiter(IActorRef probe, TaskCompletionSource gate) => ReceiveAsync<string>(async s =>
        {
            probe.Tell("awaiting", ActorRefs.NoSender);
            await gate.Task;
            probe.Tell("resumed-detached:" + (ActorCell.Current is null), ActorRefs.NoSender);
        });
    }

    [Fact]
    public void Stopping_an_actor_while_its_handler_awaits_stops_it_and_the_rest_of_the_handler_still_runs_outside_it()
    {
        var probe = CreateTestProbe();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new Awaiter(probe.Ref, gate)));
        actor.Tell("go", TestActor);
        Watch(actor);
        probe.ExpectMsg("awaiting");
        Sys.Stop(actor);
        ExpectTerminated(actor);
        gate.SetResult();
        // The continuation is not lost (no task hangs), but it no longer runs as the actor.
        probe.ExpectMsg("resumed-detached:True");
    }

    private sealed class Piper : ReceiveActor
    {
        public Piper()
        {
            Receive<string>(s => s == "ok", _ => Task.FromResult(42).PipeTo(Sender, Self));
            Receive<string>(s => s == "fail", _ => Task.FromException<int>(new InvalidOperationException("nope")).PipeTo(Sender, Self));
            Receive<string>(s => s == "map", _ => Task.FromResult(1).PipeTo(Sender, Self, success: r => "mapped:" + r));
            Receive<string>(s => s == "void", _ => Task.CompletedTask.PipeTo(Sender, Self));
        }
    }

    [Fact]
    public void PipeTo_sends_results_and_failures_as_messages()
    {
        var actor = Sys.ActorOf(Props.Create<Piper>());
        actor.Tell("ok", TestActor);
        ExpectMsg(42);
        actor.Tell("fail", TestActor);
        Assert.Equal("nope", ExpectMsg<Status.Failure>().Cause.Message);
        actor.Tell("map", TestActor);
        ExpectMsg("mapped:1");
        actor.Tell("void", TestActor);
        ExpectMsg<Status.Success>();
    }
}
