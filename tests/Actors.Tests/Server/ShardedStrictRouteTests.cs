using System.Net;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// A sharded route in front of a real shard region (Akka.Cluster.Sharding, a one-node cluster): the region's message
/// extractor reads the plain <see cref="ShardedHttpRequest"/> envelope, and the entity answers the connection itself.
/// </summary>
public sealed class ShardedStrictRouteTests(ITestOutputHelper output) : ServerTestBase(output, TestConfig.Server + Cluster)
{
    private const string Cluster = """

        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        """;

    // What a user writes: the envelope's entity id and the request inside it.
    private sealed class HttpExtractor() : HashCodeMessageExtractor(maxNumberOfShards: 10)
    {
        public override string EntityId(object message) => (message as ShardedHttpRequest)?.EntityId!;
        public override object EntityMessage(object message) => (message as ShardedHttpRequest)?.Request ?? message;
    }

    // Answers with its own name (the entity id) and whom it saw as sender and reply-to.
    private sealed class Entity : ReceiveActor
    {
        public Entity() =>
            Receive<HandleStrictRequest>(m => m.Respond(new ServerResponse(200, m.Body,
            [
                new("X-Entity", Self.Path.Name),
                new("X-Reply-To", m.ReplyTo.Path.ToStringWithoutAddress()),
            ])));
    }

    [Fact]
    public async Task A_request_reaches_the_entity_named_by_its_path_value_and_the_entity_answers_the_connection()
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(20));
        var region = await ClusterSharding.Get(Sys).StartAsync("kv", _ => Props.Create(() => new Entity()),
            ClusterShardingSettings.Create(Sys), new HttpExtractor());
        var server = await StartAsync(new ServeMux().Handle("PUT /kv/{key}", ShardedRoute(region, EntityIdFromPathValue("key"))));
        using var client = ClientFor(server);

        using var a = await client.PutAsync("/kv/a", new StringContent("value a"));
        using var b = await client.PutAsync("/kv/b", new StringContent("value b"));

        Assert.Equal((HttpStatusCode.OK, "value a", "a"), (a.StatusCode, await a.Content.ReadAsStringAsync(), a.Headers.GetValues("X-Entity").Single()));
        Assert.Equal((HttpStatusCode.OK, "value b", "b"), (b.StatusCode, await b.Content.ReadAsStringAsync(), b.Headers.GetValues("X-Entity").Single()));
        // The entity's reply-to is the connection actor under the listener: no temporary actor.
        var replyTo = ActorPath.Parse("akka://x" + a.Headers.GetValues("X-Reply-To").Single());
        Assert.Equal((server.Actor.Path / "listener").ToStringWithoutAddress(), replyTo.Parent.Parent.ToStringWithoutAddress());
    }
}
