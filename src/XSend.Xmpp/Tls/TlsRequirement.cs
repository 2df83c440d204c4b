namespace XSend.Xmpp.Tls;

/// <summary>Whether the client insists on TLS.</summary>
public enum TlsRequirement
{
    /// <summary>
    /// Refuse a server that does not offer STARTTLS (the default): a missing offer is what a
    /// downgrade attack looks like (RFC 6120 §5.3.1).
    /// </summary>
    Required,

    /// <summary>Use STARTTLS when offered, but continue in the clear otherwise. PLAIN is still refused.</summary>
    Optional,
}
