using System.Net;
using ActorHttp.Actors.Tests.Support;
using ActorHttp.Client;
using ActorHttp.Client.Transport;
using ActorHttp.Server;
using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Runtime;

/// <summary>
/// A server and a transport as children of a user's own actor, made from the extension's props: the user's actor
/// talks to them by message, its supervisor strategy decides on their connections' failures, and its death watch
/// sees them stop. When the user's actor stops, nothing of theirs is left.
/// </summary>
public sealed class UserParentTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    /// <summary>To the probe: the parent's strategy was asked about <paramref name="Cause"/>.</summary>
    private sealed record Decided(Exception Cause);

    /// <summary>To the probe: the app's death watch saw <paramref name="Child"/> stop.</summary>
    private sealed record ChildStopped(IActorRef Child);

    /// <summary>A connection actor with a bug: it throws as it starts.</summary>
    private sealed class FaultyConnection : ReceiveActor
    {
        protected override void PreStart() => throw new InvalidOperationException("a bug in a connection");
    }

    /// <summary>The user's actor: owns a server and a transport, forwards what it hears to the probe.</summary>
    private sealed class App : ReceiveActor
    {
        public App(IActorRef probe, Func<IUntypedActorContext, (IActorRef Server, IActorRef Transport)> start)
        {
            var (server, transport) = start(Context);
            Context.Watch(server);
            Context.Watch(transport);
            Receive<HttpServerActor.GetBinding>(m => server.Forward(m));
            Receive<ClientRequest>(m => transport.Tell(m));
            Receive<string>(m => Context.Stop(m == "server" ? server : transport));
            // A Terminated told on is dropped by an actor that does not watch its subject: passed on as news instead.
            Receive<Terminated>(t => probe.Tell(new ChildStopped(t.ActorRef)));
            ReceiveAny(m => probe.Tell(m));
        }
    }

    private static SupervisorStrategy Recording(IActorRef probe) =>
        new OneForOneStrategy(cause =>
        {
            probe.Tell(new Decided(cause));
            return Directive.Stop;
        });

    [Fact]
    public async Task The_users_actor_serves_calls_watches_and_supervises_its_server_and_transport()
    {
        var probe = CreateTestProbe();
        var http = Http.Get(Sys);
        var mux = new ServeMux().HandleFunc("GET /hello", (w, _) => w.WriteAsync("hello").AsTask());
        Func<IUntypedActorContext, (IActorRef, IActorRef)> start = context => (
            context.ActorOf(http.ServerProps(mux, new IPEndPoint(IPAddress.Loopback, 0)), "server"),
            context.ActorOf(http.TransportProps(), "transport"));
        var app = Sys.ActorOf(Props.Create(() => new App(probe.Ref, start)), "app");

        // The server, a child of the app, answers GetBinding through it.
        app.Tell(HttpServerActor.GetBinding.Instance, probe.Ref);
        var binding = probe.ExpectMsg<HttpServerActor.Binding>();

        // The transport, a child of the app, calls that server and the response comes back to the app as a message.
        app.Tell(ClientRequest.Get($"http://{binding.LocalEndPoint}/hello"));
        using (var response = probe.ExpectMsg<ClientResponse>(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("hello", await new StreamReader(response.Body).ReadToEndAsync());
        }

        // Its death watch sees them stop, and nothing is left under the app once they have.
        app.Tell("server");
        Assert.Equal(app.Path / "server", probe.ExpectMsg<ChildStopped>().Child.Path);
        app.Tell("transport");
        Assert.Equal(app.Path / "transport", probe.ExpectMsg<ChildStopped>().Child.Path);
        await AwaitAssertAsync(() => Assert.Equal([app.Path.ToStringWithoutAddress()], ActorTree.LivePaths(app)));
        Sys.Stop(app);
    }

    [Fact]
    public void A_strategy_on_the_transports_props_decides_on_its_connections_failures_and_the_caller_hears_of_it()
    {
        var probe = CreateTestProbe();
        var options = new TransportOptions { ConnectionProps = _ => Props.Create(() => new FaultyConnection()) };
        var http = Http.Get(Sys);
        Func<IUntypedActorContext, (IActorRef, IActorRef)> start = context => (
            context.ActorOf(http.ServerProps(new ServeMux(), new IPEndPoint(IPAddress.Loopback, 0)), "server"),
            context.ActorOf(http.TransportProps(options: options).WithSupervisorStrategy(Recording(probe.Ref)), "transport"));
        var app = Sys.ActorOf(Props.Create(() => new App(probe.Ref, start)), "app");

        app.Tell(ClientRequest.Get("http://a.test/"));

        // The user's decider was asked about the connection's failure (and its Stop kept the pool alive)...
        var decided = probe.FishForMessage<Decided>(_ => true, TimeSpan.FromSeconds(10));
        Assert.IsType<ActorInitializationException>(decided.Cause);
        Assert.Equal("a bug in a connection", decided.Cause.InnerException?.Message);
        // ...and the request failed with a typed error instead of hanging.
        var failure = probe.FishForMessage<Status.Failure>(_ => true, TimeSpan.FromSeconds(10));
        Assert.IsType<HttpClientException>(failure.Cause);
        Sys.Stop(app);
    }

    [Fact]
    public async Task A_server_with_a_strategy_on_its_props_finishes_a_graceful_shutdown_and_stops()
    {
        // A strategy on the server's props replaces its own for its children (Akka's rule): the server must still learn
        // that its listener stopped, or its graceful shutdown would never answer (CoordinatedShutdown then waits out the
        // phase, 5 s by default).
        var probe = CreateTestProbe();
        var http = Http.Get(Sys);
        Func<IUntypedActorContext, (IActorRef, IActorRef)> start = context => (
            context.ActorOf(http.ServerProps(new ServeMux(), new IPEndPoint(IPAddress.Loopback, 0)).WithSupervisorStrategy(Recording(probe.Ref)), "server"),
            context.ActorOf(http.TransportProps(), "transport"));
        var app = Sys.ActorOf(Props.Create(() => new App(probe.Ref, start)), "app");
        app.Tell(HttpServerActor.GetBinding.Instance, probe.Ref);
        probe.ExpectMsg<HttpServerActor.Binding>();
        var server = await Sys.ActorSelection(app.Path / "server").ResolveOne(TimeSpan.FromSeconds(5));

        server.Tell(new HttpServerActor.Shutdown(TimeSpan.FromSeconds(30)), probe.Ref);

        // Answered as soon as the listener has drained (nothing was open), not at the 30 s deadline.
        probe.ExpectMsg<HttpServerActor.Stopped>(TimeSpan.FromSeconds(10));
        Assert.Equal(server, probe.ExpectMsg<ChildStopped>().Child);
        Sys.Stop(app);
    }

    /// <summary>The user's own actor, whose supervisor strategy hears an escalated connection failure.</summary>
    private sealed class Supervising : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Supervising(IActorRef probe, TransportOptions options)
        {
            _probe = probe;
            var transport = Context.ActorOf(Http.Get(Context.System).TransportProps(options: options)
                .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate)), "transport");
            Receive<ClientRequest>(m => transport.Tell(m));
            ReceiveAny(m => probe.Tell(m));
        }

        protected override SupervisorStrategy SupervisorStrategy() => Recording(_probe);
    }

    [Fact]
    public void An_escalated_connection_failure_reaches_the_users_own_supervisor_strategy()
    {
        var probe = CreateTestProbe();
        var options = new TransportOptions { ConnectionProps = _ => Props.Create(() => new FaultyConnection()) };
        var app = Sys.ActorOf(Props.Create(() => new Supervising(probe.Ref, options)), "supervising");

        app.Tell(ClientRequest.Get("http://a.test/"));

        // Escalated from the connection through the pool to the transport, whose failure the app's strategy decides.
        var decided = probe.FishForMessage<Decided>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal("a bug in a connection", Innermost(decided.Cause).Message);
        Sys.Stop(app);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}
