namespace ActorHttp.Kernel;

/// <summary>Actor name rules (Akka's): non-empty, not starting with <c>$</c> (reserved for generated names), only URI-safe characters.</summary>
internal static class ActorNames
{
    private const string Allowed = "-_:@&=+,.!~*'$;%";

    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new InvalidActorNameException("Actor name must not be empty.");
        if (name[0] == '$') throw new InvalidActorNameException($"Actor name '{name}' must not start with '$' (reserved for generated names).");
        foreach (var ch in name)
            if (!char.IsAsciiLetterOrDigit(ch) && !Allowed.Contains(ch))
                throw new InvalidActorNameException($"Actor name '{name}' contains the invalid character '{ch}'; use letters, digits and {Allowed}.");
    }
}
