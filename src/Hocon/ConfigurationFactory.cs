using System.Reflection;

namespace ActorHttp.Hocon;

/// <summary>
/// Makes <see cref="Config"/>s: from HOCON text, files and embedded resources, and the layered
/// configuration of an application (its overrides over the reference files of its assemblies).
/// </summary>
/// <remarks>
/// <para><b>Reference files.</b> Each assembly embeds its defaults as resources named
/// <c>actorhttp/reference/&lt;file&gt;.conf</c> (<see cref="ReferencePrefix"/>). Each file owns its
/// own section, so the same key in two reference files is an error rather than one silently
/// winning.</para>
/// <para><b>Precedence</b>, strongest first: the overrides given to <see cref="Load"/>, then the
/// reference files. Substitutions are resolved after merging, so an override can use a reference
/// value and a reference value can be changed through a substitution.</para>
/// </remarks>
public static class ConfigurationFactory
{
    /// <summary>The prefix of the logical names of embedded reference files.</summary>
    public const string ReferencePrefix = "actorhttp/reference/";

    /// <summary>A configuration with no keys.</summary>
    public static Config Empty => Config.Empty;

    /// <summary>Parses HOCON text. Substitutions are resolved at the first read (so a fallback added later can satisfy them).</summary>
    /// <param name="hocon">The text.</param>
    /// <param name="sourceName">Names the text in error messages.</param>
    /// <exception cref="HoconParseException">The text is not valid HOCON.</exception>
    public static Config ParseString(string hocon, string sourceName = "string")
    {
        ArgumentNullException.ThrowIfNull(hocon);
        return new Config(HoconParser.Parse(hocon, HoconSource.ForString(sourceName)));
    }

    /// <summary>Parses a HOCON file; its includes are found relative to its directory.</summary>
    /// <exception cref="ConfigException">The file cannot be read (<see cref="ConfigErrorKind.Include"/>) or is not valid HOCON.</exception>
    public static Config ParseFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(ConfigErrorKind.Include, $"cannot read configuration file '{fullPath}': {e.Message}", inner: e);
        }
        return new Config(HoconParser.Parse(text, HoconSource.ForFile(fullPath)));
    }

    /// <summary>Parses an embedded resource; its includes are found next to it in the same assembly first.</summary>
    /// <exception cref="ConfigException">There is no such resource (<see cref="ConfigErrorKind.Include"/>) or it is not valid HOCON.</exception>
    public static Config FromResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var text = ReadResource(assembly, resourceName)
            ?? throw new ConfigException(ConfigErrorKind.Include, $"assembly {assembly.GetName().Name} has no embedded resource '{resourceName}'");
        return new Config(HoconParser.Parse(text, HoconSource.ForResource(assembly, resourceName)));
    }

    /// <summary>
    /// Merges every <c>actorhttp/reference/*.conf</c> resource of the given assemblies (in the
    /// order given, each assembly's files by name). Substitutions are left for the final merge.
    /// </summary>
    /// <exception cref="ConfigException">Two reference files define the same key (<see cref="ConfigErrorKind.DuplicateReferenceKey"/>).</exception>
    public static Config Reference(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var files = assemblies.Distinct().SelectMany(assembly => assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ReferencePrefix, StringComparison.Ordinal) && n.EndsWith(".conf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (HoconSource.ForResource(assembly, name), ReadResource(assembly, name)!)));
        return MergeReferenceFiles(files);
    }

    /// <summary>Merges reference files, refusing a key defined by two of them.</summary>
    internal static Config MergeReferenceFiles(IEnumerable<(HoconSource Source, string Text)> files)
    {
        var merged = HoconObject.CreateEmpty();
        var owners = new Dictionary<HoconPath, string>();
        foreach (var (source, text) in files)
        {
            var file = HoconParser.Parse(text, source);
            ClaimKeys(file, HoconPath.Root, source.Name, owners);
            merged = (HoconObject)HoconMerge.Merge(merged, file);
        }
        return new Config(merged);
    }

    /// <summary>
    /// The configuration an application runs with: <paramref name="overrides"/> (may be null) over
    /// the reference files of <paramref name="assemblies"/>, resolved now so that a bad
    /// substitution fails at start.
    /// </summary>
    public static Config Load(Config? overrides, params Assembly[] assemblies) =>
        (overrides ?? Config.Empty).WithFallback(Reference(assemblies)).Resolve();

    /// <summary>Every leaf key of a reference file must belong to that file alone.</summary>
    private static void ClaimKeys(HoconValue value, HoconPath path, string source, Dictionary<HoconPath, string> owners)
    {
        if (value is HoconObject obj)
        {
            foreach (var (key, child) in obj.Fields) ClaimKeys(child, path.Append(key), source, owners);
            return;
        }
        if (owners.TryGetValue(path, out var owner))
            throw new ConfigException(ConfigErrorKind.DuplicateReferenceKey,
                $"defined by two reference files, {owner} and {source}; each reference file owns its own section", path.ToString(), value.Position);
        owners[path] = source;
    }

    /// <summary>The text of an embedded resource, or null when the assembly has none of that name.</summary>
    internal static string? ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
