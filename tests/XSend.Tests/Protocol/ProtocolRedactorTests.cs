using System.Xml.Linq;
using XSend.Xmpp.Logging;

namespace XSend.Tests.Protocol;

/// <summary>
/// The redactor's table, row by row: the raw XML either side writes, and the line the log shows.
/// Both paths are checked: text (what the client writes) and element (what the reader hands over).
/// </summary>
public class ProtocolRedactorTests
{
    private const string S = "c2VjcmV0";

    // The raw XML, and the redacted rendering (as XElement writes it: double quotes, ' />').
    public static TheoryData<string, string> Secrets => new()
    {
        { $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{S}</auth>", "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">[redacted]</auth>" },
        { $"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{S}</response>", "<response xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">[redacted]</response>" },
        { $"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{S}</challenge>", "<challenge xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">[redacted]</challenge>" },
        { $"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{S}</success>", "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">[redacted]</success>" },
        {
            $"<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'><initial-response>{S}</initial-response><user-agent><software>xsend</software></user-agent></authenticate>",
            "<authenticate xmlns=\"urn:xmpp:sasl:2\" mechanism=\"PLAIN\"><initial-response>[redacted]</initial-response><user-agent><software>xsend</software></user-agent></authenticate>"
        },
        { $"<response xmlns='urn:xmpp:sasl:2'>{S}</response>", "<response xmlns=\"urn:xmpp:sasl:2\">[redacted]</response>" },
        {
            $"<success xmlns='urn:xmpp:sasl:2'><additional-data>{S}</additional-data><authorization-identifier>a@x/r</authorization-identifier></success>",
            "<success xmlns=\"urn:xmpp:sasl:2\"><additional-data>[redacted]</additional-data><authorization-identifier>a@x/r</authorization-identifier></success>"
        },
        {
            $"<success xmlns='urn:xmpp:sasl:2'><token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{S}'/></success>",
            "<success xmlns=\"urn:xmpp:sasl:2\"><token xmlns=\"urn:xmpp:fast:0\" expiry=\"2099-01-01T00:00:00Z\" token=\"[redacted]\" /></success>"
        },
        {
            $"<presence to='r@c/n'><x xmlns='http://jabber.org/protocol/muc'><password>{S}</password></x></presence>",
            "<presence to=\"r@c/n\"><x xmlns=\"http://jabber.org/protocol/muc\"><password>[redacted]</password></x></presence>"
        },
        {
            $"<iq type='set' id='r'><query xmlns='jabber:iq:register'><username>a</username><password>{S}</password></query></iq>",
            "<iq type=\"set\" id=\"r\"><query xmlns=\"jabber:iq:register\"><username>a</username><password>[redacted]</password></query></iq>"
        },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Secret_payloads_are_replaced_whichever_side_wrote_them(string xml, string expected)
    {
        Assert.Equal(expected, ProtocolRedactor.Redact(xml));               // a line the client writes
        Assert.Equal(expected, ProtocolRedactor.Render(XElement.Parse(xml))); // an element the server sent
    }

    // Lines with nothing secret pass exactly as written: an empty SASL element has no payload,
    // a token element without the token attribute carries nothing, the stream framing does not parse alone.
    public static TheoryData<string> Harmless => new()
    {
        "<message type='chat' id='m1' to='bob@xsend.test'><body>password: hunter2</body></message>",
        "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
        "<fast xmlns='urn:xmpp:fast:0'/>",
        "<r xmlns='urn:xmpp:sm:3'/>",
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='xsend.test' version='1.0'>",
        "</stream:stream>",
    };

    [Theory]
    [MemberData(nameof(Harmless))]
    public void Lines_without_secrets_are_logged_as_written(string xml) =>
        Assert.Equal(xml, ProtocolRedactor.Redact(xml));

    [Theory]
    [InlineData("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>c2VjcmV0")]
    [InlineData("<stream:stream><auth>c2VjcmV0</auth>")]
    public void Xml_the_redactor_cannot_parse_is_withheld(string xml)
    {
        string line = ProtocolRedactor.Redact(xml);
        Assert.DoesNotContain(S, line);
        Assert.Equal($"[{xml.Length} characters of unparsable XML not logged]", line);
    }
}
