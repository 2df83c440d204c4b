using System.Text;

namespace XSend.Xmpp.Protocol;

/// <summary>Escaping and cleaning of text for XML 1.0 character data and attribute values.</summary>
public static class XmlText
{
    /// <summary>
    /// Escapes <c>&amp; &lt; &gt; " '</c>, and CR as a character reference, so the text reads back
    /// unchanged as character data, and is safe inside a quoted attribute value.
    /// </summary>
    /// <remarks>
    /// XML 1.0 §2.11 turns a literal CR (and CR LF) into LF, so a CR LF body would arrive as LF.
    /// LF and TAB stay literal for readable bodies; §3.3.3 would turn them into spaces in an
    /// attribute value, where none of ours (ids, JIDs) can carry them.
    /// </remarks>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'\r") < 0)
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
                _ => null,
            });
            if (c is not ('&' or '<' or '>' or '"' or '\'' or '\r'))
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
