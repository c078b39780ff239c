using ActorHttp.Actors.Tests.Support;
using ActorHttp.Cluster;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Serialization;

/// <summary>hocon/serialization.conf and ClusterSettings agree: every actorhttp.cluster key is read, every key read exists.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void Every_key_in_the_cluster_section_is_read_and_every_key_read_exists()
    {
        var read = new HashSet<string>();
        ClusterSettings.Read(new SettingsReader(ReferenceConfig.Default, ClusterSettings.Section, read),
            new SettingsReader(ReferenceConfig.Default, HttpParserLimitsSettings.Section));

        var keys = ReferenceKeys.Under(ClusterSettings.Section);
        Assert.NotEmpty(keys);
        Assert.Equal(keys.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_limit_can_be_overridden_and_a_negative_one_is_refused()
    {
        Assert.Equal(1000, ClusterSettings.Load(ConfigurationFactory.ParseString("actorhttp.cluster.max-inline-body = 1000")).MaxInlineBody);
        var e = Assert.Throws<SettingsException>(() => ClusterSettings.Load(ConfigurationFactory.ParseString("actorhttp.cluster.max-inline-body = -1")));
        Assert.Equal("actorhttp.cluster.max-inline-body", e.Path);
    }

    [Fact]
    public void The_reference_binds_the_serializer_with_its_identifier()
    {
        var config = ReferenceConfig.Default;
        Assert.Equal("ActorHttp.Cluster.HttpWireSerializer, ActorHttp.Actors", config.GetString("akka.actor.serializers.actorhttp-wire"));
        Assert.Equal(1101, config.GetInt("akka.actor.serialization-identifiers.\"ActorHttp.Cluster.HttpWireSerializer, ActorHttp.Actors\""));
    }
}
