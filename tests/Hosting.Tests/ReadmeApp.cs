using System.Net;
using ActorHttp.Hosting;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddAkka("app", akka => akka
    .WithActors((system, registry) => registry.Register<Greeter>(system.ActorOf(Props.Create<Greeter>(), "greeter")))
    .WithActorHttpServer((mux, registry) => mux.Handle("GET /hello/{name}", registry.Get<Greeter>()),
        new IPEndPoint(IPAddress.Loopback, 8080))
    .WithActorHttpClient());   // IRequiredActor<ActorHttpTransport>: tell it ClientRequests
await builder.Build().RunAsync();   // stopping the host runs CoordinatedShutdown: the server unbinds, then drains

/// <summary>Answers <c>GET /hello/{name}</c>: the connection actor is the sender, so the answer goes straight back.</summary>
public sealed class Greeter : ReceiveActor
{
    public Greeter() => Receive<ActorHandler.HandleRequest>(m =>
        m.Respond(ServerResponse.Text(200, $"hello {m.Request.PathValue("name")}")));
}
