namespace XSend.Xmpp.Protocol;

/// <summary>
/// What a later connection needs to resume an XEP-0198 session after a drop (§5): the session's
/// id, where to reconnect, the counters, and the stanzas the server has not acknowledged yet.
/// </summary>
/// <param name="Id">The SM-ID the server gave in &lt;enabled/&gt;.</param>
/// <param name="Location">The server's preferred reconnection address, if it named one.</param>
/// <param name="BoundJid">The session's full JID, which a resumed stream keeps.</param>
/// <param name="Inbound">How many stanzas we handled from the server (our h).</param>
/// <param name="Acked">The highest h the server acknowledged.</param>
/// <param name="Sent">How many stanzas we sent (what the server's h may reach at most).</param>
/// <param name="Unacked">The stanzas after <paramref name="Acked"/>, in order.</param>
/// <param name="SentMessageIds">The ids of the messages written on the session.</param>
internal sealed record StreamResumption(
    string Id, ServerEndpoint? Location, Jid BoundJid, uint Inbound, uint Acked, uint Sent,
    IReadOnlyList<UnackedStanza> Unacked, IReadOnlySet<string> SentMessageIds);

/// <summary>A stanza sent under stream management and not yet acknowledged.</summary>
/// <param name="Sequence">Its number in the session's outbound count (the h that covers it).</param>
/// <param name="Xml">The stanza as written, to send again after resumption.</param>
/// <param name="MessageId">The message id, when it is a message.</param>
internal readonly record struct UnackedStanza(uint Sequence, string Xml, string? MessageId);
