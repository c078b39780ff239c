using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace ClusterKv;

/// <summary>
/// The journal's format for <see cref="KvEntity.IKvEvent"/>: the manifest names the event, the bytes are the value
/// itself. Bound in clusterkv.conf; its identifier (1201) is there too. A stored format of our own, rather than
/// Akka's default JSON, so that renaming a class does not orphan the journal.
/// </summary>
public sealed class KvEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string Set = "set", Deleted = "del";

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        KvEntity.ValueSet => Set,
        KvEntity.ValueDeleted => Deleted,
        _ => throw new ArgumentException($"Not a ClusterKv event: {o.GetType()}", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj switch
    {
        KvEntity.ValueSet set => set.Value,
        KvEntity.ValueDeleted => [],
        _ => throw new ArgumentException($"Not a ClusterKv event: {obj.GetType()}", nameof(obj)),
    };

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        Set => new KvEntity.ValueSet(bytes),
        Deleted => KvEntity.ValueDeleted.Instance,
        _ => throw new SerializationException($"Unknown ClusterKv event manifest '{manifest}'."),
    };
}
