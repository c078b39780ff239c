namespace ActorHttp.Actors.Tests.Client.Pool;

/// <summary>A stand-in for a connection actor's ref: a name, compared by value.</summary>
public sealed record TestConn(string Name)
{
    public override string ToString() => Name;
}
