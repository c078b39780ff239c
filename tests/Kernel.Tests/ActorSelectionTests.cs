using ActorHttp.Kernel;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

public class ActorSelectionTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed class Selector : ReceiveActor
    {
        public Selector()
        {
            Context.ActorOf(Props.Create<Echo>(), "kid");
            Receive<string>(path => Context.ActorSelection(path).Tell("via " + path, Sender));
        }
    }

    [Fact]
    public async Task Absolute_paths_resolve_to_live_actors()
    {
        var a = Sys.ActorOf(Props.Create<Selector>(), "a");
        await AwaitAssertAsync(async () => Assert.Equal("kid", (await Sys.ActorSelection("/user/a/kid").ResolveOne()).Path.Name));
        Assert.Equal(a, await Sys.ActorSelection($"actorhttp://{Sys.Name}/user/a").ResolveOne());
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/nope").ResolveOne());
    }

    [Theory]
    [InlineData("kid")]
    [InlineData("./kid")]
    [InlineData("../a/kid")]
    public void Relative_paths_resolve_from_the_actor(string path)
    {
        var a = Sys.ActorOf(Props.Create<Selector>(), "a");
        a.Tell(path, TestActor);
        ExpectMsg("via " + path);
    }

    [Fact]
    public void Telling_a_selection_that_matches_nothing_publishes_a_dead_letter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.ActorSelection("/user/ghost").Tell("boo", TestActor);
        Assert.Equal("boo", ExpectMsg<DeadLetter>().Message);
    }
}
