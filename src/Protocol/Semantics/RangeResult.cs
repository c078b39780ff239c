namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The outcome of <see cref="RangeHeader.Parse(string?, long)"/>: a <see cref="Kind"/> and, when
/// satisfiable, the ranges in the order the client asked for them.
/// </summary>
public readonly struct RangeResult
{
    private static readonly ByteRange[] None = [];
    private readonly ByteRange[]? ranges;

    private RangeResult(RangeResultKind kind, ByteRange[]? ranges, bool isMalformed)
    {
        Kind = kind;
        this.ranges = ranges;
        IsMalformed = isMalformed;
    }

    /// <summary>Serve the whole representation with 200.</summary>
    public static RangeResult NoRange { get; } = new(RangeResultKind.NoRange, null, false);

    /// <summary>No requested range overlaps the representation: 416.</summary>
    public static RangeResult Unsatisfiable { get; } = new(RangeResultKind.Unsatisfiable, null, false);

    /// <summary>The byte-range set is not valid syntax: 416, as Go answers it.</summary>
    public static RangeResult Malformed { get; } = new(RangeResultKind.Unsatisfiable, null, true);

    /// <summary>What to do with the request.</summary>
    public RangeResultKind Kind { get; }

    /// <summary>True when <see cref="Kind"/> is Unsatisfiable because the header's syntax was bad
    /// rather than because the ranges miss the representation; for logs and metrics.</summary>
    public bool IsMalformed { get; }

    /// <summary>The ranges to send, in request order, not merged (as Go sends them); empty unless
    /// <see cref="Kind"/> is Satisfiable.</summary>
    public ReadOnlySpan<ByteRange> Ranges => ranges ?? None;

    /// <summary>Total number of representation bytes in <see cref="Ranges"/>.</summary>
    public long TotalLength
    {
        get
        {
            long total = 0;
            foreach (var r in Ranges)
            {
                total += r.Length;
            }

            return total;
        }
    }

    internal static RangeResult Satisfiable(ByteRange[] ranges) => new(RangeResultKind.Satisfiable, ranges, false);

    /// <inheritdoc/>
    public override string ToString() => Kind == RangeResultKind.Satisfiable
        ? $"Satisfiable[{string.Join(",", ranges!.Select(r => $"{r.Start}+{r.Length}"))}]"
        : IsMalformed ? "Unsatisfiable(malformed)" : Kind.ToString();
}
