namespace XSend.Xmpp.Errors;

/// <summary>The type of a stanza error (RFC 6120 §8.3.2): what the sender may do about it.</summary>
public enum StanzaErrorType
{
    /// <summary><c>cancel</c>: do not retry (also what an unknown or missing type is taken as).</summary>
    Cancel,

    /// <summary><c>auth</c>: retry after providing credentials.</summary>
    Auth,

    /// <summary><c>continue</c>: proceed; the condition was only a warning.</summary>
    Continue,

    /// <summary><c>modify</c>: retry after changing the data sent.</summary>
    Modify,

    /// <summary><c>wait</c>: retry after waiting; the error is temporary.</summary>
    Wait,
}
