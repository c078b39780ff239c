using Akka.Actor;

namespace ActorHttp.Client.Transport;

/// <summary>
/// Equality of connection actors as dictionary keys in the pools: Akka's own hash of an actor reference hashes its whole path
/// (address and every element's name, as strings), and a pool looks its connections up several times per request. The actor's
/// uid, drawn at random when it was made, is as good a hash and costs a field read; equality stays Akka's.
/// </summary>
internal sealed class ActorRefKeys : IEqualityComparer<IActorRef>
{
    /// <summary>The one instance.</summary>
    public static readonly ActorRefKeys Instance = new();

    private ActorRefKeys() { }

    public bool Equals(IActorRef? x, IActorRef? y) => ReferenceEquals(x, y) || (x is not null && x.Equals(y));

    public int GetHashCode(IActorRef obj) => obj.Path.Uid.GetHashCode();
}
