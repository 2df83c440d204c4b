using XSend.Xmpp.Protocol;

namespace XSend.Tests.Protocol;

/// <summary>The one sanitizer: what could act on a terminal is escaped, everything else is left alone.</summary>
public class PrintableTextTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("报警 磁盘满 👍", "报警 磁盘满 👍")]
    [InlineData("a\nb\rc\td", @"a\nb\rc\td")]
    [InlineData("\u001b[31mred", @"\x1B[31mred")]
    [InlineData("nul\0del\u007f", @"nul\x00del\x7F")]
    [InlineData("csi\u009b2J nel\u0085", @"csi\x9B2J nel\x85")]
    [InlineData("\u202Eexe.gnp \u2066iso\u2069 \u200F", @"\u202Eexe.gnp \u2066iso\u2069 \u200F")]
    [InlineData("line\u2028para\u2029", @"line\u2028para\u2029")]
    [InlineData(@"C:\path stays", @"C:\path stays")]
    public void Escapes_exactly_what_acts_on_a_terminal(string text, string printed)
    {
        Assert.Equal(printed, PrintableText.Sanitize(text));
    }

    [Fact]
    public void Unpaired_surrogates_are_escaped_and_pairs_kept()
    {
        // Built here: the test runner cannot carry a lone surrogate in InlineData.
        Assert.Equal(@"lone \uD800 high", PrintableText.Sanitize("lone " + '\uD800' + " high"));
        Assert.Equal(@"lone \uDC00 low", PrintableText.Sanitize("lone " + '\uDC00' + " low"));
        Assert.Equal(@"end \uD83D", PrintableText.Sanitize("end " + '\uD83D'));
        Assert.Equal("pair \uD83D\uDC4D", PrintableText.Sanitize("pair \uD83D\uDC4D"));
    }

    [Fact]
    public void Clean_text_is_returned_as_is()
    {
        string text = "nothing to escape";
        Assert.Same(text, PrintableText.Sanitize(text));
    }
}
