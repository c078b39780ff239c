using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

/// <summary>Each row: invalid HOCON, the line and column the error must name, and a phrase of the message.</summary>
public class ErrorTests
{
    public static TheoryData<string, int, int, string> ParseErrors => new()
    {
        { "a = }", 1, 5, "expected a value" },
        { "a = 1\nb = ", 2, 5, "expected a value" },
        { "a {\n  b = 1\n", 3, 1, "expected '}' to close the object opened at line 1, column 3" },
        { "a = [1, 2", 1, 10, "expected ']' to close the array opened at line 1, column 5" },
        { "a = 1 }", 1, 7, "expected ',' or a new line" },
        { "}", 1, 1, "expected a key" },
        { "a = 1,, b = 2", 1, 7, "expected a key, found ','" },
        { "a = [1,,2]", 1, 8, "expected an array element, found ','" },
        { "a = [,1]", 1, 6, "expected an array element, found ','" },
        { "a = [1 : 2]", 1, 8, "expected ',' or a new line after an array element" },
        { "a 1", 1, 4, "expected ':', '=', '+=' or '{' after the key '\"a 1\"'" },
        { "a.b", 1, 4, "expected ':', '=', '+=' or '{'" },
        { "a..b = 1", 1, 1, "empty element" },
        { ".a = 1", 1, 1, "empty element" },
        { "a. = 1", 1, 1, "empty element" },
        { "a = \"abc", 1, 5, "unterminated string" },
        { "a = \"ab\ncd\"", 1, 5, "unterminated string" },
        { "a = \"\\q\"", 1, 6, "not a valid escape" },
        { "a = \"\\u12\"", 1, 6, "four hex digits" },
        { "a = \"\"\"abc", 1, 5, "unterminated triple-quoted string" },
        { "a = ${b", 1, 5, "unterminated substitution" },
        { "a = ${}", 1, 5, "found nothing" },
        { "a = ${b.}", 1, 7, "empty element" },
        { "a { b = 1", 1, 10, "expected '}' to close the object opened at line 1, column 3" },
        { "a = $b", 1, 5, "'$' must start a substitution" },
        { "a = b + c", 1, 7, "'+' is only allowed as '+='" },
        { "a = b!c", 1, 6, "'!' is not allowed in unquoted text" },
        { "a = 1 ^", 1, 7, "'^' is not allowed" },
        { "[1, 2]", 1, 1, "must be an object, not an array" },
        { "{ a = 1 } b = 2", 1, 11, "expected end of input" },
        { "a = { x = 1 } foo", 1, 5, "cannot concatenate an object with a string" },
        { "a = [1] foo", 1, 5, "cannot concatenate an array with a string" },
        { "a = [1] { x = 1 }", 1, 5, "cannot concatenate an array with an object" },
        { "a = \"x\u0001\"", 1, 7, "control character" },
        { "${a} = 1", 1, 1, "expected a key, found substitution ${a}" },
        { "\n\n   a = 1\n   b = = 2", 4, 8, "expected a value" },
    };

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void ParseErrorsNameSourceLineAndColumn(string hocon, int line, int column, string phrase)
    {
        var e = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseString(hocon, "test.conf"));
        Assert.Equal(ConfigErrorKind.Parse, e.Kind);
        Assert.Equal(new SourcePosition("test.conf", line, column), e.Position);
        Assert.StartsWith($"test.conf:{line}:{column}: ", e.Message);
        Assert.Contains(phrase, e.Message);
        Assert.IsAssignableFrom<ConfigException>(e);
    }

    public static TheoryData<string, string, ConfigErrorKind, int, int> ResolveErrors => new()
    {
        { "a = ${nope}", "a", ConfigErrorKind.UnresolvedSubstitution, 1, 5 },
        { "x {\n  a = foo ${nope.deeper}\n}", "x.a", ConfigErrorKind.UnresolvedSubstitution, 2, 11 },
        { "a = ${a}", "a", ConfigErrorKind.UnresolvedSubstitution, 1, 5 },
        { "a = ${b}\nb = ${a}", "a", ConfigErrorKind.SubstitutionCycle, 0, 0 },
        { "a = ${b}\nb = ${c}\nc = ${a}", "a", ConfigErrorKind.SubstitutionCycle, 0, 0 },
        { "a { b = ${a} }", "a.b", ConfigErrorKind.SubstitutionCycle, 0, 0 },
        { "s = str\na = ${s} [1]", "a", ConfigErrorKind.BadConcatenation, 0, 0 },
        { "o { x = 1 }\na = ${o} [1]", "a", ConfigErrorKind.BadConcatenation, 0, 0 },
        { "a = 1\na += 2", "a", ConfigErrorKind.BadConcatenation, 0, 0 },
        { "a = [1]\na = [${a}]", "a", ConfigErrorKind.SubstitutionCycle, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(ResolveErrors))]
    public void ResolutionErrorsAreThrownOnRead(string hocon, string path, ConfigErrorKind kind, int line, int column)
    {
        var config = ConfigurationFactory.ParseString(hocon, "test.conf"); // parsing alone succeeds
        var e = Assert.Throws<ConfigException>(() => config.GetValue(path));
        Assert.Equal(kind, e.Kind);
        if (line > 0) Assert.Equal(new SourcePosition("test.conf", line, column), e.Position);
        Assert.NotNull(e.Position);
        // and again on every later read, and from Resolve()
        Assert.Equal(kind, Assert.Throws<ConfigException>(() => config.Resolve()).Kind);
    }

    [Fact]
    public void UnresolvedSubstitutionNamesTheFieldAndTheSubstitution()
    {
        var config = ConfigurationFactory.ParseString("server {\n  port = ${ports.http}\n}", "app.conf");
        var e = Assert.Throws<ConfigException>(() => config.GetInt("server.port"));
        Assert.Equal("server.port", e.Path);
        Assert.Contains("${ports.http}", e.Message);
        Assert.StartsWith("app.conf:2:10: path 'server.port'", e.Message);
    }

    [Fact]
    public void AHiddenBadSubstitutionIsNeverEvaluated()
    {
        // HOCON spec: a substitution hidden by a later non-object value is not an error.
        var config = ConfigurationFactory.ParseString("foo : ${does-not-exist}\nfoo : 42\nbar : ${bar}\nbar : 1");
        Assert.Equal(42, config.GetInt("foo"));
        Assert.Equal(1, config.GetInt("bar"));
    }
}
