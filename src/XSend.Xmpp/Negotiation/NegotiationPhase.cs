namespace XSend.Xmpp.Negotiation;

/// <summary>Which public call runs a step: connecting secures the stream, logging in does the rest.</summary>
internal enum NegotiationPhase
{
    /// <summary><see cref="XmppClient.ConnectAsync(Stream, CancellationToken)"/> and its overloads.</summary>
    Connect,

    /// <summary><see cref="XmppClient.AuthenticateAsync(string, CancellationToken)"/>.</summary>
    Login,
}
