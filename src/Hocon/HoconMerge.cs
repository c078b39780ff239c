namespace ActorHttp.Hocon;

/// <summary>
/// The two ways values combine: a key defined twice (or a config with a fallback), where the later
/// (stronger) value wins except that objects merge key by key; and a value concatenation
/// (<c>foo bar</c>, <c>${list} [4]</c>, <c>${base} { x = 1 }</c>).
/// </summary>
internal static class HoconMerge
{
    /// <summary>
    /// Puts <paramref name="top"/> over <paramref name="bottom"/> without changing either. Objects
    /// merge key by key; a non-object replaces what is below it. When the outcome depends on a
    /// substitution (either side unresolved, or a top that may refer to the value below it) the
    /// two are kept as a <see cref="HoconDelayedMerge"/> for the resolver.
    /// </summary>
    public static HoconValue Merge(HoconValue top, HoconValue bottom)
    {
        if (top is HoconObject topObject)
        {
            return bottom switch
            {
                _ when topObject.IgnoresFallbacks => top,
                HoconObject bottomObject => MergeObjects(topObject, bottomObject),
                { Type: HoconValueType.Unresolved } => Delay(top, bottom),
                _ => topObject.WithoutFallbacks(),
            };
        }
        return top.NeedsResolution ? Delay(top, bottom) : top;
    }

    private static HoconObject MergeObjects(HoconObject top, HoconObject bottom)
    {
        // The merged object hides whatever the bottom one hid.
        if (bottom.IsEmpty) return bottom.IgnoresFallbacks ? top.WithoutFallbacks() : top;
        if (top.IsEmpty) return bottom;
        var result = new HoconObject(top.Position, bottom.Fields);
        foreach (var (key, value) in top.Fields)
            result.Set(key, bottom[key] is { } below ? Merge(value, below) : value);
        return bottom.IgnoresFallbacks ? result.WithoutFallbacks() : result;
    }

    /// <summary>
    /// Sets <paramref name="key"/> of an object the parser is still building, merging with an
    /// existing value in place when both are objects: the parser owns every object it has created,
    /// so this keeps repeated keys (<c>a.b = 1</c>, <c>a.c = 2</c>, ...) linear.
    /// </summary>
    public static void MergeInto(HoconObject target, string key, HoconValue value)
    {
        var existing = target[key];
        if (existing is null)
        {
            target.Set(key, value);
        }
        else if (value is HoconObject valueObject && existing is HoconObject existingObject && !valueObject.IgnoresFallbacks)
        {
            foreach (var (childKey, child) in valueObject.Fields) MergeInto(existingObject, childKey, child);
        }
        else
        {
            target.Set(key, Merge(value, existing));
        }
    }

    private static HoconDelayedMerge Delay(HoconValue top, HoconValue bottom)
    {
        var layers = new List<HoconValue>();
        AddLayers(top);
        AddLayers(bottom);
        return new HoconDelayedMerge(layers);

        void AddLayers(HoconValue v)
        {
            if (v is HoconDelayedMerge d) layers.AddRange(d.Layers);
            else layers.Add(v);
        }
    }

    /// <summary>
    /// Folds the parts of a concatenation, none of them a substitution any more: strings (and
    /// numbers, booleans, the whitespace between them) join into one string; arrays join into one
    /// array; objects merge, later over earlier. Whitespace between arrays or objects is ignored.
    /// Returns null when no part is left (every part was an undefined optional substitution).
    /// </summary>
    /// <exception cref="ConfigException">The parts mix strings, arrays and objects.</exception>
    public static HoconValue? Fold(IReadOnlyList<HoconValue> parts, SourcePosition? position)
    {
        var values = parts.Where(p => p is not HoconLiteral { IsWhitespace: true }).ToList();
        if (values.Count == 0) return null;
        if (values.Count == 1 && parts.Count == 1) return values[0];

        var objects = values.Count(v => v is HoconObject);
        var arrays = values.Count(v => v is HoconArray);
        if (objects == values.Count)
        {
            var merged = values[0];
            for (var i = 1; i < values.Count; i++) merged = Merge(values[i], merged);
            return merged;
        }
        if (arrays == values.Count)
        {
            return new HoconArray(values.SelectMany(v => ((HoconArray)v).Elements), values[0].Position ?? position);
        }
        if (objects > 0 || arrays > 0)
        {
            var odd = values.First(v => v is HoconObject or HoconArray);
            throw new ConfigException(
                ConfigErrorKind.BadConcatenation,
                $"cannot concatenate {Describe(odd)} with {(arrays > 0 && objects > 0 ? "an object" : "a string")}: only strings with strings, arrays with arrays, objects with objects",
                position: odd.Position ?? position);
        }
        return HoconLiteral.String(string.Concat(parts.Select(p => ((HoconLiteral)p).Text)), values[0].Position ?? position);
    }

    private static string Describe(HoconValue v) => v is HoconObject ? "an object" : "an array";
}
