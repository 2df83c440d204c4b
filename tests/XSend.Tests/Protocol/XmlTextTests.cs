using XSend.Xmpp.Protocol;

namespace XSend.Tests.Protocol;

public class XmlTextTests
{
    [Fact]
    public void Escapes_markup_and_quotes() =>
        Assert.Equal("&lt;b&gt; &amp; &quot;x&quot; &apos;y&apos;", XmlText.Escape("<b> & \"x\" 'y'"));

    [Fact]
    public void Leaves_plain_and_non_ascii_text_alone() => Assert.Equal("报警 磁盘满 😀", XmlText.Escape("报警 磁盘满 😀"));

    [Fact]
    public void Removes_characters_xml_forbids_but_keeps_tabs_newlines_and_astral_characters()
    {
        string cleaned = XmlText.RemoveForbiddenCharacters("a\u0000b\u0007c\td\ne\rf\uFFFEg\uD800h😀\u001B", out int removed);
        Assert.Equal("abc\td\ne\rfgh😀", cleaned);
        Assert.Equal(5, removed);
    }
}
