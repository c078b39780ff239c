using System.Globalization;
using System.Text;

namespace ActorHttp.Hocon;

/// <summary>
/// Turns HOCON text into tokens with positions. Comments (<c>#</c> and <c>//</c>) are dropped;
/// newlines are tokens because they separate fields and array elements; whitespace is a token
/// because it is kept between the parts of an unquoted string (<c>a = foo bar</c>).
/// </summary>
internal sealed class HoconLexer
{
    private readonly string _text;
    private readonly string _source;
    private readonly List<HoconToken> _tokens = new();
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private HoconLexer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public static List<HoconToken> Tokenize(string text, string source)
    {
        var lexer = new HoconLexer(text, source);
        lexer.Run(insidePath: false);
        return lexer._tokens;
    }

    /// <summary>Tokenizes a bare path expression (no End token): whitespace, quoted and unquoted text only.</summary>
    public static List<HoconToken> TokenizePath(string text, string source)
    {
        var lexer = new HoconLexer(text, source);
        lexer.Run(insidePath: true);
        return lexer._tokens;
    }

    /// <summary>
    /// Characters that end unquoted text: HOCON's forbidden set plus whitespace. Everything else,
    /// including <c>.</c>, <c>-</c>, <c>/</c> and parentheses, may appear in unquoted text.
    /// </summary>
    internal static bool IsUnquotedChar(char c) =>
        !IsWhitespace(c) && c != '\n' && "$\"{}[]:=,+#`^?!@*&\\".IndexOf(c) < 0;

