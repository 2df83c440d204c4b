using System.Xml.Linq;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Errors;

namespace XSend.Tests.Protocol;

/// <summary>Raw error elements as servers send them, and what the client makes of them; the server's words are escaped.</summary>
public class ErrorParsingTests
{
    private const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    // The stanza, then kind|type|condition|text|from ("-" for none).
    public static TheoryData<string, string> StanzaErrors => new()
    {
        {
            $"<message xmlns='jabber:client' type='error' id='m1' from='bob@xsend.test'><error type='cancel'><service-unavailable xmlns='{Stanzas}'/></error></message>",
            "Message|cancel|service-unavailable|-|bob@xsend.test"
        },
        {
            $"<iq xmlns='jabber:client' type='error' id='b1'><error type='modify'><bad-request xmlns='{Stanzas}'/><text xmlns='{Stanzas}'>  resource  too long </text></error></iq>",
            "Iq|modify|bad-request|resource  too long|-"
        },
        {
            $"<presence xmlns='jabber:client' type='error' from='ops@conference.xsend.test/alice'><error type='auth'><registration-required xmlns='{Stanzas}'/></error></presence>",
            "Presence|auth|registration-required|-|ops@conference.xsend.test/alice"
        },
        {
            // RFC 6120 §8.3.2: an application-specific child comes after the defined condition and is not it.
            $"<iq xmlns='jabber:client' type='error' id='q'><error type='wait'><resource-constraint xmlns='{Stanzas}'/><too-many xmlns='urn:example:app'/></error></iq>",
            "Iq|wait|resource-constraint|-|-"
        },
        {
            // The condition in another namespace is not a defined condition.
            "<message xmlns='jabber:client' type='error'><error type='cancel'><gone xmlns='urn:example:app'/></error></message>",
            "Message|cancel|undefined-condition|-|-"
        },
        { "<message xmlns='jabber:client' type='error'/>", "Message|cancel|undefined-condition|-|-" },
        {
            $"<message xmlns='jabber:client' type='error'><error type='cancel'><forbidden xmlns='{Stanzas}'/><text xmlns='{Stanzas}'>   </text></error></message>",
            "Message|cancel|forbidden|-|-"
        },
        {
            // Hostile: a text and a from that would start a new line or reverse the terminal's text; a type outside RFC 6120 §8.3.2's five counts as cancel.
            $"<message xmlns='jabber:client' type='error' from='evil\u202E@x'><error type='cancel&#10;x'><forbidden xmlns='{Stanzas}'/><text xmlns='{Stanzas}'>no\nxsend: sent OK\u009B2J</text></error></message>",
            @"Message|cancel|forbidden|no\nxsend: sent OK\x9B2J|evil\u202E@x"
        },
    };

    [Theory]
    [MemberData(nameof(StanzaErrors))]
    public void Stanza_errors_give_kind_type_condition_text_and_sender(string stanza, string expected)
    {
        XmppStanzaException error = ErrorParser.StanzaError(XElement.Parse(stanza));
        Assert.Equal(expected, $"{error.StanzaKind}|{error.ErrorType.ToString().ToLowerInvariant()}|{error.Condition}|{error.Text ?? "-"}|{error.From ?? "-"}");
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\u009B', error.Message);
    }

    private const string Streams = "urn:ietf:params:xml:ns:xmpp-streams";

    // The stream error, then condition|text|see-other-host.
    public static TheoryData<string, string> StreamErrors => new()
    {
        { $"<stream:error xmlns:stream='http://etherx.jabber.org/streams'><conflict xmlns='{Streams}'/></stream:error>", "conflict|-|-" },
        {
            $"<stream:error xmlns:stream='http://etherx.jabber.org/streams'><system-shutdown xmlns='{Streams}'/><text xmlns='{Streams}'>back soon&#13;&#10;xsend: ok</text></stream:error>",
            @"system-shutdown|back soon\r\nxsend: ok|-"
        },
        {
            $"<stream:error xmlns:stream='http://etherx.jabber.org/streams'><see-other-host xmlns='{Streams}'> [2001:db8::1]:5222 </see-other-host></stream:error>",
            "see-other-host|-|[2001:db8::1]:5222"
        },
        { "<stream:error xmlns:stream='http://etherx.jabber.org/streams'/>", "undefined-condition|-|-" },
    };

    [Theory]
    [MemberData(nameof(StreamErrors))]
    public void Stream_errors_give_condition_text_and_the_other_host(string element, string expected)
    {
        XmppStreamException error = ErrorParser.StreamError(XElement.Parse(element), unverified: false);
        Assert.Equal(expected, $"{error.Condition}|{error.Text ?? "-"}|{error.SeeOtherHost ?? "-"}");
        Assert.False(error.Unverified);
        Assert.True(ErrorParser.StreamError(XElement.Parse(element), unverified: true).Unverified);
    }

    private const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";

    // The failure, then condition|text: RFC 6120 §6.5 and XEP-0388 §2.6.2 (its text in the SASL2 namespace).
    public static TheoryData<string, string> SaslFailures => new()
    {
        { $"<failure xmlns='{Sasl}'><not-authorized/></failure>", "not-authorized|-" },
        { $"<failure xmlns='{Sasl}'><account-disabled/><text>expired\u2028xsend: ok</text></failure>", @"account-disabled|expired\u2028xsend: ok" },
        { $"<failure xmlns='{Sasl}'/>", "not-authorized|-" },
        { $"<failure xmlns='urn:xmpp:sasl:2'><credentials-expired xmlns='{Sasl}'/><text>change it</text></failure>", "credentials-expired|change it" },
        { $"<failure xmlns='urn:xmpp:sasl:2'><aborted xmlns='{Sasl}'/><text xmlns='{Sasl}'>not this one</text></failure>", "aborted|-" },
    };

    [Theory]
    [MemberData(nameof(SaslFailures))]
    public void Sasl_failures_give_condition_and_text(string element, string expected)
    {
        XmppAuthenticationException error = ErrorParser.SaslFailure(XElement.Parse(element));
        Assert.Equal(expected, $"{error.Condition}|{error.Text ?? "-"}");
        Assert.True(error.IsServerFailure);
    }
}
