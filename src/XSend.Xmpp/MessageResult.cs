using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

/// <summary>The outcome of one message.</summary>
/// <param name="Message">The message, with the id it was sent with.</param>
/// <param name="Status">Accepted, rejected or not sent.</param>
/// <param name="Rejection">The bounce, when rejected.</param>
/// <param name="ReceiptReceived">Whether an XEP-0184 receipt arrived (only when one was requested).</param>
public sealed record MessageResult(OutgoingMessage Message, MessageStatus Status, XmppStanzaException? Rejection = null, bool ReceiptReceived = false)
{
    /// <summary>The message id (also its origin-id).</summary>
    public string Id => Message.Id!;
}
