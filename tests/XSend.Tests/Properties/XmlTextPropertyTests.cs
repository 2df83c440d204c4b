using System.Text;
using System.Xml;
using CsCheck;
using XmlText = XSend.Xmpp.Protocol.XmlText;

namespace XSend.Tests.Properties;

/// <summary>
/// Escaping (XmlText.Escape) read back by a real XML parser gives the original text as element
/// content for every string XML 1.0 can carry, and as an attribute value for every such string
/// without LF or TAB (which XML 1.0 §3.3.3 turns into spaces there, and which no attribute of
/// ours carries); RemoveForbiddenCharacters removes exactly what XML 1.0 §2.2 forbids.
/// </summary>
public class XmlTextPropertyTests
{
    // Markup, quotes, line ends, tabs, controls, BMP, surrogates (paired and not), the XML edges.
    private static readonly Gen<string> AnyText =
        Gen.OneOf(Gen.Char["<>&'\"\r\n\t ;#x"], Gen.Char['\0', '\u001F'], Gen.Char['a', 'z'], Gen.Char['\u0080', '\uD7FF'],
                Gen.Char['\uD800', '\uDFFF'], Gen.Char['\uE000', '\uFFFF'])
            .Array[0, 40]
            .Select(chars => new string(chars));

    private static bool IsXmlChar(Rune rune) =>
        rune.Value is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static (string Content, string Attribute) ParseBack(string escaped)
    {
        using var reader = XmlReader.Create(new StringReader($"<a v='{escaped}' w=\"{escaped}\">{escaped}</a>"));
        reader.MoveToContent();
        string attribute = reader.GetAttribute("v")!;
        Assert.Equal(attribute, reader.GetAttribute("w"));
        return (reader.ReadElementContentAsString(), attribute);
    }

    [Fact]
    public void Escaped_legal_text_parses_back_to_itself_as_content_and_as_attribute() =>
        AnyText.Sample(text =>
        {
            string legal = XmlText.RemoveForbiddenCharacters(text, out _);
            (string content, string attribute) = ParseBack(XmlText.Escape(legal));
            Assert.Equal(legal, content);
            Assert.Equal(legal.Replace('\n', ' ').Replace('\t', ' '), attribute);
        }, iter: 20_000, threads: 1);

    [Fact]
    public void Removing_forbidden_characters_drops_exactly_those_xml_forbids() =>
        AnyText.Sample(text =>
        {
            var expected = new StringBuilder();
            int forbidden = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (Rune.TryGetRuneAt(text, i, out Rune rune) && IsXmlChar(rune))
                {
                    expected.Append(rune.ToString());
                    i += rune.Utf16SequenceLength - 1;
                }
                else
                {
                    forbidden++; // an unpaired surrogate or a character outside XML 1.0 §2.2
                }
            }

            string cleaned = XmlText.RemoveForbiddenCharacters(text, out int removed);

            Assert.Equal(expected.ToString(), cleaned);
            Assert.Equal(forbidden, removed);
        }, iter: 20_000, threads: 1);
}
