using Akka.Configuration;

namespace ActorHttp.Configuration;

/// <summary>
/// A setting that is missing, mistyped or out of range, with the full path of the key (or block) at fault.
/// An Akka <see cref="ConfigurationException"/>, so code that handles Akka's configuration errors handles it too.
/// </summary>
public sealed class SettingsException : ConfigurationException
{
    /// <summary>An error at <paramref name="path"/>: <paramref name="rule"/> says what is wrong or what the value must be.</summary>
    public SettingsException(string path, string rule, Exception? inner = null)
        : base($"{path}: {rule}", inner!)
    {
        Path = path;
        Rule = rule;
    }

    /// <summary>The full path of the key or block at fault, e.g. <c>actorhttp.client.max-idle-conns</c>.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Rule { get; }
}
