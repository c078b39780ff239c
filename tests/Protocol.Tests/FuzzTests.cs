using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

/// <summary>
/// Seeded random mutations of the valid table messages. For each: the parsers never throw,
/// never stall, never consume past the input, and reach the same outcome whether the bytes
/// arrive whole or in random segments. A failure prints the seed and the mutated bytes.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 3000;
    private static readonly byte[] Interesting = "\r\n\0\t :;,\"\\=0Ff-\u007f\u0080\u00ff"u8.ToArray();

    public static TheoryData<int> Seeds => new(1, 2, 3);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_requests_are_parsed_consistently_and_safely(int seed)
    {
        var corpus = RequestParsingTests.Valid.Values.Select(v => Encoding.Latin1.GetBytes(v.Raw)).ToArray();
        var limits = TestLimits.Small with { MaxRequestLineLength = 128, MaxHeaderBytes = 1024, MaxHeaderCount = 20 };
        Run(seed, corpus, (pieces, _) => MessageDriver.RunRequest(pieces, limits));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_responses_are_parsed_consistently_and_safely(int seed)
    {
        var corpus = ResponseParsingTests.Valid.Values.Select(v => Encoding.Latin1.GetBytes(v.Raw)).ToArray();
        Run(seed, corpus, (pieces, method) => MessageDriver.RunResponse(pieces, TestLimits.Default, method));
    }

    private static void Run(int seed, byte[][] corpus, Func<IReadOnlyList<byte[]>, RequestMethod, string> drive)
    {
        var random = new Random(seed);
        var methods = Enum.GetValues<RequestMethod>();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < Iterations; i++)
        {
            var message = Mutate(random, corpus[random.Next(corpus.Length)]);
            var pieces = RandomSegments(random, message);
            // Response framing depends on the request method: vary it, the same for both runs.
            var method = methods[random.Next(methods.Length)];
            string whole, segmented;
            try
            {
                whole = drive([message], method);
                segmented = drive(pieces, method);
            }
            catch (Exception e) when (e is not HttpProtocolException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} iteration {i}: {e.GetType().Name}: {e.Message}\n{Show(message)}");
            }
            Assert.True(whole == segmented, $"seed {seed} iteration {i}:\n{Show(message)}\nwhole: {whole}\nsegmented: {segmented}");
            var key = whole.StartsWith("Rejected") ? whole : whole == "Incomplete" ? whole : "Complete";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        // The mutations must exercise both acceptance and several distinct rejections to mean anything.
        Assert.True(outcomes.GetValueOrDefault("Complete") > Iterations / 20, string.Join(", ", outcomes));
        Assert.True(outcomes.Keys.Count(k => k.StartsWith("Rejected")) >= 8, string.Join(", ", outcomes));
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] = Interesting[random.Next(Interesting.Length)]; break;
                case 2: bytes.Insert(at, Interesting[random.Next(Interesting.Length)]); break;
                case 3: bytes.RemoveAt(at); break;
                case 4:
                    int length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return bytes.ToArray();
    }

    private static IReadOnlyList<byte[]> RandomSegments(Random random, byte[] message)
    {
        var pieces = new List<byte[]>();
        int at = 0;
        while (at < message.Length)
        {
            int length = Math.Min(message.Length - at, random.Next(0, 12));
            pieces.Add(message[at..(at + length)]);
            at += length;
        }
        if (pieces.Count == 0) pieces.Add([]);
        return pieces;
    }

    private static string Show(byte[] message) =>
        Encoding.Latin1.GetString(message).Replace("\r", "\\r").Replace("\n", "\\n\n");
}
