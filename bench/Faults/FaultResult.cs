using System.Globalization;
using System.Text;

namespace ActorHttp.Faults;

/// <summary>
/// The outcome of one fault: the counters every line carries (the client's requests and the raw requests that
/// hung), the fault's own figures in order, and why it failed when it did. <see cref="Line"/> is the issue's format.
/// </summary>
public sealed class FaultResult
{
    private readonly List<KeyValuePair<string, string>> _figures = [];
    private readonly List<string> _failures = [];

    /// <summary>A result for <paramref name="name"/> with the counters of <paramref name="tally"/> (the fault window's requests).</summary>
    public FaultResult(string name, Tally tally, double baselineP99Ms)
    {
        Name = name;
        Tally = tally;
        BaselineP99Ms = baselineP99Ms;
    }

    /// <summary>The fault's name, as <c>--only</c> takes it.</summary>
    public string Name { get; }

    /// <summary>The requests of the fault window.</summary>
    public Tally Tally { get; }

    /// <summary>p99 of the load before the fault, in milliseconds.</summary>
    public double BaselineP99Ms { get; }

    /// <summary>True when no request was lost or hung and the fault's own criterion held.</summary>
    public bool Ok => _failures.Count == 0 && Tally.Lost == 0 && Tally.Hung == 0;

    /// <summary>The fault's own figures, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Figures => _figures;

    /// <summary>Each broken part of the criterion, as a short token (printed as <c>why=</c>).</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Adds a figure (<c>key=value</c>; the value must have no spaces).</summary>
    public FaultResult Add(string key, object value)
    {
        var text = value switch
        {
            double d => d.ToString("0.##", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        _figures.Add(KeyValuePair.Create(key, text.Replace(' ', '_')));
        return this;
    }

    /// <summary>Records that part of the criterion failed unless <paramref name="holds"/>.</summary>
    public FaultResult Require(bool holds, string token)
    {
        if (!holds) _failures.Add(token);
        return this;
    }

    /// <summary>The issue's line: <c>FAULT name ok= requests= answered= failed_typed= lost= hung= p99_ms= baseline_p99_ms= ...</c>.</summary>
    public string Line()
    {
        var t = Tally;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"FAULT {Name} ok={(Ok ? "true" : "false")} requests={t.Requests} answered={t.Answered} failed_typed={t.FailedTyped} lost={t.Lost} hung={t.Hung} p99_ms={Ms(t.Latencies.P99)} baseline_p99_ms={Ms(BaselineP99Ms)}");
        foreach (var (key, value) in _figures) line.Append(' ').Append(key).Append('=').Append(value);
        var why = new List<string>(_failures);
        if (t.Lost > 0) why.Insert(0, "lost");
        if (t.Hung > 0) why.Insert(0, "hung");
        if (why.Count > 0) line.Append(" why=").Append(string.Join(',', why));
        return line.ToString();
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "NaN" : ms.ToString("0.##", CultureInfo.InvariantCulture);
}
