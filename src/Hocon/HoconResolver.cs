namespace ActorHttp.Hocon;

/// <summary>
/// Replaces every substitution of a root object by the value it names, looked up in that whole
/// root (so a fallback's values can be used by the config in front of it), and folds
/// concatenations and delayed merges.
/// </summary>
/// <remarks>
/// <para><b>Lookups.</b> A path is found by walking the unresolved tree through plain objects; when
/// the walk meets something unresolved, that prefix is resolved first and the walk continues in
/// its value. Results are cached per path, and a path met again while it is being resolved is a
/// cycle.</para>
/// <para><b>Self-references.</b> A value that refers to its own key (<c>path = ${path} [x]</c>, and
/// every <c>+=</c>) means the value that key had before this definition: the layers below it in a
/// delayed merge, or nothing. Each value is resolved with a <see cref="Frame"/> that carries its
/// path and that value below; a substitution written inside the value checks the frames of its
/// enclosing keys before looking in the root.</para>
/// <para><b>Environment.</b> A path that is not defined is looked up as an environment variable of
/// the same name (keys joined by dots), as Typesafe config does.</para>
/// </remarks>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Dictionary<HoconPath, HoconValue?> _resolved = new();
    private readonly HashSet<HoconPath> _inProgress = new();

    private HoconResolver(HoconObject root) => _root = root;

    /// <summary>
    /// The value of a key while a definition of it is being resolved, and the keys that enclose it.
    /// Only a substitution or a concatenation may refer to its own key (<paramref name="SelfReferential"/>);
    /// inside an array or object, <c>a = [${a}]</c>, it is a cycle, as the HOCON spec says.
    /// </summary>
    private sealed record Frame(HoconPath Path, HoconValue? Below, Frame? Parent, bool SelfReferential = true);

    /// <exception cref="ConfigException">A required substitution is undefined, substitutions form a cycle, or a concatenation mixes kinds.</exception>
    public static HoconObject Resolve(HoconObject root)
    {
        if (!root.NeedsResolution) return root;
        var resolver = new HoconResolver(root);
        return resolver.ResolveObject(root, HoconPath.Root, below: null, parent: null, rooted: true);
    }

    /// <summary>The resolved value at a path of the root, or null when it is not defined.</summary>
    private HoconValue? Lookup(HoconPath path)
    {
        if (_resolved.TryGetValue(path, out var cached)) return cached;
        if (!_inProgress.Add(path))
            throw new ConfigException(ConfigErrorKind.SubstitutionCycle, "substitutions form a cycle through this path", path.ToString(), Find(path)?.Position);
        try
        {
            var result = LookupUncached(path);
            _resolved[path] = result;
            return result;
        }
        finally
        {
            _inProgress.Remove(path);
        }
    }

    private HoconValue? LookupUncached(HoconPath path)
    {
        HoconValue node = _root;
        for (var i = 0; i < path.Length; i++)
        {
            if (node is not HoconObject obj) return Navigate(Lookup(path.Prefix(i)), path.Skip(i));
            if (obj[path.Segments[i]] is not { } child) return null;
            node = child;
        }
        return node is HoconObject o
            ? ResolveObject(o, path, below: null, parent: null, rooted: true)
            : ResolveValue(node, path, below: null, parent: null);
    }

    /// <summary>The unresolved node at a path, for error positions.</summary>
    private HoconValue? Find(HoconPath path)
    {
        HoconValue? node = _root;
        foreach (var key in path.Segments) node = (node as HoconObject)?[key];
        return node;
    }

    private static HoconValue? Navigate(HoconValue? value, HoconPath rest)
    {
        foreach (var key in rest.Segments) value = (value as HoconObject)?[key];
        return value;
    }

    /// <summary>
    /// Resolves one definition of the key at <paramref name="path"/>, put over
    /// <paramref name="below"/> (the resolved value of the definitions before it, or null).
    /// </summary>
    private HoconValue? ResolveValue(HoconValue node, HoconPath path, HoconValue? below, Frame? parent)
    {
        switch (node)
        {
            case HoconLiteral:
                return node;
            case HoconObject obj:
                return ResolveObject(obj, path, below, parent, rooted: false);
            case HoconDelayedMerge merge:
                var value = below;
                for (var i = merge.Layers.Count - 1; i >= 0; i--) value = ResolveValue(merge.Layers[i], path, value, parent);
                return value;
        }
        if (!node.NeedsResolution) return node;

        var result = Evaluate(node, new Frame(path, below, parent, SelfReferential: node is not HoconArray));
        if (result is null) return below;
        return result is HoconObject && below is HoconObject ? HoconMerge.Merge(result, below) : result;
    }

    /// <summary>
    /// Resolves an object's fields. A rooted object (reached from the root through plain objects
    /// only) resolves its fields through <see cref="Lookup"/> so each is resolved once and shared
    /// with substitutions that name it; other objects resolve theirs in place.
    /// </summary>
    private HoconObject ResolveObject(HoconObject obj, HoconPath path, HoconValue? below, Frame? parent, bool rooted)
    {
        if (!obj.NeedsResolution) return below is HoconObject b ? (HoconObject)HoconMerge.Merge(obj, b) : obj;

        var belowObject = below as HoconObject;
        var frame = new Frame(path, below, parent);
        var result = new HoconObject(obj.Position, belowObject?.Fields ?? Enumerable.Empty<KeyValuePair<string, HoconValue>>());
        foreach (var (key, child) in obj.Fields)
        {
            var childPath = path.Append(key);
            var value = rooted ? Lookup(childPath) : ResolveValue(child, childPath, belowObject?[key], frame);
            if (value is not null) result.Set(key, value);
            else if (belowObject?[key] is null) result.Remove(key);
        }
        return result;
    }

    /// <summary>Evaluates a substitution, an array or a concatenation written as (part of) a definition.</summary>
    private HoconValue? Evaluate(HoconValue node, Frame frame) => node switch
    {
        HoconSubstitution s => Substitute(s, frame),
        HoconArray a => new HoconArray(a.Elements.Select(e => Evaluate(e, frame)).OfType<HoconValue>(), a.Position),
        HoconConcatenation c => HoconMerge.Fold(
            c.Parts.Select(p => p is HoconLiteral ? p : Evaluate(p, frame)).OfType<HoconValue>().ToList(), c.Position),
        HoconObject o => ResolveObject(o, frame.Path, below: null, frame, rooted: false),
        _ => ResolveValue(node, frame.Path, below: null, frame.Parent),
    };

    private HoconValue? Substitute(HoconSubstitution s, Frame frame)
    {
        var value = SelfReference(s.Path, frame, out var isSelf) ?? (isSelf ? null : Lookup(s.Path));
        if (value is null && s.FallbackPath is { } fallback)
            value = SelfReference(fallback, frame, out isSelf) ?? (isSelf ? null : Lookup(fallback));
        if (value is null && Environment.GetEnvironmentVariable(string.Join('.', (s.FallbackPath ?? s.Path).Segments)) is { } env)
            value = HoconLiteral.String(env, null);
        if (value is null && !s.Optional)
            throw new ConfigException(ConfigErrorKind.UnresolvedSubstitution,
                $"substitution {s.Describe()} names a path that is not defined (nor is an environment variable of that name); use ${{?...}} if it is optional",
                frame.Path.ToString(), s.Position);
        return value;
    }

    /// <summary>
    /// When <paramref name="path"/> is the key being defined, or lies under it, the value below
    /// that definition (<paramref name="isSelf"/> true even when that is nothing). A path under an
    /// enclosing key being defined is looked for below that key too, but when it is not there the
    /// caller goes on to the root.
    /// </summary>
    private static HoconValue? SelfReference(HoconPath path, Frame frame, out bool isSelf)
    {
        isSelf = frame.SelfReferential && path.StartsWith(frame.Path) && !frame.Path.IsRoot;
        if (isSelf) return Navigate(frame.Below, path.Skip(frame.Path.Length));
        for (var f = frame.Parent; f is not null; f = f.Parent)
        {
            if (f.SelfReferential && !f.Path.IsRoot && path.StartsWith(f.Path) && Navigate(f.Below, path.Skip(f.Path.Length)) is { } found) return found;
        }
        return null;
    }
}
