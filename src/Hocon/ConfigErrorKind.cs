namespace ActorHttp.Hocon;

/// <summary>The closed set of reasons a <see cref="ConfigException"/> is thrown.</summary>
public enum ConfigErrorKind
{
    /// <summary>The text is not valid HOCON (always a <see cref="HoconParseException"/>).</summary>
    Parse,
    /// <summary>A getter asked for a path that has no value.</summary>
    Missing,
    /// <summary>A getter found a value of another type (an object where a string was wanted, ...).</summary>
    WrongType,
    /// <summary>The value has the right type but cannot be read as asked (a bad duration unit, an overflow, ...).</summary>
    BadValue,
    /// <summary>A path expression given to a getter is malformed.</summary>
    BadPath,
    /// <summary>A required substitution names a path that is not defined, and no environment variable of that name exists.</summary>
    UnresolvedSubstitution,
    /// <summary>Substitutions refer to each other in a cycle.</summary>
    SubstitutionCycle,
    /// <summary>A value concatenation mixes kinds that cannot be concatenated (an object and a string, ...).</summary>
    BadConcatenation,
    /// <summary>An included file or resource could not be found (for <c>required(...)</c>) or read.</summary>
    Include,
    /// <summary>Two reference files define the same key; each file owns its own section.</summary>
    DuplicateReferenceKey,
}
