using XSend.Xmpp.Connection;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// What stream negotiation has established so far, and at its end what the session starts
/// from: the stream features, the TLS facts, the SASL mechanism, the bound JID and the
/// stream-management outcome. Each <see cref="NegotiationStep"/> decides from it whether it applies.
/// </summary>
internal sealed record NegotiationState
{
    /// <summary>The features of the current stream (RFC 6120 §4.3.2), once opened.</summary>
    public StreamFeatures? Features { get; init; }

    /// <summary>What TLS established, or <see langword="null"/> while the stream is not protected.</summary>
    public TlsFacts? Tls { get; init; }

    /// <summary>The channel bindings (RFC 5929) the TLS handshake offers, best first; empty without TLS.</summary>
    public IReadOnlyList<Sasl.ChannelBinding> ChannelBindings => Tls?.ChannelBindings ?? [];

    /// <summary>The SASL (or SASL2) mechanisms the server offered for the login.</summary>
    public IReadOnlyList<string> OfferedMechanisms { get; init; } = [];

    /// <summary>The mechanism that authenticated the session; <see langword="null"/> before the login.</summary>
    public string? Mechanism { get; init; }

    /// <summary>The channel-binding type the login was bound to, or <see langword="null"/>.</summary>
    public string? ChannelBindingType { get; init; }

    /// <summary>Whether the login used SASL2 (XEP-0388).</summary>
    public bool UsedSasl2 { get; init; }

    /// <summary>Whether the login used a stored FAST token (XEP-0484).</summary>
    public bool UsedFastToken { get; init; }

    /// <summary>Whether the resource was bound inside the SASL2 request (XEP-0386).</summary>
    public bool UsedBind2 { get; init; }

    /// <summary>The session's full JID, once bound (or resumed).</summary>
    public Jid? BoundJid { get; init; }

    /// <summary>What became of XEP-0198 stream management.</summary>
    public StreamManagementOutcome StreamManagement { get; init; } = StreamManagementOutcome.None;

    /// <summary>Whether the SASL login succeeded.</summary>
    public bool IsAuthenticated => Mechanism is not null;
}
