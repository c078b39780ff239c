namespace ActorHttp.Server.Routing;

/// <summary>One registration of a <see cref="RouteTable{THandler}"/>: a parsed pattern and its handler.</summary>
internal sealed record RouteEntry<THandler>(RoutePattern Pattern, THandler Handler) where THandler : class;
