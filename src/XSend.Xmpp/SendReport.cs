using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

/// <summary>What a <see cref="AlertSender"/> run achieved.</summary>
/// <param name="Results">One result per message, in the order given.</param>
/// <param name="Failure">Why messages remain <see cref="MessageStatus.NotSent"/>: the last session failure.</param>
/// <param name="Interrupted">The caller's token was cancelled (for example by SIGTERM) before all were sent.</param>
public sealed record SendReport(IReadOnlyList<MessageResult> Results, XmppException? Failure, bool Interrupted);
