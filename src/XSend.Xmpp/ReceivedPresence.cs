namespace XSend.Xmpp;

/// <summary>A presence stanza the client received.</summary>
/// <param name="From">The sender (for a room occupant: room@service/nick).</param>
/// <param name="Type">The type: <c>available</c> when absent, else unavailable, subscribe, error, ...</param>
public sealed record ReceivedPresence(string? From, string Type);
