using System.Reflection;

namespace ActorHttp.Hocon;

/// <summary>
/// Where a piece of HOCON text came from, which decides how its <c>include</c>s are found: a file
/// includes relative to its directory, a resource relative to its own name in its assembly, a
/// string relative to the current directory.
/// </summary>
internal sealed record HoconSource(string Name, string? Directory, Assembly? Assembly, string? ResourceName, int IncludeDepth)
{
    /// <summary>Deeper than this, includes are taken to be a cycle.</summary>
    public const int MaxIncludeDepth = 32;

    public static HoconSource ForString(string name) => new(name, null, null, null, 0);

    public static HoconSource ForFile(string fullPath, int depth = 0) => new(fullPath, Path.GetDirectoryName(fullPath), null, null, depth);

    public static HoconSource ForResource(Assembly assembly, string resourceName, int depth = 0) =>
        new($"resource:{assembly.GetName().Name}/{resourceName}", null, assembly, resourceName, depth);
}
