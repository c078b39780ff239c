using ActorHttp.Actors.Tests.Support;
using ActorHttp.Configuration;
using ActorHttp.Protocol;
using ActorHttp.Server;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>hocon/server.conf and ServerSettings agree: every key is read, every key read exists.</summary>
public sealed class ServerSettingsTests
{
    private const string Section = "actorhttp.server";

    [Fact]
    public void Every_key_in_server_conf_is_read_and_every_key_read_exists()
    {
        var read = new HashSet<string>();
        ServerSettings.Read(new SettingsReader(ReferenceConfig.Default, Section, read), new SettingsReader(ReferenceConfig.Default, HttpParserLimitsSettings.Section));

        var keys = ReferenceKeys.Under(Section);
        Assert.NotEmpty(keys);
        // The protocol limits are read too (actorhttp.http.parsing); their own test covers that file.
        Assert.Equal(keys.Order(StringComparer.Ordinal),
            read.Where(k => k.StartsWith(Section + ".", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Overrides_replace_single_keys_and_keep_the_rest()
    {
        var settings = ServerSettings.Load(ConfigurationFactory.ParseString("""
            actorhttp.server.idle-timeout = 5s
            actorhttp.server.request-body.max-size = 1k
            actorhttp.http.parsing.max-header-count = 10
            """));
        var reference = ServerSettings.Load();

        Assert.Equal(TimeSpan.FromSeconds(5), settings.IdleTimeout);
        Assert.Equal(1024, settings.RequestBodyMaxSize);
        Assert.Equal(10, settings.Parsing.MaxHeaderCount);
        Assert.Equal(reference.HeaderReadTimeout, settings.HeaderReadTimeout);
        Assert.Equal(reference with { IdleTimeout = settings.IdleTimeout, RequestBodyMaxSize = 1024, Parsing = settings.Parsing }, settings);
    }
}
