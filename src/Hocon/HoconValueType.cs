namespace ActorHttp.Hocon;

/// <summary>The type of a <see cref="HoconValue"/>.</summary>
public enum HoconValueType
{
    /// <summary>An object: keys mapped to values.</summary>
    Object,
    /// <summary>An ordered list of values.</summary>
    Array,
    /// <summary>A quoted or unquoted string (also <c>on</c>, <c>off</c>, <c>yes</c>, <c>no</c>, durations and sizes).</summary>
    String,
    /// <summary>A number, kept as written.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary><c>null</c>.</summary>
    Null,
    /// <summary>
    /// A substitution, a concatenation containing one, or a merge waiting for one: only seen in trees
    /// that have not been resolved; a <see cref="Config"/> never hands one out.
    /// </summary>
    Unresolved,
}
