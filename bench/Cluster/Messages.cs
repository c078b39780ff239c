using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace ActorHttp.Cluster.Bench;

/// <summary>The Kestrel + Ask path's messages; bound to <see cref="BenchSerializer"/>.</summary>
public interface IBenchMessage;

/// <summary>Ask the entity <paramref name="Key"/> for its value (the region's extractor reads the key).</summary>
public sealed record Get(string Key) : IBenchMessage;

/// <summary>The entity's answer to <see cref="Get"/>.</summary>
public sealed record Value(string Text) : IBenchMessage;

/// <summary>
/// A small binary serializer for <see cref="Get"/> and <see cref="Value"/> (UTF-8 text, a one-letter manifest), so that
/// the Ask path pays no more for its messages than ActorHttp's wire serializer makes the route pay: Akka's default
/// (JSON) would weigh on the baseline and blur what is measured, the Ask and the ASP.NET Core pipeline.
/// </summary>
public sealed class BenchSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <inheritdoc />
    public override int Identifier => 4242;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj switch
    {
        Get g => Encoding.UTF8.GetBytes(g.Key),
        Value v => Encoding.UTF8.GetBytes(v.Text),
        _ => throw new ArgumentException($"cannot serialize {obj.GetType()}"),
    };

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        "g" => new Get(Encoding.UTF8.GetString(bytes)),
        "v" => new Value(Encoding.UTF8.GetString(bytes)),
        _ => throw new ArgumentException($"unknown manifest '{manifest}'"),
    };

    /// <inheritdoc />
    public override string Manifest(object o) => o is Get ? "g" : "v";
}
