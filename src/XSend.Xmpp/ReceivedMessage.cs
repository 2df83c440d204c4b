namespace XSend.Xmpp;

/// <summary>A message stanza the client received.</summary>
/// <param name="From">The sender's address, as the server stamped it.</param>
/// <param name="Type">The <c>type</c> attribute (<c>normal</c> when absent).</param>
/// <param name="Id">The stanza id, if any.</param>
/// <param name="Body">The body text, or <see langword="null"/> for a message without one.</param>
/// <param name="Subject">The subject, if any.</param>
/// <param name="Delay">The XEP-0203 delay stamp (for example an offline message's original time), if any.</param>
public sealed record ReceivedMessage(string? From, string Type, string? Id, string? Body, string? Subject, DateTimeOffset? Delay);
