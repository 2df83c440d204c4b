using System.Globalization;
using System.Text;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Sasl;

/// <summary>The SASLprep profile of stringprep (RFC 4013), applied to user names and passwords.</summary>
internal static class SaslPrep
{
    /// <summary>Maps, normalizes and checks <paramref name="value"/>.</summary>
    /// <exception cref="XmppAuthenticationException">The value holds a prohibited character or breaks the bidi rule (never quoted: it may be a password).</exception>
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

        string normalized;
        try
        {
            normalized = mapped.ToString().Normalize(NormalizationForm.FormKC); // RFC 4013 §2.2
        }
        catch (ArgumentException)
        {
            // .NET refuses to normalize unpaired surrogates and U+FFFE/U+FFFF, which RFC 3454
            // (C.4, C.5) prohibits anyway.
            throw Refused("an unpaired surrogate or a non-character, which SASLprep (RFC 4013) prohibits");
        }

        bool hasRandAL = false, hasL = false;
        foreach (Rune rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune))
                throw Refused($"a character SASLprep (RFC 4013) prohibits (U+{rune.Value:X4})");
            hasRandAL |= IsRandAL(rune);
            hasL |= IsL(rune);
        }
        // RFC 3454 §6: a string with right-to-left characters has no left-to-right ones, and
        // starts and ends with a right-to-left character.
        if (hasRandAL && (hasL || !IsRandAL(Rune.GetRuneAt(normalized, 0)) || !IsRandAL(LastRune(normalized))))
            throw Refused("right-to-left text that breaks the stringprep bidi rule (RFC 3454 §6)");
        return normalized;
    }

    // A local input problem (the account name or password), not the server's: typed, so the CLI
    // reports it as an authentication failure instead of an internal error.
    private static XmppAuthenticationException Refused(string what) =>
        new("invalid-credentials", null, $"the user name or password contains {what}");

    private static Rune LastRune(string text) =>
        Rune.DecodeLastFromUtf16(text, out Rune rune, out _) == System.Buffers.OperationStatus.Done ? rune : Rune.ReplacementChar;

    // RFC 3454 table D.1: characters with bidi property R or AL.
    private static readonly (int First, int Last)[] RandAL =
    [
        (0x05BE, 0x05BE), (0x05C0, 0x05C0), (0x05C3, 0x05C3), (0x05D0, 0x05EA), (0x05F0, 0x05F4), (0x061B, 0x061B),
        (0x061F, 0x061F), (0x0621, 0x063A), (0x0640, 0x064A), (0x066D, 0x066F), (0x0671, 0x06D5), (0x06DD, 0x06DD),
        (0x06E5, 0x06E6), (0x06FA, 0x06FE), (0x0700, 0x070D), (0x0710, 0x0710), (0x0712, 0x072C), (0x0780, 0x07A5),
        (0x07B1, 0x07B1), (0x200F, 0x200F), (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36), (0xFB38, 0xFB3C),
        (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1), (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F),
        (0xFD92, 0xFDC7), (0xFDF0, 0xFDFC), (0xFE70, 0xFE74), (0xFE76, 0xFEFC),
    ];

    private static bool IsRandAL(Rune rune)
    {
        foreach ((int first, int last) in RandAL)
        {
            if (rune.Value >= first && rune.Value <= last)
                return true;
        }
        return false;
    }

    // RFC 3454 table D.2 (bidi property L) is 360 ranges; .NET exposes no bidi class, so this
    // approximates it by the Unicode categories whose members are left-to-right: letters,
    // spacing marks and letter numbers outside table D.1.
    private static bool IsL(Rune rune) =>
        !IsRandAL(rune) && Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.LetterNumber;

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
