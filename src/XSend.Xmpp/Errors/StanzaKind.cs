namespace XSend.Xmpp.Errors;

/// <summary>The three kinds of stanza (RFC 6120 §8): what a stanza error answered.</summary>
public enum StanzaKind
{
    /// <summary>A <c>&lt;message/&gt;</c>.</summary>
    Message,

    /// <summary>A <c>&lt;presence/&gt;</c>: for xsend, a room join (XEP-0045 §7.2).</summary>
    Presence,

    /// <summary>An <c>&lt;iq/&gt;</c> request.</summary>
    Iq,
}
