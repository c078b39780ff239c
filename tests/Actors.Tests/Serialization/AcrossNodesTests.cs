using ActorHttp.Protocol;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Configuration;
using Xunit.Abstractions;
using static ActorHttp.Server.ActorHandler;

namespace ActorHttp.Actors.Tests.Serialization;

/// <summary>
/// Two actor systems on 127.0.0.1 joined by Akka.Remote over real sockets: a handler on node B receives a
/// HandleStrictRequest from node A and answers its reply-to, a probe on A, directly.
/// </summary>
public sealed class AcrossNodesTests : Akka.TestKit.Xunit2.TestKit
{
    // Port 0: the OS picks free ports, so parallel runs do not collide.
    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = INFO
        """);

    public AcrossNodesTests(ITestOutputHelper output) : base(Remote, "nodeA", output)
    {
    }

    [Fact]
    public async Task A_handler_on_another_node_answers_the_connection_directly()
    {
        var nodeB = ActorSystem.Create("nodeB", Remote);
        try
        {
            // ActorHttp is loaded on both nodes: the receiving node needs the serializer too.
            Http.Get(Sys);
            Http.Get(nodeB);
            nodeB.ActorOf(Props.Create(() => new EchoHandler()), "handler");
            var addressB = ((ExtendedActorSystem)nodeB).Provider.DefaultAddress;
            var handler = await Sys.ActorSelection(new RootActorPath(addressB) / "user" / "handler").ResolveOne(TimeSpan.FromSeconds(10));
            Assert.Equal(addressB, handler.Path.Address); // a remote ref: the message crosses the socket, serialized

            var connection = CreateTestProbe();
            var body = new byte[64 * 1024];
            Random.Shared.NextBytes(body);
            var request = new HandleStrictRequest("PUT", "/kv/a", HttpProtocolVersion.Http11,
                [new("Host", "kv"), new("X-A", "1"), new("X-A", "2")], body, 17, connection.Ref);
            Assert.IsType<Cluster.HttpWireSerializer>(Sys.Serialization.FindSerializerFor(request));
            Assert.IsType<Cluster.HttpWireSerializer>(nodeB.Serialization.FindSerializerFor(new Reply(17, ServerResponse.Text(200, ""))));
            handler.Tell(request);

            var reply = await connection.ExpectMsgAsync<Reply>(TimeSpan.FromSeconds(10));
            Assert.Equal(17, reply.Id);
            var response = Assert.IsType<ServerResponse>(reply.Answer);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(body, response.Body.ToArray());
            // The handler saw the request as sent: fields in order, repeats kept, and ran on node B.
            Assert.Equal([new("X-Seen", "Host,X-A,X-A,Content-Length"), new("X-Node", "nodeB")], response.Headers!);
        }
        finally
        {
            await nodeB.Terminate();
        }
    }

    private sealed class EchoHandler : ReceiveActor
    {
        public EchoHandler() =>
            Receive<HandleStrictRequest>(m => m.Respond(new ServerResponse(200, m.Body,
            [
                new("X-Seen", string.Join(",", m.Headers.Select(f => f.Key))),
                new("X-Node", Context.System.Name),
            ])));
    }
}
