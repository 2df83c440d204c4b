namespace XSend.Cli.Outbox;

/// <summary>An alert waiting in the outbox: everything needed to send it later, as it was.</summary>
/// <param name="Id">The message id (and XEP-0359 origin-id), kept across resends so receivers can drop duplicates.</param>
/// <param name="Account">The bare JID of the sending account; only that account's runs send it.</param>
/// <param name="To">The recipient.</param>
/// <param name="Body">The message text.</param>
/// <param name="Type">The message type (chat, normal, headline).</param>
/// <param name="Subject">The subject, if any.</param>
/// <param name="Created">When the alert was raised; sent as an XEP-0203 delay stamp.</param>
/// <param name="LastError">Why it could not be sent.</param>
internal sealed record OutboxEntry(string Id, string Account, string To, string Body, string Type, string? Subject, DateTimeOffset Created, string? LastError);
