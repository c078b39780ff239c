using System.Reflection;
using Akka.Actor;
using Akka.Configuration;

namespace ActorHttp.Configuration;

/// <summary>
/// ActorHttp's reference configuration: the files of <c>hocon/</c> that this assembly embeds
/// (<c>http.conf</c>, <c>server.conf</c>, <c>client.conf</c>, <c>dispatch.conf</c>, <c>serialization.conf</c>), which hold every
/// default and its reason. It is a fallback of every actor system that uses ActorHttp, the way
/// Akka's own modules add theirs: the user's configuration always wins.
/// </summary>
public static class ReferenceConfig
{
    private const string ResourcePrefix = "actorhttp/reference/";

    private static readonly Lazy<Config> s_default = new(() => FromAssembly(typeof(ReferenceConfig).Assembly));

    /// <summary>Every reference file of ActorHttp's runtime, merged.</summary>
    public static Config Default => s_default.Value;

    /// <summary><paramref name="overrides"/> (may be null) over <see cref="Default"/>: what settings are read from outside an actor system.</summary>
    public static Config Load(Config? overrides = null) =>
        overrides is null || overrides.IsEmpty ? Default : overrides.WithFallback(Default);

    /// <summary>
    /// Adds <see cref="Default"/> as a fallback of <paramref name="system"/>'s configuration (idempotent in effect), and
    /// Akka.Streams' reference too: bodies above the inline limit cross nodes as stream refs, whose serializer Akka.Streams'
    /// reference binds, and a node must know it before the first one arrives, not only once it materializes a stream.
    /// </summary>
    public static void InjectInto(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        system.Settings.InjectTopLevelFallback(Akka.Streams.ActorMaterializer.DefaultConfig());
        system.Settings.InjectTopLevelFallback(Default);
    }

    /// <summary>The reference files embedded in <paramref name="assembly"/> under <c>actorhttp/reference/</c>, merged (earlier names win on a clash, which the files avoid).</summary>
    public static Config FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var merged = Config.Empty;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var file = ConfigurationFactory.ParseString(reader.ReadToEnd());
            merged = merged.IsEmpty ? file : merged.WithFallback(file);
        }

        return merged.IsEmpty ? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no reference configuration") : merged;
    }
}
