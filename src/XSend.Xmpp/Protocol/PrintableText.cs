using System.Globalization;
using System.Text;

namespace XSend.Xmpp.Protocol;

/// <summary>
/// Makes text someone else controls (a server's error text, a certificate's names, a SCRAM
/// attribute, a parser message quoting the offending character) safe to print on one terminal
/// line: control characters, line and paragraph separators and bidirectional overrides are
/// shown as escapes (<c>\n</c>, <c>\x1B</c>, <c>\u202E</c>) instead of acting on the terminal,
/// so a server can neither forge an extra <c>xsend: …</c> line nor recolour or reorder one.
/// </summary>
public static class PrintableText
{
    /// <summary>Returns <paramref name="text"/> with every character that could act on a terminal escaped.</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !NeedsEscape(text, first))
            first++;
        if (first == text.Length)
            return text;

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]); // a valid pair is a printable character beyond the BMP
                continue;
            }
            if (!NeedsEscape(text, i))
            {
                sb.Append(c);
                continue;
            }
            sb.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ when c <= 0xFF => $@"\x{(int)c:X2}",
                _ => $@"\u{(int)c:X4}",
            });
        }
        return sb.ToString();
    }

    /// <summary>Sanitizes <paramref name="text"/> when there is one.</summary>
    public static string? SanitizeOrNull(string? text) => text is null ? null : Sanitize(text);

    private static bool NeedsEscape(string text, int i)
    {
        char c = text[i];
        if (char.IsSurrogate(c))
        {
            // Only unpaired surrogates; the caller copies valid pairs.
            return char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }
        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            // C0, DEL and C1 (ESC starts terminal sequences; CSI is U+009B; NEL is U+0085).
            UnicodeCategory.Control => true,
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
            // Unicode bidi controls (UAX #9): marks, embeddings, overrides and isolates reorder the line.
            UnicodeCategory.Format => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'),
            _ => false,
        };
    }
}
