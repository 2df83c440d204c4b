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
    /// The port speaks the other kind of TLS start: direct TLS (XEP-0368) was tried on a
    /// STARTTLS port, or STARTTLS on a direct TLS port. A configuration mistake, not a fault that passes.
    /// </summary>
    WrongTlsMode,
}
