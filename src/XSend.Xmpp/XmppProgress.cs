namespace XSend.Xmpp;

/// <summary>One narrated step of a session.</summary>
/// <param name="Step">The step the client is in.</param>
/// <param name="Message">What happened, for a human.</param>
public sealed record XmppProgress(XmppStep Step, string Message);
