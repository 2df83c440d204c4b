using System.Globalization;
using System.Text;

namespace XSend.Xmpp.Sasl;

/// <summary>The SASLprep profile of stringprep (RFC 4013), applied to user names and passwords.</summary>
internal static class SaslPrep
{
    public static string Prepare(string value)
    {
        // Fast path: printable ASCII is unchanged by SASLprep.
        if (value.All(c => c is >= (char)0x21 and <= (char)0x7E || c == ' '))
            return value;

        var mapped = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (IsMappedToNothing(c))
                continue; // RFC 4013 §2.2 / RFC 3454 B.1
            mapped.Append(IsNonAsciiSpace(c) ? ' ' : c); // RFC 4013 §2.1
        }

        string normalized = mapped.ToString().Normalize(NormalizationForm.FormKC); // RFC 4013 §2.2
        foreach (Rune rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune))
                throw new ArgumentException($"the string contains a character SASLprep prohibits (U+{rune.Value:X4})");
        }
        return normalized;
    }

    private static bool IsNonAsciiSpace(char c) =>
        c is '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200B') or '\u202F' or '\u205F' or '\u3000';

    private static bool IsMappedToNothing(char c) =>
        c is '\u00AD' or '\u034F' or '\u1806' or (>= '\u180B' and <= '\u180D') or (>= '\u200C' and <= '\u200D')
            or '\u2060' or (>= '\uFE00' and <= '\uFE0F') or '\uFEFF';

    // RFC 4013 §2.3: control characters, private use, non-characters, surrogates and the like.
    private static bool IsProhibited(Rune rune)
    {
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
                   or UnicodeCategory.OtherNotAssigned
               || (rune.Value >= 0xFDD0 && rune.Value <= 0xFDEF)
               || (rune.Value & 0xFFFE) == 0xFFFE
               || (rune.Value >= 0x2FF0 && rune.Value <= 0x2FFB)
               || (rune.Value >= 0x200E && rune.Value <= 0x200F)
               || (rune.Value >= 0x202A && rune.Value <= 0x202E)
               || (rune.Value >= 0x206A && rune.Value <= 0x206F);
    }
}
