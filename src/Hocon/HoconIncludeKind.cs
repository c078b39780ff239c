namespace ActorHttp.Hocon;

/// <summary>How an <c>include</c> names what it includes.</summary>
internal enum HoconIncludeKind
{
    /// <summary><c>include "name"</c>: a file next to the including file, or a resource next to the including resource.</summary>
    Heuristic,
    /// <summary><c>include file("path")</c>: a file, relative to the including file's directory.</summary>
    File,
    /// <summary><c>include resource("name")</c> or <c>classpath("name")</c>: an embedded resource.</summary>
    Resource,
    /// <summary><c>include url("...")</c>: not supported, reading configuration over the network at start is not wanted.</summary>
    Url,
}
