namespace ActorHttp.Hosting;

/// <summary>
/// The <c>ActorRegistry</c> key of the client transport registered by
/// <c>WithActorHttpClient</c> (<see cref="ActorHttpHostingExtensions"/>):
/// <c>IRequiredActor&lt;ActorHttpTransport&gt;</c> is its <see cref="ActorHttp.Client.Transport.TransportActor"/>, to be told
/// <see cref="ActorHttp.Client.ClientRequest"/>s.
/// </summary>
/// <remarks>A marker, never made (Akka.Hosting's keys are types). A second transport takes a key type of your own.</remarks>
public sealed class ActorHttpTransport
{
    private ActorHttpTransport() { }
}