    /// <summary>Whitespace as HOCON defines it: Unicode space separators, the ASCII controls, and the BOM.</summary>
    internal static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\v' or '\f' or '\uFEFF' or (>= '\u001C' and <= '\u001F')
        || (c != '\n' && char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    private SourcePosition Here => new(_source, _line, _column);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private void Advance()
    {
        if (_text[_pos] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
        _pos++;
    }

    private void Run(bool insidePath)
    {
        while (!AtEnd)
        {
            var c = Peek();
            var start = Here;
            if (IsWhitespace(c))
            {
                var from = _pos;
                while (!AtEnd && IsWhitespace(Peek())) Advance();
                _tokens.Add(new HoconToken(HoconTokenKind.Whitespace, _text[from.._pos], start));
            }
            else if (c == '"')
            {
                _tokens.Add(LexQuoted());
            }
            else if (insidePath)
            {
                if (!IsUnquotedChar(c)) throw new HoconParseException($"'{c}' is not allowed in a path expression; quote the key", start);
                _tokens.Add(LexUnquoted());
            }
            else if (c == '\n')
            {
                Advance();
                _tokens.Add(new HoconToken(HoconTokenKind.Newline, "\n", start));
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && Peek() != '\n') Advance();
            }
            else if (c == '$')
            {
                _tokens.Add(LexSubstitution());
            }
            else if (c == '+')
            {
                if (Peek(1) != '=') throw new HoconParseException("'+' is only allowed as '+='; quote the string if '+' is part of it", start);
                Advance();
                Advance();
                _tokens.Add(new HoconToken(HoconTokenKind.PlusEquals, "+=", start));
            }
            else if (Punctuation(c) is { } kind)
            {
                Advance();
                _tokens.Add(new HoconToken(kind, c.ToString(), start));
            }
            else if (IsUnquotedChar(c))
            {
                _tokens.Add(LexUnquoted());
            }
            else
            {
                throw new HoconParseException($"'{c}' is not allowed in unquoted text; put the string in double quotes", start);
            }
        }
        if (!insidePath) _tokens.Add(new HoconToken(HoconTokenKind.End, "", Here));
    }

    private static HoconTokenKind? Punctuation(char c) => c switch
    {
        ',' => HoconTokenKind.Comma,
        ':' => HoconTokenKind.Colon,
        '=' => HoconTokenKind.Equals,
        '{' => HoconTokenKind.OpenBrace,
        '}' => HoconTokenKind.CloseBrace,
        '[' => HoconTokenKind.OpenBracket,
        ']' => HoconTokenKind.CloseBracket,
        _ => null,
    };

    private HoconToken LexUnquoted()
    {
        var start = Here;
        var from = _pos;
        while (true)
        {
            // A "//" ends unquoted text: it starts a comment.
            while (!AtEnd && IsUnquotedChar(Peek()) && !(Peek() == '/' && Peek(1) == '/')) Advance();
            // JSON allows "1e+5": a '+' right after the exponent of a number belongs to it.
            if (Peek() == '+' && char.IsAsciiDigit(Peek(1)) && IsNumberBeforeExponentSign(_text[from.._pos]))
            {
                Advance();
                continue;
            }
            return new HoconToken(HoconTokenKind.Unquoted, _text[from.._pos], start);
        }
    }

    private static bool IsNumberBeforeExponentSign(string text) =>
        text.Length > 1 && text[^1] is 'e' or 'E' && HoconLiteral.IsNumber(text[..^1]);

    private HoconToken LexQuoted()
    {
        var start = Here;
        if (Peek(1) == '"' && Peek(2) == '"') return LexTripleQuoted(start);
        Advance();
        var text = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n') throw new HoconParseException("unterminated string: a quoted string must end on the line it starts (use \"\"\" for multi-line strings)", start);
            var c = Peek();
            if (c == '"')
            {
                Advance();
                return new HoconToken(HoconTokenKind.QuotedString, text.ToString(), start);
            }
            if (c == '\\')
            {
                var escapeAt = Here;
                Advance();
                if (AtEnd) throw new HoconParseException("unterminated escape sequence", escapeAt);
                var e = Peek();
                Advance();
                switch (e)
                {
                    case '"': text.Append('"'); break;
                    case '\\': text.Append('\\'); break;
                    case '/': text.Append('/'); break;
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        var hex = _pos + 4 <= _text.Length ? _text.Substring(_pos, 4) : "";
                        if (!ushort.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                            throw new HoconParseException("\\u must be followed by four hex digits", escapeAt);
                        for (var i = 0; i < 4; i++) Advance();
                        text.Append((char)code);
                        break;
                    default:
                        throw new HoconParseException($"'\\{e}' is not a valid escape (JSON escapes only)", escapeAt);
                }
                continue;
            }
            if (char.IsControl(c) && c != '\t') throw new HoconParseException($"control character U+{(int)c:X4} in a quoted string must be escaped", Here);
            text.Append(c);
            Advance();
        }
    }

    /// <summary>
    /// <c>"""raw text"""</c>: no escapes, may span lines. Quotes directly before the closing
    /// <c>"""</c> belong to the string, so <c>""""a""""</c> is <c>"a"</c>.
    /// </summary>
    private HoconToken LexTripleQuoted(SourcePosition start)
    {
        for (var i = 0; i < 3; i++) Advance();
        var from = _pos;
        while (true)
        {
            if (AtEnd) throw new HoconParseException("unterminated triple-quoted string", start);
            if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                while (Peek(3) == '"') Advance();
                var text = _text[from.._pos];
                for (var i = 0; i < 3; i++) Advance();
                return new HoconToken(HoconTokenKind.QuotedString, text, start) { TripleQuoted = true };
            }
            Advance();
        }
    }

    private HoconToken LexSubstitution()
    {
        var start = Here;
        var startIndex = _pos;
        Advance();
        if (Peek() != '{') throw new HoconParseException("'$' must start a substitution '${...}'; quote the string if '$' is part of it", start);
        Advance();
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }
        var inner = new List<HoconToken>();
        while (true)
        {
            if (AtEnd || Peek() == '\n') throw new HoconParseException("unterminated substitution: expected '}'", start);
            var c = Peek();
            if (c == '}')
            {
                Advance();
                break;
            }
            if (IsWhitespace(c))
            {
                var at = Here;
                var from = _pos;
                while (!AtEnd && IsWhitespace(Peek())) Advance();
                inner.Add(new HoconToken(HoconTokenKind.Whitespace, _text[from.._pos], at));
            }
            else if (c == '"') inner.Add(LexQuoted());
            else if (IsUnquotedChar(c)) inner.Add(LexUnquoted());
            else throw new HoconParseException($"'{c}' is not allowed in a substitution path; quote the key", Here);
        }
        var path = HoconPath.FromTokens(inner, start);
        return new HoconToken(HoconTokenKind.Substitution, _text[startIndex.._pos], start) { Path = path, Optional = optional };
    }
}
