using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

/// <summary>
/// Causal order across senders: a message told to an actor before an event that makes someone else
/// send it a second message must be received first (the mailbox is one FIFO queue).
/// </summary>
public sealed class CausalOrderTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed class Recorder : ReceiveActor
    {
        public Recorder(IActorRef probe) => Receive<string>(s => probe.Tell(s, Self));
    }

    private sealed class Parent : ReceiveActor
    {
        private readonly IActorRef _child;

        public Parent(IActorRef signal, IActorRef record)
        {
            _child = Context.ActorOf(Props.Create(() => new Recorder(record)), "child");
            Receive<int>(i =>
            {
                _child.Tell("first " + i, Self);
                signal.Tell(_child, Self);
            });
        }
    }

    [Fact]
    public async Task A_message_told_before_a_signal_arrives_before_one_sent_after_it()
    {
        // Two probes: the signal and the record come from different senders, whose relative order
        // at one receiver is not defined; only the child's own order is under test.
        var signal = CreateTestProbe();
        var record = CreateTestProbe();
        for (var i = 0; i < 2000; i++)
        {
            var parent = Sys.ActorOf(Props.Create(() => new Parent(signal.Ref, record.Ref)));
            parent.Tell(i, TestActor);
            var child = await signal.ExpectMsgAsync<IActorRef>();
            child.Tell("second " + i, TestActor);
            Assert.Equal("first " + i, await record.ExpectMsgAsync<string>());
            Assert.Equal("second " + i, await record.ExpectMsgAsync<string>());
            Sys.Stop(parent);
        }
    }
}
