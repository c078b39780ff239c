namespace ActorHttp.Hocon;

/// <summary>
/// Moves the substitutions of an included file under the key where it was included: in
/// <c>a { include "b.conf" }</c>, a <c>${x}</c> in b.conf means <c>${a.x}</c> first and
/// <c>${x}</c> if that is not defined, as the HOCON spec asks.
/// </summary>
internal static class HoconRelativizer
{
    public static HoconValue Relativize(HoconValue value, HoconPath prefix)
    {
        if (!value.NeedsResolution) return value;
        return value switch
        {
            HoconSubstitution s => s.Relativize(prefix),
            HoconObject o => new HoconObject(o.Position, o.Fields.Select(f => KeyValuePair.Create(f.Key, Relativize(f.Value, prefix)))),
            HoconArray a => new HoconArray(a.Elements.Select(e => Relativize(e, prefix)), a.Position),
            HoconConcatenation c => new HoconConcatenation(c.Parts.Select(p => Relativize(p, prefix)).ToList(), c.Position),
            HoconDelayedMerge d => new HoconDelayedMerge(d.Layers.Select(l => Relativize(l, prefix)).ToList()),
            _ => value,
        };
    }
}
