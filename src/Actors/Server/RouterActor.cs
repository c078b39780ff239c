using ActorHttp.Server.Routing;
using Akka.Actor;

namespace ActorHttp.Server;

/// <summary>
/// The router: Go's <c>ServeMux</c> as an actor. It is the single writer of the routing table;
/// registrations arrive as messages and each one publishes a new immutable table through the
/// <see cref="RouteTableHolder"/>, from which connections match requests in parallel.
/// </summary>
/// <remarks>
/// Patterns follow Go 1.22's ServeMux (see <see cref="RouteTable{THandler}"/>): <c>[METHOD ][HOST]/PATH</c>
/// with <c>{name}</c>, <c>{name...}</c> and <c>{$}</c>; the most specific pattern wins; a pattern that
/// conflicts with a registered one is refused, with both named in the error.
/// </remarks>
public sealed class RouterActor : ReceiveActor
{
    /// <summary>Register <paramref name="Route"/> for <paramref name="Pattern"/>. Replies <see cref="Handled"/> or <see cref="Status.Failure"/>.</summary>
    public sealed record Handle(string Pattern, Route Route);

    /// <summary>Remove the registration of <paramref name="Pattern"/>. Replies <see cref="Removed"/>.</summary>
    public sealed record Remove(string Pattern);

    /// <summary>The pattern is registered and in force for every request parsed from now on.</summary>
    public sealed record Handled(string Pattern);

    /// <summary>The pattern is no longer registered (<paramref name="Existed"/>: it was before).</summary>
    public sealed record Removed(string Pattern, bool Existed);

    private readonly RouteTableHolder _holder;

    /// <summary>Creates the router publishing into <paramref name="holder"/>.</summary>
    public RouterActor(RouteTableHolder holder)
    {
        _holder = holder;
        Receive<Handle>(OnHandle);
        Receive<Remove>(OnRemove);
    }

    private void OnHandle(Handle handle)
    {
        try
        {
            _holder.Publish(_holder.Current.Add(handle.Pattern, handle.Route));
            Sender.Tell(new Handled(handle.Pattern), Self);
        }
        catch (Exception e) when (e is RoutePatternException or RouteConflictException)
        {
            Sender.Tell(new Status.Failure(e), Self);
        }
    }

    private void OnRemove(Remove remove)
    {
        var before = _holder.Current;
        var after = before.Remove(remove.Pattern);
        _holder.Publish(after);
        Sender.Tell(new Removed(remove.Pattern, after.Count != before.Count), Self);
    }
}
