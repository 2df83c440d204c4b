using System.Xml.Linq;
using XSend.Xmpp;

namespace XSend.Tests.Protocol;

/// <summary>Raw &lt;stream:features/&gt; blocks as servers send them, and the facts the client reads from each.</summary>
public class StreamFeaturesTests
{
    private const string Open = "<stream:features xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client'>";
    private const string Close = "</stream:features>";

    // The features block (without its wrapper), and the facts as Describe writes them.
    public static TheoryData<string, string, string> Blocks => new()
    {
        { "nothing offered", "", "" },
        { "STARTTLS", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "starttls" },
        { "STARTTLS marked required (the client's policy decides, not the marker)", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>", "starttls" },
        { "STARTTLS in the wrong namespace is not an offer", "<starttls xmlns='urn:example:tls'/>", "" },
        {
            "SASL mechanisms in the server's order, trimmed",
            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism> SCRAM-SHA-1 </mechanism><mechanism>PLAIN</mechanism></mechanisms>",
            "sasl=SCRAM-SHA-1,PLAIN"
        },
        {
            "XEP-0440 channel-binding types",
            "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256-PLUS</mechanism></mechanisms>"
            + "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'><channel-binding type='tls-server-end-point'/><channel-binding type='tls-exporter'/><channel-binding/></sasl-channel-binding>",
            "sasl=SCRAM-SHA-256-PLUS; cb=tls-server-end-point,tls-exporter"
        },
        { "an empty channel-binding list is a list, not silence", "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'/>", "cb=" },
        {
            "SASL2 with Bind2 (SM inline) and FAST",
            "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism><inline>"
            + "<bind xmlns='urn:xmpp:bind:0'><inline><feature var='urn:xmpp:sm:3'/><feature var='urn:xmpp:csi:0'/></inline></bind>"
            + "<fast xmlns='urn:xmpp:fast:0'><mechanism>HT-SHA-256-NONE</mechanism><mechanism>HT-SHA-256-ENDP</mechanism></fast></inline></authentication>",
            "sasl2=SCRAM-SHA-256,PLAIN; bind2[urn:xmpp:sm:3,urn:xmpp:csi:0]; fast=HT-SHA-256-NONE,HT-SHA-256-ENDP"
        },
        { "SASL2 without anything inline", "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>PLAIN</mechanism></authentication>", "sasl2=PLAIN" },
        { "Bind2 outside SASL2's inline is not Bind2", "<bind xmlns='urn:xmpp:bind:0'/>", "" },
        {
            "bind, the RFC 3921 session, SM, CSI",
            "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/><sm xmlns='urn:xmpp:sm:3'/><csi xmlns='urn:xmpp:csi:0'/>",
            "bind; session; sm; csi"
        },
        {
            "the session marked optional (RFC 6121) is not sent",
            "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>",
            "bind"
        },
        { "only XEP-0198 v3 counts", "<sm xmlns='urn:xmpp:sm:2'/>", "" },
        { "XEP-0478 stanza limit", "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>10000</max-bytes><idle-seconds>600</idle-seconds></limits>", "max=10000" },
        { "a zero limit is no limit", "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>0</max-bytes></limits>", "" },
        { "a signed or non-numeric limit is ignored", "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>-5</max-bytes></limits><limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>lots</max-bytes></limits>", "" },
        { "unknown features are ignored", "<register xmlns='http://jabber.org/features/iq-register'/><ver xmlns='urn:xmpp:features:rosterver'/>", "" },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Each_features_block_gives_its_facts(string what, string block, string expected)
    {
        StreamFeatures features = StreamFeatures.Parse(XElement.Parse(Open + block + Close));
        Assert.True(expected == Describe(features), $"{what}: expected '{expected}', got '{Describe(features)}'");
    }

    // One line per parsed fact, in a fixed order; absent facts are left out.
    private static string Describe(StreamFeatures f)
    {
        var facts = new List<string>();
        if (f.StartTls)
            facts.Add("starttls");
        if (f.Mechanisms.Count > 0)
            facts.Add("sasl=" + string.Join(',', f.Mechanisms));
        if (f.ChannelBindingTypes is { } types)
            facts.Add("cb=" + string.Join(',', types));
        if (f.Sasl2Mechanisms is { } sasl2)
            facts.Add("sasl2=" + string.Join(',', sasl2));
        if (f.Bind2)
            facts.Add($"bind2[{string.Join(',', f.Bind2Features)}]");
        if (f.FastMechanisms.Count > 0)
            facts.Add("fast=" + string.Join(',', f.FastMechanisms));
        if (f.Bind)
            facts.Add("bind");
        if (f.SessionRequired)
            facts.Add("session");
        if (f.StreamManagement)
            facts.Add("sm");
        if (f.ClientStateIndication)
            facts.Add("csi");
        if (f.MaxStanzaBytes is long max)
            facts.Add($"max={max}");
        return string.Join("; ", facts);
    }
}
