namespace ActorHttp.Client.Cluster;

/// <summary>
/// A message between a node's <see cref="ClusterPoolClient"/> and a <see cref="ClusterHostPool"/> entity, which may live
/// on another node. <c>hocon/client.conf</c> binds this interface to <c>ActorHttp.Cluster.HttpWireSerializer</c>, which
/// writes each as HTTP/1.1 wire bytes or a few ASCII fields (manifests <c>p*</c>).
/// </summary>
public interface IClusterPoolMessage;
