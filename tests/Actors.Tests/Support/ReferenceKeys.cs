using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>The keys a reference file declares, for the tests that check every key is read and every key read exists.</summary>
public static class ReferenceKeys
{
    /// <summary>Full paths of every value set under <paramref name="section"/> of <paramref name="reference"/> (default: the runtime's reference).</summary>
    public static IReadOnlySet<string> Under(string section, Config? reference = null) =>
        SettingsReader.LeafKeys((reference ?? ReferenceConfig.Default).GetConfig(section)).Select(k => $"{section}.{k}").ToHashSet(StringComparer.Ordinal);
}
