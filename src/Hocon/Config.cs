using System.Globalization;

namespace ActorHttp.Hocon;

/// <summary>
/// A configuration: a tree of HOCON values read by path, with Akka.NET's getters. Immutable and
/// safe to read from many threads.
/// </summary>
/// <remarks>
/// <para><b>Paths.</b> Keys joined by dots, case-sensitive; a key containing a dot is quoted:
/// <c>a."b.c".d</c>.</para>
/// <para><b>No silent defaults.</b> Every getter throws a <see cref="ConfigException"/> naming the
/// full path (and the value's source position) when the path is missing
/// (<see cref="ConfigErrorKind.Missing"/>) or holds another type
/// (<see cref="ConfigErrorKind.WrongType"/>). Defaults belong in the reference files, see
/// <see cref="ConfigurationFactory.Load"/>.</para>
/// <para><b>Resolution.</b> Substitutions are resolved against the whole root, after
/// <see cref="WithFallback"/>, the first time a value is read (or on <see cref="Resolve"/>); a
/// failure is thrown then, and again on every later read.</para>
/// <para><b>Read tracking.</b> <see cref="TrackReads"/> returns a view that records the full path
/// of every value read, so a test can check that every key of a reference file is read by its
/// settings class and that every key read exists.</para>
/// </remarks>
public sealed class Config
{
    private readonly HoconObject _unresolved;
    private readonly Lazy<HoconObject> _resolved;
    private readonly HoconPath _location;
    private readonly ReadTracker? _tracker;

    private Config(HoconObject unresolved, Lazy<HoconObject> resolved, HoconPath location, ReadTracker? tracker)
    {
        _unresolved = unresolved;
        _resolved = resolved;
        _location = location;
        _tracker = tracker;
    }

    internal Config(HoconObject unresolved)
        : this(unresolved, new Lazy<HoconObject>(() => HoconResolver.Resolve(unresolved)), HoconPath.Root, null)
    {
    }

    /// <summary>A configuration with no keys.</summary>
    public static Config Empty { get; } = new(HoconObject.CreateEmpty());

    /// <summary>True when the configuration defines no keys.</summary>
    public bool IsEmpty => _unresolved.IsEmpty;

    /// <summary>The root object, resolved.</summary>
    public HoconValue Root => _resolved.Value;

    /// <summary>Resolves the substitutions now, so that errors surface here rather than at the first read.</summary>
    /// <returns>This configuration.</returns>
    public Config Resolve()
    {
        _ = _resolved.Value;
        return this;
    }

    /// <summary>True when the path holds a value other than <c>null</c> (as in Typesafe config).</summary>
    public bool HasPath(string path)
    {
        var p = Track(path);
        return Find(p) is { Type: not HoconValueType.Null };
    }

    /// <summary>True when the path is set to <c>null</c>; the usual way a reference file says "none".</summary>
    /// <exception cref="ConfigException">The path is missing.</exception>
    public bool IsNull(string path) => Require(path, out _).Type == HoconValueType.Null;

    /// <summary>The value at a path, of any type.</summary>
    public HoconValue GetValue(string path) => Require(path, out _);

    /// <summary>A string; numbers and booleans are returned as written.</summary>
    public string GetString(string path) => Literal(path, "a string").Text;

    /// <summary>A 32-bit integer, from a number or a string holding one.</summary>
    public int GetInt(string path)
    {
        var value = GetLong(path);
        if (value is < int.MinValue or > int.MaxValue) throw BadValue(path, $"{value} does not fit in a 32-bit integer");
        return (int)value;
    }

