namespace ActorHttp.Hocon;

/// <summary>
/// Parses tokens into an unresolved tree: a root object whose values may still be substitutions,
/// concatenations containing them, or delayed merges. Repeated keys are merged as they are read
/// (objects key by key, anything else replaces), includes are parsed and merged in place.
/// </summary>
internal sealed class HoconParser
{
    private static readonly string[] IncludeFunctions = ["required", "file", "resource", "classpath", "url"];

    private readonly List<HoconToken> _tokens;
    private readonly HoconSource _source;
    private int _next;

    private HoconParser(List<HoconToken> tokens, HoconSource source)
    {
        _tokens = tokens;
        _source = source;
    }

    /// <exception cref="HoconParseException">The text is not valid HOCON.</exception>
    public static HoconObject Parse(string text, HoconSource source)
    {
        var parser = new HoconParser(HoconLexer.Tokenize(text, source.Name), source);
        return parser.ParseDocument();
    }

    private HoconToken Peek(int ahead = 0) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)];

    private HoconToken Take() => _tokens[Math.Min(_next++, _tokens.Count - 1)];

    private void SkipWhitespace()
    {
        while (Peek().Kind == HoconTokenKind.Whitespace) _next++;
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek().Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline) _next++;
    }

    private HoconParseException Error(string message, HoconToken at) => new(message, at.Position);

    private HoconObject ParseDocument()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek();
        HoconObject root;
        if (first.Kind == HoconTokenKind.OpenBrace)
        {
            root = ParseBracedObject(HoconPath.Root);
            SkipWhitespaceAndNewlines();
            if (Peek().Kind != HoconTokenKind.End) throw Error($"expected end of input after the root object, found {Peek().Describe()}", Peek());
        }
        else if (first.Kind == HoconTokenKind.OpenBracket)
        {
            throw Error("the root of a configuration must be an object, not an array", first);
        }
        else
        {
            root = new HoconObject(first.Position);
            ParseFields(root, HoconPath.Root, opener: null);
        }
        return root;
    }

    private HoconObject ParseBracedObject(HoconPath path)
    {
        var open = Take();
        var obj = new HoconObject(open.Position);
        ParseFields(obj, path, open);
        Take();
        return obj;
    }

    /// <summary>
    /// Reads fields up to the closing brace (left for the caller), or to the end of input for a
    /// root object without braces (<paramref name="opener"/> null). Fields are separated by a
    /// comma or a newline; a last comma before the brace is allowed.
    /// </summary>
    private void ParseFields(HoconObject target, HoconPath path, HoconToken? opener)
    {
        var closing = opener is null ? HoconTokenKind.End : HoconTokenKind.CloseBrace;
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek();
            if (token.Kind == closing) return;
            if (token.Kind == HoconTokenKind.End)
                throw Error($"expected '}}' to close the object opened at line {opener!.Value.Position.Line}, column {opener.Value.Position.Column}", token);
            if (token.Kind == HoconTokenKind.Comma) throw Error("expected a key, found ','", token);

            if (IsIncludeAhead()) ParseInclude(target, path);
            else ParseField(target, path);

            SkipWhitespace();
            token = Peek();
            if (token.Kind == HoconTokenKind.Comma) _next++;
            else if (token.Kind != HoconTokenKind.Newline && token.Kind != closing && token.Kind != HoconTokenKind.End)
                throw Error($"expected ',' or a new line after a field, found {token.Describe()}", token);
        }
    }

    private void ParseField(HoconObject target, HoconPath objectPath)
    {
        var keyStart = Peek();
        var keyTokens = new List<HoconToken>();
        while (Peek().Kind is HoconTokenKind.Unquoted or HoconTokenKind.QuotedString or HoconTokenKind.Whitespace) keyTokens.Add(Take());
        if (keyTokens.Count == 0) throw Error($"expected a key, found {keyStart.Describe()}", keyStart);
        var key = HoconPath.FromTokens(keyTokens, keyStart.Position);
        var fieldPath = objectPath.Append(key);

        var separator = Peek();
        HoconValue value;
        switch (separator.Kind)
        {
            case HoconTokenKind.OpenBrace:
                value = ParseValue(fieldPath);
                break;
            case HoconTokenKind.Colon:
            case HoconTokenKind.Equals:
                _next++;
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath);
                break;
            case HoconTokenKind.PlusEquals:
                // "a += x" is "a = ${?a} [x]": the array so far, or a new one.
                _next++;
                SkipWhitespaceAndNewlines();
                var element = ParseValue(fieldPath);
                value = new HoconConcatenation(
                    [new HoconSubstitution(fieldPath, optional: true, separator.Position), new HoconArray([element], element.Position)],
                    separator.Position);
                break;
            default:
                throw Error($"expected ':', '=', '+=' or '{{' after the key '{key}', found {separator.Describe()}", separator);
        }

        for (var i = key.Length - 1; i > 0; i--)
        {
            var wrapper = new HoconObject(keyStart.Position);
            wrapper.Set(key.Segments[i], value);
            value = wrapper;
        }
        HoconMerge.MergeInto(target, key.Segments[0], value);
    }

    /// <summary>
    /// Reads a value: one or more parts on the same line (strings, numbers, substitutions, arrays,
    /// objects), concatenated. Whitespace between parts is kept (it matters between strings);
    /// whitespace before the first and after the last part is not.
    /// </summary>
    private HoconValue ParseValue(HoconPath path)
    {
        var parts = new List<HoconValue>();
        HoconToken? pendingWhitespace = null;
        var start = Peek();
        while (true)
        {
            var token = Peek();
            if (token.Kind == HoconTokenKind.Whitespace)
            {
                _next++;
                if (parts.Count > 0) pendingWhitespace = token;
                continue;
            }
            if (token.Kind is not (HoconTokenKind.Unquoted or HoconTokenKind.QuotedString or HoconTokenKind.Substitution
                or HoconTokenKind.OpenBrace or HoconTokenKind.OpenBracket))
            {
                break;
            }
            if (pendingWhitespace is { } ws)
            {
                parts.Add(new HoconLiteral(HoconValueType.String, ws.Text, ws.Position, isWhitespace: true));
                pendingWhitespace = null;
            }
            parts.Add(ParsePart(path));
        }

        if (parts.Count == 0) throw Error($"expected a value, found {start.Describe()}", start);
        if (parts.Count == 1) return parts[0];
        if (parts.Any(p => p.Type == HoconValueType.Unresolved)) return new HoconConcatenation(parts, parts[0].Position);
        try
        {
            return HoconMerge.Fold(parts, parts[0].Position)!;
        }
        catch (ConfigException e) when (e.Kind == ConfigErrorKind.BadConcatenation)
        {
            throw new HoconParseException(e.Message, e.Position ?? start.Position, e);
        }
    }

    private HoconValue ParsePart(HoconPath path)
    {
        var token = Peek();
        switch (token.Kind)
        {
            case HoconTokenKind.Unquoted:
                _next++;
                return HoconLiteral.FromUnquoted(token.Text, token.Position);
            case HoconTokenKind.QuotedString:
                _next++;
                return HoconLiteral.String(token.Text, token.Position);
            case HoconTokenKind.Substitution:
                _next++;
                return new HoconSubstitution(token.Path!, token.Optional, token.Position);
            case HoconTokenKind.OpenBrace:
                return ParseBracedObject(path);
            default:
                return ParseArray(path);
        }
    }

    private HoconArray ParseArray(HoconPath path)
    {
        var open = Take();
        var elements = new List<HoconValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek();
            if (token.Kind == HoconTokenKind.CloseBracket)
            {
                _next++;
                return new HoconArray(elements, open.Position);
            }
            if (token.Kind == HoconTokenKind.End)
                throw Error($"expected ']' to close the array opened at line {open.Position.Line}, column {open.Position.Column}", token);
            if (token.Kind == HoconTokenKind.Comma) throw Error("expected an array element, found ','", token);

            elements.Add(ParseValue(path));

            SkipWhitespace();
            token = Peek();
            if (token.Kind == HoconTokenKind.Comma) _next++;
            else if (token.Kind is not (HoconTokenKind.Newline or HoconTokenKind.CloseBracket or HoconTokenKind.End))
                throw Error($"expected ',' or a new line after an array element, found {token.Describe()}", token);
        }
    }

    /// <summary>
    /// <c>include</c> counts as an include only at the start of a field, followed by whitespace and
    /// a quoted name or one of the include functions; otherwise it is an ordinary key.
    /// </summary>
    private bool IsIncludeAhead()
    {
        if (Peek() is not { Kind: HoconTokenKind.Unquoted, Text: "include" }) return false;
        var ahead = 1;
        while (Peek(ahead).Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline) ahead++;
        if (ahead == 1) return false;
        var next = Peek(ahead);
        return next.Kind == HoconTokenKind.QuotedString
            || (next.Kind == HoconTokenKind.Unquoted && IncludeFunctions.Any(f => next.Text.StartsWith(f + "(", StringComparison.Ordinal)));
    }

    private void ParseInclude(HoconObject target, HoconPath path)
    {
        var include = Take();
        SkipWhitespaceAndNewlines();

        // "required(file(" arrives as one unquoted token, "required( file(" as several: collect the
        // function names up to the quoted name, then as many ')' as were opened.
        var functions = new List<string>();
        while (Peek().Kind != HoconTokenKind.QuotedString)
        {
            var token = Take();
            if (token.Kind == HoconTokenKind.Whitespace) continue;
            if (token.Kind != HoconTokenKind.Unquoted || !token.Text.EndsWith('('))
                throw Error($"expected a quoted file name after include, found {token.Describe()}", token);
            foreach (var name in token.Text[..^1].Split('('))
            {
                if (!IncludeFunctions.Contains(name)) throw Error($"unknown include function '{name}(': expected file(, resource(, classpath(, url( or required(", token);
                functions.Add(name);
            }
        }
        var nameToken = Take();
        var open = functions.Count;
        while (open > 0)
        {
            SkipWhitespace();
            var token = Take();
            if (token.Kind != HoconTokenKind.Unquoted || token.Text.Any(c => c != ')') || token.Text.Length > open)
                throw Error($"expected ')' to close the include, found {token.Describe()}", token);
            open -= token.Text.Length;
        }

        var required = functions.Count > 0 && functions[0] == "required";
        var kinds = functions.Skip(required ? 1 : 0).ToList();
        if (kinds.Count > 1 || kinds.Contains("required"))
            throw Error("an include takes at most one of file(, resource(, classpath(, url(, optionally inside required(", include);
        var kind = kinds.FirstOrDefault() switch
        {
            null => HoconIncludeKind.Heuristic,
            "file" => HoconIncludeKind.File,
            "url" => HoconIncludeKind.Url,
            _ => HoconIncludeKind.Resource,
        };

        var included = HoconIncluder.Include(_source, kind, nameToken.Text, required, nameToken.Position);
        foreach (var (key, value) in included.Fields)
            HoconMerge.MergeInto(target, key, path.IsRoot ? value : HoconRelativizer.Relativize(value, path));
    }
}
