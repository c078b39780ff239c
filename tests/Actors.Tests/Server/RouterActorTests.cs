using ActorHttp.Server;
using ActorHttp.Server.Routing;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>The router actor: registrations as messages, replies, and the table it publishes.</summary>
public sealed class RouterActorTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly Route Ok = new((w, _) => w.WriteAsync("ok").AsTask());

    [Fact]
    public void Handle_publishes_a_new_table_and_replies_handled()
    {
        var holder = new RouteTableHolder();
        var router = Sys.ActorOf(Props.Create(() => new RouterActor(holder)));

        router.Tell(new RouterActor.Handle("GET /items/{id}", Ok), TestActor);

        ExpectMsg<RouterActor.Handled>(h => h.Pattern == "GET /items/{id}");
        var match = holder.Current.Match("GET", "example.com", "/items/7", null);
        Assert.Equal(RouteMatchKind.Found, match.Kind);
        Assert.Equal("7", match.PathValues.GetValue("id"));
    }

    [Fact]
    public void A_conflicting_pattern_is_refused_naming_both_and_the_table_is_unchanged()
    {
        var holder = new RouteTableHolder();
        var router = Sys.ActorOf(Props.Create(() => new RouterActor(holder)));
        router.Tell(new RouterActor.Handle("/a/{x}", Ok), TestActor);
        ExpectMsg<RouterActor.Handled>();
        var before = holder.Current;

        router.Tell(new RouterActor.Handle("/{y}/b", Ok), TestActor);

        var failure = ExpectMsg<Status.Failure>();
        var conflict = Assert.IsType<RouteConflictException>(failure.Cause);
        Assert.Contains("/a/{x}", conflict.Message);
        Assert.Contains("/{y}/b", conflict.Message);
        Assert.Same(before, holder.Current);
    }

    [Fact]
    public void A_malformed_pattern_is_refused()
    {
        var router = Sys.ActorOf(Props.Create(() => new RouterActor(new RouteTableHolder())));

        router.Tell(new RouterActor.Handle("/a/{x}/{x}", Ok), TestActor);

        Assert.IsType<RoutePatternException>(ExpectMsg<Status.Failure>().Cause);
    }

    [Fact]
    public void Remove_takes_a_pattern_out()
    {
        var holder = new RouteTableHolder();
        var router = Sys.ActorOf(Props.Create(() => new RouterActor(holder)));
        router.Tell(new RouterActor.Handle("/a", Ok), TestActor);
        ExpectMsg<RouterActor.Handled>();

        router.Tell(new RouterActor.Remove("/a"), TestActor);

        Assert.True(ExpectMsg<RouterActor.Removed>().Existed);
        Assert.Equal(RouteMatchKind.NotFound, holder.Current.Match("GET", "h", "/a", null).Kind);
    }

    [Fact]
    public void Precedence_does_not_depend_on_registration_order()
    {
        foreach (var order in new[] { new[] { "/images/", "/images/thumbnails/" }, new[] { "/images/thumbnails/", "/images/" } })
        {
            var holder = new RouteTableHolder();
            var router = Sys.ActorOf(Props.Create(() => new RouterActor(holder)));
            foreach (var pattern in order)
            {
                router.Tell(new RouterActor.Handle(pattern, new Route((w, _) => w.WriteAsync(pattern).AsTask())), TestActor);
                ExpectMsg<RouterActor.Handled>();
            }

            Assert.Equal("/images/thumbnails/", holder.Current.Match("GET", "h", "/images/thumbnails/a.png", null).Pattern!.Text);
            Assert.Equal("/images/", holder.Current.Match("GET", "h", "/images/a.png", null).Pattern!.Text);
        }
    }
}
