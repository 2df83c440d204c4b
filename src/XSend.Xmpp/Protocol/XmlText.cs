using System.Text;

namespace XSend.Xmpp.Protocol;

/// <summary>Escaping and cleaning of text for XML 1.0 character data and attribute values.</summary>
public static class XmlText
{
    /// <summary>
    /// Escapes <c>&amp; &lt; &gt; " '</c>, and CR, LF and TAB as character references, so the text
    /// reads back unchanged both as character data and inside a quoted attribute value.
    /// </summary>
    /// <remarks>
    /// XML 1.0 §2.11 turns a literal CR (and CR LF) into LF, and §3.3.3 turns literal CR, LF and TAB
    /// in an attribute value into spaces; only character references survive both.
    /// </remarks>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'\r\n\t") < 0)
            return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\r' => "&#xD;",
                '\n' => "&#xA;",
                '\t' => "&#x9;",
                _ => null,
            });
            if (c is not ('&' or '<' or '>' or '"' or '\'' or '\r' or '\n' or '\t'))
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Removes the characters XML 1.0 forbids (XML 1.0 §2.2: only #x9, #xA, #xD, #x20-#xD7FF,
    /// #xE000-#xFFFD and #x10000-#x10FFFF are allowed), including unpaired surrogates.
    /// </summary>
    /// <param name="text">The text to clean.</param>
    /// <param name="removed">How many UTF-16 code units were removed.</param>
    public static string RemoveForbiddenCharacters(string text, out int removed)
    {
        removed = 0;
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool keep;
            int width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                keep = true; // a valid pair encodes #x10000-#x10FFFF
                width = 2;
            }
            else
            {
                keep = c is '\t' or '\n' or '\r'
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD);
            }

            if (keep)
            {
                sb?.Append(text, i, width);
            }
            else
            {
                sb ??= new StringBuilder(text, 0, i, text.Length);
                removed++;
            }
            i += width - 1;
        }
        return sb?.ToString() ?? text;
    }
}
