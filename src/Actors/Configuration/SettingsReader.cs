using Akka.Configuration;

namespace ActorHttp.Configuration;

/// <summary>
/// A strict reader of one section of an Akka configuration, used by every settings record: a key
/// that is missing or of the wrong type is a <see cref="SettingsException"/> naming its full path,
/// never a silent zero.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="Config"/>'s getters directly: <c>GetInt("no-such-key")</c> returns 0, so a
/// key renamed in <c>hocon/</c> but not in code would quietly become "no limit". Every default lives
/// in <c>hocon/</c> (the reference configuration is a fallback of every system's config, see
/// <see cref="ReferenceConfig"/>), so a missing key is always a bug.</para>
/// <para>A reader made with a set records the full path of every key it reads: the tests that check
/// that every key in a reference file is read, and every key read exists, use it.</para>
/// </remarks>
public readonly struct SettingsReader
{
    private readonly Config _section;
    private readonly ISet<string>? _reads;

    /// <summary>A reader of section <paramref name="path"/> of <paramref name="config"/> (the whole configuration).</summary>
    /// <param name="config">The whole configuration, reference fallback included.</param>
    /// <param name="path">The section's path, e.g. <c>actorhttp.server</c>.</param>
    /// <param name="reads">When given, the full path of every key read is added to it.</param>
    /// <exception cref="SettingsException">The section does not exist.</exception>
    public SettingsReader(Config config, string path, ISet<string>? reads = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!config.HasPath(path)) throw new SettingsException(path, "missing section (is ActorHttp's reference configuration a fallback of this config?)");
        _section = config.GetConfig(path);
        Path = path;
        _reads = reads;
    }

    // A reader of a section already found (the argument order only tells it from the public constructor).
    private SettingsReader(Config section, ISet<string>? reads, string path)
    {
        _section = section;
        Path = path;
        _reads = reads;
    }

    /// <summary>The section's full path.</summary>
    public string Path { get; }

    /// <summary>The section itself.</summary>
    public Config Section => _section;

    /// <summary>A reader of sub-section <paramref name="key"/>, recording into the same set.</summary>
    public SettingsReader Sub(string key)
    {
        Require(key, record: false);
        return new SettingsReader(_section.GetConfig(key), _reads, $"{Path}.{key}");
    }

    /// <summary>A reader of <paramref name="section"/>, a block found at <paramref name="path"/>, recording into <paramref name="reads"/> (default: this reader's set).</summary>
    public SettingsReader Over(Config section, string path, ISet<string>? reads = null) => new(section, reads ?? _reads, path);

    /// <summary>Adds <paramref name="paths"/> to this reader's record, if it keeps one (keys read through another reader).</summary>
    public void Record(IEnumerable<string> paths)
    {
        if (_reads is null) return;
        foreach (var path in paths) _reads.Add(path);
    }

    /// <summary>True when <paramref name="key"/> is set (nothing is recorded).</summary>
    public bool Has(string key) => _section.HasPath(key);

    /// <summary>The names directly under this section.</summary>
    public IEnumerable<string> Keys => _section.Root.IsObject() ? _section.Root.GetObject().Items.Keys : [];

    /// <summary>The full paths, relative to <paramref name="section"/>, of every value under it that is not an object (what a HOCON file sets).</summary>
    public static IEnumerable<string> LeafKeys(Config section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.Root.IsObject() ? Leaves(section.Root, "") : [];

        static IEnumerable<string> Leaves(Akka.Configuration.Hocon.HoconValue value, string prefix)
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                var path = prefix.Length == 0 ? Quote(key) : $"{prefix}.{Quote(key)}";
                if (child.IsObject() && child.GetObject().Items.Count > 0)
                    foreach (var leaf in Leaves(child, path)) yield return leaf;
                else
                    yield return path;
            }
        }

        // A key with a dot in it (a host pattern) is quoted, as it would be written in HOCON.
        static string Quote(string key) => key.Contains('.') ? $"\"{key}\"" : key;
    }

    /// <summary>A string.</summary>
    public string String(string key) => Read(key, static (c, k) => c.GetString(k));

    /// <summary>A list of strings.</summary>
    public IReadOnlyList<string> StringList(string key) => Read(key, static (c, k) =>
        // A lone string would read as a one-element list; the reference files always write lists in brackets.
        c.GetValue(k).IsString() ? throw new FormatException("must be a list, e.g. [\"a\", \"b\"]") : (IReadOnlyList<string>)c.GetStringList(k).ToArray());

    /// <summary>A 32-bit integer.</summary>
    public int Int(string key) => Read(key, static (c, k) => c.GetInt(k));

    /// <summary>A 64-bit integer.</summary>
    public long Long(string key) => Read(key, static (c, k) => c.GetLong(k));

    /// <summary>A floating-point number.</summary>
    public double Double(string key) => Read(key, static (c, k) => c.GetDouble(k));

    /// <summary>A boolean (<c>on</c>/<c>off</c>, <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>).</summary>
    public bool Bool(string key) => Read(key, static (c, k) => c.GetBoolean(k));

    /// <summary>A duration; <c>infinite</c> only when <paramref name="allowInfinite"/> (then <see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    public TimeSpan Duration(string key, bool allowInfinite = false) =>
        allowInfinite
            ? Read(key, static (c, k) => c.GetTimeSpan(k, null, allowInfinite: true))
            : Read(key, static (c, k) => c.GetTimeSpan(k, null, allowInfinite: false));

    /// <summary>A size in bytes (HOCON size units: <c>k</c>/<c>KiB</c> = 1024, <c>kB</c> = 1000).</summary>
    public long Bytes(string key) => Read(key, static (c, k) => c.GetByteSize(k) ?? throw new FormatException("not a size"));

    /// <summary>A size in bytes that must fit a 32-bit integer (buffers, heads).</summary>
    public int IntBytes(string key)
    {
        var value = Bytes(key);
        return value is < int.MinValue or > int.MaxValue ? throw Bad(key, "must be below 2 GiB") : (int)value;
    }

    /// <summary>An error for <paramref name="key"/> of this section: <paramref name="rule"/> says what its value must be.</summary>
    public SettingsException Bad(string key, string rule) => new($"{Path}.{key}", rule);

    /// <summary>Throws <see cref="Bad"/> unless <paramref name="ok"/>.</summary>
    public void Check(bool ok, string key, string rule)
    {
        if (!ok) throw Bad(key, rule);
    }

    private T Read<T>(string key, Func<Config, string, T> get)
    {
        Require(key, record: true);
        try
        {
            return get(_section, key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ConfigurationException or InvalidCastException or ArgumentException)
        {
            throw new SettingsException($"{Path}.{key}", e.Message, e);
        }
    }

    private void Require(string key, bool record)
    {
        if (record) _reads?.Add($"{Path}.{key}");
        if (!_section.HasPath(key)) throw new SettingsException($"{Path}.{key}", "missing (every default lives in the reference configuration, hocon/)");
    }
}
