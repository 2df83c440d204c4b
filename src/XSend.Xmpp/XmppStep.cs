namespace XSend.Xmpp;

/// <summary>The steps of a session, in order. Used to narrate progress and to name a stalled step.</summary>
public enum XmppStep
{
    /// <summary>Not connected yet.</summary>
    Idle,

    /// <summary>Resolving the host and opening the TCP connection.</summary>
    Connecting,

    /// <summary>Exchanging stream headers and reading stream features.</summary>
    OpeningStream,

    /// <summary>STARTTLS and the TLS handshake.</summary>
    SecuringChannel,

    /// <summary>The SASL exchange.</summary>
    Authenticating,

    /// <summary>Resource binding (and the legacy session request, if required).</summary>
    Binding,

    /// <summary>Enabling XEP-0198 stream management.</summary>
    EnablingStreamManagement,

    /// <summary>Waiting for the answer to a service discovery query (XEP-0030).</summary>
    Discovering,

    /// <summary>Waiting for the answer to another query (the roster, say).</summary>
    Querying,

    /// <summary>Writing a stanza.</summary>
    Sending,

    /// <summary>Waiting for the server to confirm it took the message.</summary>
    AwaitingAck,

    /// <summary>Joining a multi-user chat room.</summary>
    JoiningRoom,

    /// <summary>Waiting for the room to reflect our message back (proof it was delivered).</summary>
    AwaitingReflection,

    /// <summary>Waiting for the recipient's XEP-0184 delivery receipt.</summary>
    AwaitingReceipt,

    /// <summary>Waiting before another attempt after a temporary failure.</summary>
    WaitingToRetry,

    /// <summary>Waiting for incoming stanzas.</summary>
    Receiving,

    /// <summary>Closing the stream.</summary>
    Closing,

    /// <summary>Closed.</summary>
    Closed,
}

/// <summary>Text for <see cref="XmppStep"/> values.</summary>
public static class XmppStepExtensions
{
    /// <summary>A short gerund phrase such as "connecting to the server".</summary>
    public static string Describe(this XmppStep step) => step switch
    {
        XmppStep.Idle => "starting",
        XmppStep.Connecting => "connecting to the server",
        XmppStep.OpeningStream => "opening the XMPP stream",
        XmppStep.SecuringChannel => "negotiating TLS",
        XmppStep.Authenticating => "authenticating",
        XmppStep.Binding => "binding a resource",
        XmppStep.EnablingStreamManagement => "enabling stream management",
        XmppStep.Discovering => "asking the server for its features (service discovery)",
        XmppStep.Querying => "waiting for the server to answer a query",
        XmppStep.Sending => "sending the message",
        XmppStep.AwaitingAck => "waiting for the server to acknowledge the message",
        XmppStep.JoiningRoom => "joining the room",
        XmppStep.AwaitingReflection => "waiting for the room to deliver the message",
        XmppStep.AwaitingReceipt => "waiting for a delivery receipt",
        XmppStep.WaitingToRetry => "waiting to retry",
        XmppStep.Receiving => "waiting for incoming messages",
        XmppStep.Closing => "closing the stream",
        XmppStep.Closed => "closed",
        _ => step.ToString(),
    };
}
