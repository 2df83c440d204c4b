using System.Globalization;
using System.Text;
using CsCheck;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Properties;

/// <summary>SASLprep (RFC 4013): the RFC's examples, and idempotence and clean output as properties.</summary>
public class SaslPrepPropertyTests
{
    [Theory]
    [InlineData("I\u00ADX", "IX")] // RFC 4013 §3 #1: SOFT HYPHEN mapped to nothing
    [InlineData("user", "user")] // #2: no transformation
    [InlineData("USER", "USER")] // #3: case preserved
    [InlineData("\u00AA", "a")] // #4: output is NFKC
    [InlineData("\u2168", "IX")] // #5: ROMAN NUMERAL NINE, NFKC
    [InlineData("a\u00A0b\u3000c", "a b c")] // non-ASCII spaces become SPACE (§2.1)
    [InlineData("\u05D0\u05D1", "\u05D0\u05D1")] // right-to-left text alone is fine
    public void Rfc4013_examples_map_as_the_rfc_says(string input, string expected) =>
        Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")] // RFC 4013 §3 #6: prohibited character
    [InlineData("\u0627\u0031")] // #7: bidi check (RandALCat first, then a digit last)
    [InlineData("\u05D0a\u05D1")] // RandALCat with LCat
    [InlineData("pass\tword")] // a control character
    [InlineData("\uE000")] // private use
    public void Rfc4013_prohibited_examples_are_refused_as_typed_errors_without_the_value(string input)
    {
        var refused = Assert.Throws<XmppAuthenticationException>(() => SaslPrep.Prepare(input));
        Assert.DoesNotContain(input, refused.Message, StringComparison.Ordinal);
    }

    private static readonly Gen<string> AnyText =
        Gen.OneOf(Gen.Char['!', '~'], Gen.Char["\u00AD\u00A0\u1680\u2000\u200B\u202F\u3000\uFEFF\u034F\uFE0F\u00AA\u2168\uFB01\u2474\u1E9B\u0307"],
                Gen.Char['\u0000', '\u001F'], Gen.Char['\u0590', '\u06FF'], Gen.Char['\u0080', '\uFFFF'])
            .Array[0, 16]
            .Select(chars => new string(chars));

    [Fact]
    public void Prepared_text_is_a_fixed_point_and_holds_nothing_prohibited_or_unmapped() =>
        AnyText.Sample(text =>
        {
            string prepared;
            try
            {
                prepared = SaslPrep.Prepare(text);
            }
            catch (XmppAuthenticationException)
            {
                return; // refused, as a typed error
            }
            Assert.Equal(prepared, SaslPrep.Prepare(prepared));
            Assert.True(prepared.IsNormalized(NormalizationForm.FormKC));
            foreach (Rune rune in prepared.EnumerateRunes())
            {
                UnicodeCategory category = Rune.GetUnicodeCategory(rune);
                Assert.False(category is UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate,
                    $"U+{rune.Value:X4} ({category}) left in the output");
                // RFC 4013 §2.1/§2.2: non-ASCII spaces and the "mapped to nothing" characters never survive.
                Assert.DoesNotContain((char)rune.Value, "\u00A0\u1680\u2000\u200A\u200B\u202F\u205F\u3000\u00AD\u034F\u200C\u200D\u2060\uFEFF\uFE0F");
            }
        }, iter: 20_000, threads: 1);
}
