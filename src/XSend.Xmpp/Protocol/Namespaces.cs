namespace XSend.Xmpp.Protocol;

/// <summary>XML namespaces used on the wire.</summary>
internal static class Namespaces
{
    public const string Client = "jabber:client";
    public const string Streams = "http://etherx.jabber.org/streams";
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string StreamManagement = "urn:xmpp:sm:3";
    public const string Ping = "urn:xmpp:ping";
    public const string StanzaId = "urn:xmpp:sid:0";
    public const string Delay = "urn:xmpp:delay";
    public const string Receipts = "urn:xmpp:receipts";
    public const string StreamLimits = "urn:xmpp:stream-limits:0";
    public const string Sasl2 = "urn:xmpp:sasl:2";
    public const string Bind2 = "urn:xmpp:bind:0";
    public const string Fast = "urn:xmpp:fast:0";
    public const string Roster = "jabber:iq:roster";
    public const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    public const string DiscoItems = "http://jabber.org/protocol/disco#items";
    public const string Muc = "http://jabber.org/protocol/muc";
    public const string MucUser = "http://jabber.org/protocol/muc#user";
    public const string MucOwner = "http://jabber.org/protocol/muc#owner";
    public const string DataForms = "jabber:x:data";
}
