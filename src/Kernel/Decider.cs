namespace ActorHttp.Kernel;

/// <summary>Factory methods for <see cref="IDecider"/>s.</summary>
public static class Decider
{
    /// <summary>A decider from a function.</summary>
    public static IDecider From(Func<Exception, Directive> decide) => new FuncDecider(decide);

    /// <summary>
    /// A decider from a table: the first entry whose exception type is assignable from the failure's
    /// type wins (entries are tried in the order given), otherwise <paramref name="defaultDirective"/>.
    /// </summary>
    public static IDecider From(Directive defaultDirective, params KeyValuePair<Type, Directive>[] pairs) =>
        new FuncDecider(cause =>
        {
            foreach (var (type, directive) in pairs)
                if (type.IsInstanceOfType(cause)) return directive;
            return defaultDirective;
        });

    private sealed class FuncDecider(Func<Exception, Directive> decide) : IDecider
    {
        public Directive Decide(Exception cause) => decide(cause);
    }
}
