namespace XSend.Xmpp;

/// <summary>One contact on the account's roster (RFC 6121 §2.1.2).</summary>
/// <param name="Jid">The contact's bare JID.</param>
/// <param name="Name">The display name, if set.</param>
/// <param name="Subscription">none, to, from or both.</param>
/// <param name="Ask">"subscribe" while our request is pending.</param>
public sealed record RosterItem(string Jid, string? Name, string Subscription, string? Ask);
