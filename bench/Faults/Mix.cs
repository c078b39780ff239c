namespace ActorHttp.Faults;

/// <summary>
/// Deterministic choices by number: the same request number and seed always choose the same way, whichever worker
/// sends it and in whatever order (a shared <see cref="Random"/> would hand out its values in arrival order).
/// </summary>
public static class Mix
{
    /// <summary>A well-mixed 64-bit value of <paramref name="seed"/> and <paramref name="n"/> (SplitMix64's finaliser).</summary>
    public static ulong Hash(int seed, long n)
    {
        var z = unchecked((ulong)n + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>True for a fraction <paramref name="fraction"/> of numbers.</summary>
    public static bool Chance(int seed, long n, double fraction) => Hash(seed, n) % 1_000_000UL < (ulong)(fraction * 1_000_000);
}
