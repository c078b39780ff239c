using ActorHttp.Kernel;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class ReceiveActorTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private abstract record Animal(string Name);

    private sealed record Dog(string Name) : Animal(Name);

    private sealed record Cat(string Name) : Animal(Name);

    private sealed class Matcher : ReceiveActor
    {
        public Matcher()
        {
            Receive<Dog>(d => d.Name == "rex", d => Sender.Tell("rex-special"));
            Receive<Dog>(d => Sender.Tell("dog:" + d.Name));
            Receive<Animal>(a => Sender.Tell("animal:" + a.Name));
            Receive<int>(i =>
            {
                if (i < 0) return false;
                Sender.Tell("int:" + i);
                return true;
            });
            Receive<string>(s => Sender.Tell("string:" + s));
        }
    }

    public static TheoryData<object, string> Matches => new()
    {
        { new Dog("rex"), "rex-special" },
        { new Dog("fido"), "dog:fido" },
        { new Cat("tom"), "animal:tom" },
        { 5, "int:5" },
        { "s", "string:s" },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void Handlers_are_tried_in_declaration_order_with_predicates_and_subtypes(object message, string reply)
    {
        var actor = Sys.ActorOf(Props.Create<Matcher>());
        actor.Tell(message, TestActor);
        ExpectMsg(reply);
    }

    [Fact]
    public void Unhandled_messages_are_published()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create<Matcher>());
        actor.Tell(-1, TestActor); // the Func handler declines
        var u = ExpectMsg<UnhandledMessage>();
        Assert.Equal(-1, u.Message);
        Assert.Equal(actor, u.Recipient);
        actor.Tell(2.5, TestActor); // no handler at all
        Assert.Equal(2.5, ExpectMsg<UnhandledMessage>().Message);
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher()
        {
            Receive<string>(s => s == "angry", _ => Become(Angry));
            Receive<string>(s => s == "push", _ => BecomeStacked(Pushed));
            Receive<string>(s => Sender.Tell("happy:" + s));
        }

        private void Angry()
        {
            Receive<string>(s => s == "calm", _ => Become(() => Receive<string>(s => Sender.Tell("calm:" + s))));
            Receive<string>(s => Sender.Tell("angry:" + s));
        }

        private void Pushed()
        {
            Receive<string>(s => s == "pop", _ => Context.UnbecomeStacked());
            Receive<string>(s => Sender.Tell("pushed:" + s));
        }
    }

    [Fact]
    public void Become_replaces_and_BecomeStacked_pushes_behaviours()
    {
        var actor = Sys.ActorOf(Props.Create<Switcher>());
        foreach (var m in new[] { "a", "push", "b", "pop", "c", "angry", "d", "calm", "e" }) actor.Tell(m, TestActor);
        ExpectMsg("happy:a");
        ExpectMsg("pushed:b");
        ExpectMsg("happy:c");
        ExpectMsg("angry:d");
        ExpectMsg("calm:e");
    }

    [Fact]
    public void Unbecome_never_pops_the_initial_behaviour()
    {
        var actor = Sys.ActorOf(Props.Create<Switcher>());
        actor.Tell("pop", TestActor); // handled as a plain string in the initial behaviour
        ExpectMsg("happy:pop");
    }

    private sealed class Untyped : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is string s) Sender.Tell("u:" + s);
            else if (message is "switch") Become(m => Sender.Tell("switched"));
            else Unhandled(message);
        }
    }

    [Fact]
    public void UntypedActor_receives_everything_and_reports_unhandled()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create<Untyped>());
        actor.Tell("x", TestActor);
        ExpectMsg("u:x");
        actor.Tell(1, TestActor);
        Assert.Equal(1, ExpectMsg<UnhandledMessage>().Message);
    }

    private sealed class LateReceive : ReceiveActor
    {
        public LateReceive() => ReceiveAny(_ =>
        {
            try
            {
                Receive<int>(_ => { });
            }
            catch (InvalidOperationException e)
            {
                Sender.Tell(e.Message);
            }
        });
    }

    [Fact]
    public void Receive_outside_the_constructor_or_Become_is_refused()
    {
        Sys.ActorOf(Props.Create<LateReceive>()).Tell("x", TestActor);
        Assert.Contains("constructor", ExpectMsg<string>());
    }
}
