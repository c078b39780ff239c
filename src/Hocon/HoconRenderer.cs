using System.Text;

namespace ActorHttp.Hocon;

/// <summary>Renders values as indented HOCON (JSON with unquoted keys where possible), for diagnostics.</summary>
internal static class HoconRenderer
{
    public static string Render(HoconValue value)
    {
        var text = new StringBuilder();
        Write(text, value, 0);
        return text.ToString();
    }

    /// <summary>JSON-quotes a string.</summary>
    public static string Quote(string s)
    {
        var text = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (char.IsControl(c)) text.Append($"\\u{(int)c:x4}");
                    else text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    private static void Write(StringBuilder text, HoconValue value, int indent)
    {
        switch (value)
        {
            case HoconObject obj:
                if (obj.IsEmpty)
                {
                    text.Append("{}");
                    return;
                }
                text.Append("{\n");
                foreach (var (key, child) in obj.Fields)
                {
                    text.Append(' ', (indent + 1) * 2).Append(HoconPath.RenderKey(key)).Append(child is HoconObject ? " " : " = ");
                    Write(text, child, indent + 1);
                    text.Append('\n');
                }
                text.Append(' ', indent * 2).Append('}');
                return;
            case HoconArray array:
                text.Append('[');
                for (var i = 0; i < array.Elements.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(text, array.Elements[i], indent + 1);
                }
                text.Append(']');
                return;
            case HoconLiteral { Type: HoconValueType.String } s:
                text.Append(Quote(s.Text));
                return;
            case HoconLiteral literal:
                text.Append(literal.Text);
                return;
            case HoconSubstitution sub:
                text.Append(sub.Describe());
                return;
            case HoconConcatenation concat:
                foreach (var part in concat.Parts) Write(text, part, indent);
                return;
            case HoconDelayedMerge merge:
                text.Append("/* merge of */ ");
                for (var i = merge.Layers.Count - 1; i >= 0; i--)
                {
                    Write(text, merge.Layers[i], indent);
                    if (i > 0) text.Append(" <- ");
                }
                return;
        }
    }
}
