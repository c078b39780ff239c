namespace ActorHttp.Hosting;

/// <summary>
/// The <c>ActorRegistry</c> key of the server started by
/// <c>WithActorHttpServer</c> (<see cref="ActorHttpHostingExtensions"/>):
/// <c>IRequiredActor&lt;ActorHttpServer&gt;</c> is its <see cref="ActorHttp.Server.HttpServerActor"/>.
/// </summary>
/// <remarks>A marker, never made (Akka.Hosting's keys are types). A second server takes a key type of your own.</remarks>
public sealed class ActorHttpServer
{
    private ActorHttpServer() { }
}
