namespace XSend.Xmpp;

/// <summary>What became of one message in a send.</summary>
public enum MessageStatus
{
    /// <summary>Not accepted by the server (the session failed before it was confirmed).</summary>
    NotSent,

    /// <summary>The server confirmed it took the message.</summary>
    Accepted,

    /// <summary>The server, or the recipient's server, bounced the message with an error.</summary>
    Rejected,
}
