using System.Reflection;

namespace ActorHttp.Hocon;

/// <summary>
/// Finds and parses what an <c>include</c> names. A missing include is silently empty, as HOCON
/// says, unless it is wrapped in <c>required(...)</c>.
/// </summary>
internal static class HoconIncluder
{
    public static HoconObject Include(HoconSource from, HoconIncludeKind kind, string name, bool required, SourcePosition at)
    {
        if (from.IncludeDepth >= HoconSource.MaxIncludeDepth)
            throw new HoconParseException($"includes nested deeper than {HoconSource.MaxIncludeDepth}: is \"{name}\" including itself?", at);

        var found = kind switch
        {
            HoconIncludeKind.File => FromFile(from, name),
            HoconIncludeKind.Resource => FromResource(from, name, relative: false),
            // "Adjacent to" the includer, of the same kind; a file that is not found may be a resource.
            HoconIncludeKind.Heuristic => from.Assembly is not null
                ? FromResource(from, name, relative: true)
                : FromFile(from, name) ?? FromResource(from, name, relative: false),
            _ => throw new HoconParseException("include url(...) is not supported: configuration is read from files and embedded resources only", at),
        };
        if (found is null)
        {
            if (required) throw new ConfigException(ConfigErrorKind.Include, $"required include \"{name}\" not found", position: at);
            return HoconObject.CreateEmpty();
        }
        var (text, source) = found.Value;
        return HoconParser.Parse(text, source);
    }

    private static (string Text, HoconSource Source)? FromFile(HoconSource from, string name)
    {
        var baseDirectory = from.Directory ?? System.IO.Directory.GetCurrentDirectory();
        foreach (var candidate in Candidates(name))
        {
            var path = Path.GetFullPath(Path.Combine(baseDirectory, candidate));
            if (!File.Exists(path)) continue;
            try
            {
                return (File.ReadAllText(path), HoconSource.ForFile(path, from.IncludeDepth + 1));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only a missing file is silently empty; one that exists but cannot be read is an error.
                throw new ConfigException(ConfigErrorKind.Include, $"cannot read included file '{path}': {e.Message}", inner: e);
            }
        }
        return null;
    }

    /// <summary>
    /// Looks in the including resource's assembly first (relative to the including resource's
    /// "directory" when asked), then in every loaded assembly.
    /// </summary>
    private static (string Text, HoconSource Source)? FromResource(HoconSource from, string name, bool relative)
    {
        // A leading '/' names a resource from the root, not next to the includer.
        var absolute = name.StartsWith('/');
        name = name.TrimStart('/');
        var names = Candidates(name).ToList();
        if (relative && !absolute && from.ResourceName is { } includer && includer.LastIndexOf('/') is var slash and >= 0)
            names.InsertRange(0, Candidates(includer[..(slash + 1)] + name));

        var assemblies = new List<Assembly>();
        if (from.Assembly is not null) assemblies.Add(from.Assembly);
        assemblies.AddRange(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a != from.Assembly));
        foreach (var candidate in names)
        {
            foreach (var assembly in assemblies)
            {
                if (ConfigurationFactory.ReadResource(assembly, candidate) is { } text)
                    return (text, HoconSource.ForResource(assembly, candidate, from.IncludeDepth + 1));
            }
        }
        return null;
    }

    /// <summary>A name without an extension may mean <c>name.conf</c>, as in Typesafe config.</summary>
    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        if (Path.GetExtension(name).Length == 0) yield return name + ".conf";
    }
}
