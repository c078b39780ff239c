using ActorHttp.Kernel;
using Xunit.Abstractions;
using static ActorHttp.Kernel.Tests.TestActors;

namespace ActorHttp.Kernel.Tests;

/// <summary>
/// The one-field tables behind death watch and children (ActorRefSet, ActorRefMap, ChildTable):
/// every transition between empty, one inline entry and a collection, both ways.
/// </summary>
public class CompactTableTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private IActorRef[] Refs(int n) => Enumerable.Range(0, n).Select(i => Sys.ActorOf(Props.Create<Echo>(), $"r{i}")).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ActorRefSet_adds_and_removes_in_any_order(int n)
    {
        var refs = Refs(n);
        var set = default(ActorRefSet);
        foreach (var r in refs)
        {
            Assert.True(set.Add(r));
            Assert.False(set.Add(r));
        }
        Assert.Equal(n, set.Count);
        Assert.Equal(refs.ToHashSet(), set.ToArray().ToHashSet());
        Assert.False(set.Remove(TestActor));

        // Remove from the middle first, then the rest in reverse: every shape is left at some point.
        var remaining = refs.ToHashSet();
        var order = refs.Skip(n / 2).Take(1).Concat(refs.Take(n / 2).Concat(refs.Skip(n / 2 + 1)).Reverse());
        foreach (var r in order)
        {
            Assert.True(set.Remove(r));
            remaining.Remove(r);
            Assert.False(set.Contains(r));
            Assert.False(set.Remove(r));
            Assert.Equal(remaining.Count, set.Count);
            Assert.All(remaining, x => Assert.True(set.Contains(x)));
        }
        Assert.Empty(set.ToArray());
        Assert.True(set.Add(TestActor));
        Assert.Equal([TestActor], set.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ActorRefMap_keeps_each_watch_message(int n)
    {
        var refs = Refs(n);
        var map = default(ActorRefMap);
        for (var i = 0; i < n; i++)
        {
            // Odd ones get a custom message, and the first watch of each is new.
            Assert.True(map.Set(refs[i], i % 2 == 1 ? $"m{i}" : null));
            Assert.False(map.Set(refs[i], i % 2 == 1 ? $"m{i}" : null));
        }
        Assert.Equal(n, map.Count);
        Assert.Equal(refs.ToHashSet(), map.Keys().ToHashSet());
        for (var i = n - 1; i >= 0; i--)
        {
            Assert.True(map.Remove(refs[i], out var message));
            Assert.Equal(i % 2 == 1 ? $"m{i}" : null, message);
            Assert.False(map.ContainsKey(refs[i]));
            Assert.Equal(i, map.Count);
        }
        Assert.False(map.Remove(TestActor, out _));
    }

    [Fact]
    public void ActorRefMap_replaces_the_message_of_a_single_watch_both_ways()
    {
        var map = default(ActorRefMap);
        Assert.True(map.Set(TestActor, null));
        Assert.False(map.Set(TestActor, "custom"));
        Assert.Equal(1, map.Count);
        Assert.False(map.Set(TestActor, null));
        Assert.True(map.Remove(TestActor, out var message));
        Assert.Null(message);
        Assert.Equal(0, map.Count);

        Assert.True(map.Set(TestActor, "custom"));
        Assert.True(map.Remove(TestActor, out message));
        Assert.Equal("custom", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChildTable_finds_children_by_name_through_every_shape_with_and_without_stats(int n)
    {
        var refs = Refs(n);
        var table = default(ChildTable);
        foreach (var r in refs) table.Add(r);
        Assert.Equal(n, table.Count);
        foreach (var r in refs)
        {
            Assert.True(table.TryGetChild(r.Path.Name, out var found));
            Assert.Equal(r, found);
            Assert.False(table.IsDying(r.Path.Name));
        }
        Assert.False(table.ContainsKey("nobody"));
        Assert.Null(table.StatsOf("nobody"));

        // The first child gets stats (and is stopping); the same stats come back on the next ask.
        if (n > 0)
        {
            var stats = table.StatsOf(refs[0].Path.Name)!;
            Assert.Equal(refs[0], stats.Child);
            Assert.Same(stats, table.StatsOf(refs[0].Path.Name));
            stats.IsDying = true;
            Assert.True(table.IsDying(refs[0].Path.Name));
            Assert.True(table.TryGetChild(refs[0].Path.Name, out var again) && again.Equals(refs[0]));
        }
        Assert.Equal(refs.ToHashSet(), table.Refs(alsoDying: true).ToHashSet());
        Assert.Equal(refs.Skip(1).ToHashSet(), table.Refs(alsoDying: false).ToHashSet());
        Assert.Equal(refs.Skip(1).ToHashSet(), table.Stats(alsoDying: false).Select(s => s.Child).ToHashSet());
        Assert.Equal(n, table.Stats(alsoDying: true).Length);

        foreach (var r in refs.Reverse())
        {
            Assert.True(table.Remove(r.Path.Name));
            Assert.False(table.Remove(r.Path.Name));
            Assert.False(table.ContainsKey(r.Path.Name));
        }
        Assert.Equal(0, table.Count);
        Assert.Empty(table.Refs(alsoDying: true));
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Receive<string>(name => Sender.Tell(Context.ActorOf(Props.Create<Echo>(), name)));
            Receive<IActorRef>(child =>
            {
                Context.Stop(child);
                Sender.Tell("stopping");
            });
            Receive<int>(_ => Sender.Tell(Context.Children.Select(c => c.Path.Name).OrderBy(x => x).ToArray()));
        }
    }

    [Fact]
    public async Task Children_come_and_go_through_one_two_and_three()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>());
        var a = await parent.Ask<IActorRef>("a");
        var b = await parent.Ask<IActorRef>("b");
        Watch(a);
        Watch(b);
        parent.Tell(a, TestActor);
        ExpectMsg("stopping");
        ExpectTerminated(a);
        // The parent learns of the death by a system message of its own, after the probe's.
        await AwaitAssertAsync(async () => Assert.Equal(["b"], await parent.Ask<string[]>(0)));
        var c = await parent.Ask<IActorRef>("c");
        var d = await parent.Ask<IActorRef>("d");
        Assert.Equal(["b", "c", "d"], await parent.Ask<string[]>(0));
        Watch(c);
        Watch(d);
        Watch(parent);
        Sys.Stop(parent);
        var gone = (await ReceiveNAsync(4)).Cast<Terminated>().Select(t => t.ActorRef).ToHashSet();
        Assert.Equal(new HashSet<IActorRef> { b, c, d, parent }, gone);
    }
}