    /// <summary>A 64-bit integer, from a number or a string holding one.</summary>
    public long GetLong(string path)
    {
        var literal = Literal(path, "an integer");
        if (long.TryParse(literal.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        if (literal.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= long.MinValue and < long.MaxValue) return (long)d;
        throw WrongType(path, literal, "an integer");
    }

    /// <summary>A floating-point number, from a number or a string holding one.</summary>
    public double GetDouble(string path)
    {
        var literal = Literal(path, "a number");
        return literal.TryGetDouble(out var d) ? d : throw WrongType(path, literal, "a number");
    }

    /// <summary>A boolean: <c>true</c>/<c>false</c>, or the strings <c>on</c>/<c>off</c>, <c>yes</c>/<c>no</c>.</summary>
    public bool GetBoolean(string path)
    {
        var literal = Literal(path, "a boolean");
        return literal.Text switch
        {
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => throw WrongType(path, literal, "a boolean (true/false, on/off, yes/no)"),
        };
    }

    /// <summary>
    /// A duration: <c>90s</c>, <c>500 ms</c>, <c>2 minutes</c>, <c>10 us</c>; a bare number is
    /// milliseconds; <c>infinite</c> is <see cref="Timeout.InfiniteTimeSpan"/> when
    /// <paramref name="allowInfinite"/>.
    /// </summary>
    public TimeSpan GetTimeSpan(string path, bool allowInfinite = true)
    {
        var literal = Literal(path, "a duration");
        if (HoconDuration.IsInfinite(literal.Text))
            return allowInfinite ? Timeout.InfiniteTimeSpan : throw BadValue(path, "'infinite' is not allowed here; give a finite duration", literal);
        return HoconDuration.TryParse(literal.Text, out var error) ?? throw BadValue(path, $"'{literal.Text}' is not a duration: {error}", literal);
    }

    /// <summary>A size in bytes: <c>32k</c> and <c>1 MiB</c> are powers of two, <c>1MB</c> and <c>1kB</c> powers of ten; a bare number is bytes.</summary>
    public long GetByteSize(string path)
    {
        var literal = Literal(path, "a size in bytes");
        return HoconByteSize.TryParse(literal.Text, out var error) ?? throw BadValue(path, $"'{literal.Text}' is not a size in bytes: {error}", literal);
    }

    /// <summary>An array of strings (numbers and booleans are returned as written).</summary>
    public IReadOnlyList<string> GetStringList(string path)
    {
        var value = Require(path, out var p);
        if (value is not HoconArray array) throw WrongType(path, value, "a list of strings");
        return array.Elements.Select(e => e is HoconLiteral { Type: not HoconValueType.Null } l
            ? l.Text
            : throw new ConfigException(ConfigErrorKind.WrongType, $"expected a list of strings, but an element is {Describe(e)}", Full(p).ToString(), e.Position)).ToArray();
    }

    /// <summary>
    /// The object at a path as a configuration of its own (already resolved against this whole
    /// configuration); <see cref="Empty"/> when the path is missing. Reads through the result are
    /// tracked under their full path.
    /// </summary>
    /// <exception cref="ConfigException">The path holds something other than an object.</exception>
    public Config GetConfig(string path)
    {
        var p = HoconPath.Parse(path);
        var value = Find(p);
        var location = _location.Append(p);
        if (value is null) return new Config(HoconObject.CreateEmpty(), Empty._resolved, location, _tracker);
        if (value is not HoconObject obj) throw WrongType(path, value, "an object");
        return new Config(obj, new Lazy<HoconObject>(obj), location, _tracker);
    }

    /// <summary>
    /// This configuration over <paramref name="fallback"/>: keys defined here win, objects merge key
    /// by key. Substitutions in either are resolved against the merged whole.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (fallback.IsEmpty) return this;
        var merged = (HoconObject)HoconMerge.Merge(_unresolved, fallback._unresolved);
        return new Config(merged, new Lazy<HoconObject>(() => HoconResolver.Resolve(merged)), _location, _tracker);
    }

    /// <summary>
    /// Every leaf (a string, number, boolean, null or array) with its path relative to this
    /// configuration, in definition order. Empty objects have no leaves. On a tracking view,
    /// every leaf enumerated counts as read.
    /// </summary>
    public IEnumerable<KeyValuePair<string, HoconValue>> AsEnumerable()
    {
        var leaves = new List<KeyValuePair<string, HoconValue>>();
        Collect(_resolved.Value, HoconPath.Root);
        return leaves;

        void Collect(HoconValue value, HoconPath path)
        {
            if (value is HoconObject obj)
            {
                foreach (var (key, child) in obj.Fields) Collect(child, path.Append(key));
                return;
            }
            _tracker?.Record(Full(path));
            leaves.Add(KeyValuePair.Create(path.ToString(), value));
        }
    }

    /// <summary>
    /// A view of this configuration that adds the full path of every value read through it (also
    /// through <see cref="GetConfig"/> views of it, <see cref="HasPath"/>, <see cref="IsNull"/> and
    /// <see cref="AsEnumerable"/>) to <paramref name="readPaths"/>. Paths are in canonical form:
    /// keys joined by dots, quoted only where needed.
    /// </summary>
    public Config TrackReads(ISet<string> readPaths)
    {
        ArgumentNullException.ThrowIfNull(readPaths);
        return new Config(_unresolved, _resolved, _location, new ReadTracker(readPaths));
    }

    /// <summary>The resolved configuration as HOCON text, for diagnostics.</summary>
    public override string ToString() => HoconRenderer.Render(_resolved.Value);

    private HoconPath Full(HoconPath path) => _location.Append(path);

    private HoconPath Track(string path)
    {
        var p = HoconPath.Parse(path);
        _tracker?.Record(Full(p));
        return p;
    }

    private HoconValue? Find(HoconPath path)
    {
        HoconValue? node = _resolved.Value;
        foreach (var key in path.Segments) node = (node as HoconObject)?[key];
        return node;
    }

    private HoconValue Require(string path, out HoconPath parsed)
    {
        parsed = Track(path);
        return Find(parsed) ?? throw new ConfigException(ConfigErrorKind.Missing, "no value at this path", Full(parsed).ToString(), MissingPosition(parsed));
    }

    /// <summary>Where the nearest existing parent object of a missing path was written, to help find the section.</summary>
    private SourcePosition? MissingPosition(HoconPath path)
    {
        HoconValue? node = _resolved.Value;
        SourcePosition? position = null;
        foreach (var key in path.Segments)
        {
            if ((node as HoconObject)?[key] is not { } child) break;
            node = child;
            position = child.Position;
        }
        return position;
    }

    private HoconLiteral Literal(string path, string wanted)
    {
        var value = Require(path, out _);
        return value is HoconLiteral { Type: not HoconValueType.Null } literal ? literal : throw WrongType(path, value, wanted);
    }

    private ConfigException WrongType(string path, HoconValue value, string wanted) =>
        new(ConfigErrorKind.WrongType, $"expected {wanted}, found {Describe(value)}", Full(HoconPath.Parse(path)).ToString(), value.Position);

    private ConfigException BadValue(string path, string message, HoconValue? value = null) =>
        new(ConfigErrorKind.BadValue, message, Full(HoconPath.Parse(path)).ToString(), value?.Position);

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconLiteral { Type: HoconValueType.Null } => "null",
        HoconLiteral l => $"{l.Type.ToString().ToLowerInvariant()} {HoconRenderer.Quote(l.Text)}",
        _ => "an unresolved value",
    };
}
