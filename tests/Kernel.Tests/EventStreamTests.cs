using ActorHttp.Kernel;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class EventStreamTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private interface IEvent;

    private record Base(int N) : IEvent;

    private sealed record Derived(int N) : Base(N);

    private sealed record Other(int N);

    public static TheoryData<Type, object, bool> Channels => new()
    {
        { typeof(Base), new Base(1), true },
        { typeof(Base), new Derived(2), true },
        { typeof(IEvent), new Derived(3), true },
        { typeof(object), new Other(4), true },
        { typeof(Derived), new Base(5), false },
        { typeof(Base), new Other(6), false },
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public void Subscribers_get_events_assignable_to_their_channel(Type channel, object @event, bool delivered)
    {
        Sys.EventStream.Subscribe(TestActor, channel);
        Sys.EventStream.Publish(@event);
        if (delivered) ExpectMsg(@event);
        else ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void HasSubscribers_answers_whether_an_event_of_the_type_would_be_delivered(Type channel, object @event, bool delivered)
    {
        Assert.False(Sys.EventStream.HasSubscribers(@event.GetType()));
        Sys.EventStream.Subscribe(TestActor, channel);
        Assert.Equal(delivered, Sys.EventStream.HasSubscribers(@event.GetType()));
        Sys.EventStream.Unsubscribe(TestActor, channel);
        Assert.False(Sys.EventStream.HasSubscribers(@event.GetType()));
    }

    [Fact]
    public void An_event_matching_several_subscriptions_is_delivered_once()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Base));
        Sys.EventStream.Subscribe(TestActor, typeof(IEvent));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(Base)));
        Sys.EventStream.Publish(new Derived(1));
        ExpectMsg(new Derived(1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Unsubscribe_stops_delivery()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Base));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Base)));
        Sys.EventStream.Publish(new Base(1));
        Sys.EventStream.Subscribe(TestActor, typeof(Base));
        Sys.EventStream.Subscribe(TestActor, typeof(Other));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor));
        Sys.EventStream.Publish(new Base(2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_stopped_subscriber_is_removed()
    {
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Sys.EventStream.Subscribe(echo, typeof(Base));
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        AwaitAssert(() => Assert.False(Sys.EventStream.Unsubscribe(echo)));
    }

    [Fact]
    public void Messages_to_a_dead_actor_are_published_as_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create<Echo>());
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        echo.Tell("too late", TestActor);
        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("too late", letter.Message);
        Assert.Equal(TestActor, letter.Sender);
        Assert.Equal(echo, letter.Recipient);

        Sys.DeadLetters.Tell("direct", TestActor);
        Assert.Equal("direct", ExpectMsg<DeadLetter>().Message);
    }
}
