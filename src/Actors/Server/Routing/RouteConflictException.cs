namespace ActorHttp.Server.Routing;

/// <summary>
/// A registration refused because its pattern conflicts with one already in the table: some request
/// matches both and neither is more specific (or they are the same). Names both patterns, says how
/// they conflict, and gives a path both match.
/// </summary>
public sealed class RouteConflictException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="pattern"/> refused because of <paramref name="existing"/>.</summary>
    public RouteConflictException(RoutePattern pattern, RoutePattern existing, string description, string examplePath)
        : base($"pattern \"{pattern}\" conflicts with pattern \"{existing}\" (already registered):\n{description}")
    {
        Pattern = pattern;
        ExistingPattern = existing;
        Description = description;
        ExamplePath = examplePath;
    }

    /// <summary>The pattern whose registration was refused.</summary>
    public RoutePattern Pattern { get; }

    /// <summary>The registered pattern it conflicts with.</summary>
    public RoutePattern ExistingPattern { get; }

    /// <summary>How the two conflict, in Go's words.</summary>
    public string Description { get; }

    /// <summary>A request path (escaped) that both patterns match.</summary>
    public string ExamplePath { get; }
}
