namespace XSend.Xmpp.Errors;

/// <summary>Why a secure channel could not be established.</summary>
public enum TlsFailure
{
    /// <summary>TLS is required but the server did not offer STARTTLS.</summary>
    NotOffered,

    /// <summary>The server answered STARTTLS with <c>&lt;failure/&gt;</c>.</summary>
    RefusedByServer,

    /// <summary>The server's certificate is not valid for the expected domain.</summary>
    NameMismatch,

    /// <summary>The server's certificate chain does not lead to a trusted root.</summary>
    Untrusted,

    /// <summary>The server sent no certificate, or an unusable one.</summary>
    InvalidCertificate,

    /// <summary>The server's certificate has expired or is not yet valid.</summary>
    Expired,

    /// <summary>Keys are pinned and the server's key is not one of them.</summary>
    PinMismatch,

    /// <summary>The TLS handshake itself failed (no common protocol or cipher, bad record).</summary>
    HandshakeFailed,

    /// <summary>
    /// Direct TLS (XEP-0368) was tried on a port that waits for STARTTLS (RFC 6120 §5): a
    /// configuration mistake, not a fault that passes.
    /// </summary>
    PortSpeaksStartTls,

    /// <summary>
    /// STARTTLS was tried on a direct TLS port (XEP-0368): a configuration mistake, not a fault that passes.
    /// </summary>
    PortSpeaksDirectTls,
}
