using System.Text.Json;
using ActorHttp.Server;
using Akka.Actor;
using Akka.Cluster;

namespace ClusterKv;

/// <summary>
/// The routes about the node itself, answered by delegates from <see cref="Cluster.State"/> (an immutable snapshot,
/// safe to read from any thread): <c>GET /cluster/members</c> and <c>GET /healthz</c>.
/// </summary>
internal static class ClusterRoutes
{
    /// <summary>
    /// 200 once this node is Up; 503 before (Joining, WeaklyUp) and from the moment it starts to go: Leaving, Exiting,
    /// Down, or its <see cref="CoordinatedShutdown"/> started (a SIGTERM), so that a load balancer stops sending it work
    /// before its server unbinds.
    /// </summary>
    public static HandlerFunc Health(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var shutdown = CoordinatedShutdown.Get(system);
        return (w, _) =>
        {
            var status = cluster.SelfMember.Status;
            bool up = status == MemberStatus.Up && shutdown.ShutdownReason is null;
            w.StatusCode = up ? 200 : 503;
            return w.WriteAsync(up ? "up" : shutdown.ShutdownReason is null ? status.ToString() : "shutting down").AsTask();
        };
    }

    /// <summary>The members this node sees: <c>{"self", "leader", "members": [{"address", "status", "roles", "reachable"}]}</c>.</summary>
    public static HandlerFunc Members(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        return (w, _) =>
        {
            var state = cluster.State;
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("self", cluster.SelfAddress.ToString());
                json.WriteString("leader", state.Leader?.ToString());
                json.WriteStartArray("members");
                foreach (var member in state.Members)
                {
                    json.WriteStartObject();
                    json.WriteString("address", member.Address.ToString());
                    json.WriteString("status", member.Status.ToString());
                    json.WriteStartArray("roles");
                    foreach (var role in member.Roles) json.WriteStringValue(role);
                    json.WriteEndArray();
                    json.WriteBoolean("reachable", !state.Unreachable.Contains(member));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            w.Headers.Add("Content-Type", "application/json");
            return w.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).AsTask();
        };
    }
}
