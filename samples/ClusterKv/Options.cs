using System.Net;

namespace ClusterKv;

/// <summary>
/// The command line: <c>--http-port 8081 --akka-port 4051 --seed 127.0.0.1:4051 --data kv.db</c>, <c>--seed</c>
/// repeatable, <c>--hostname</c> optional (127.0.0.1).
/// </summary>
internal sealed record Options(string Hostname, int HttpPort, int AkkaPort, IReadOnlyList<string> Seeds, string DataFile)
{
    /// <summary>The actor system's name: fixed, since every node of one cluster must carry the same.</summary>
    public const string SystemName = "ClusterKv";

    public const string Usage = "usage: ClusterKv --http-port N --akka-port N --seed HOST:PORT [--seed HOST:PORT ...] --data FILE [--hostname HOST]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with what is wrong.</summary>
    public static Options Parse(IReadOnlyList<string> args)
    {
        string hostname = "127.0.0.1", data = "";
        int? httpPort = null, akkaPort = null;
        var seeds = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--http-port": httpPort = Port(name, value); break;
                case "--akka-port": akkaPort = Port(name, value); break;
                case "--seed": seeds.Add(Seed(value)); break;
                case "--data": data = value; break;
                case "--hostname": hostname = value; break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }
        if (httpPort is null || akkaPort is null || seeds.Count == 0 || data.Length == 0)
            throw new ArgumentException("--http-port, --akka-port, --seed and --data are required.");
        return new Options(hostname, httpPort.Value, akkaPort.Value, seeds, data);
    }

    /// <summary>Where the HTTP server listens.</summary>
    public IPEndPoint HttpEndPoint => new(IPAddress.Parse(Hostname), HttpPort);

    private static int Port(string name, string value) =>
        int.TryParse(value, out int port) && port is >= 0 and <= 65535 ? port : throw new ArgumentException($"{name} {value}: not a port.");

    // "host:port" becomes the seed's actor-system address.
    private static string Seed(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out int port))
            throw new ArgumentException($"--seed {value}: not HOST:PORT.");
        return $"akka.tcp://{SystemName}@{value[..colon]}:{port}";
    }
}
