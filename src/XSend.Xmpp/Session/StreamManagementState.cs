using System.Globalization;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>
/// The XEP-0198 counters of one session: what we handled (our h), what we sent and what the
/// server acknowledged, the stanzas it has not acknowledged yet (to resend after resumption),
/// (the session id that lets it resume is negotiation's). Guarded by the dispatcher's lock.
/// </summary>
internal sealed class StreamManagementState
{
    /// <summary>Stanzas received from the server and handled (XEP-0198 §4: the h we report).</summary>
    public uint Inbound { get; set; }

    /// <summary>Stanzas sent since stream management was enabled (what the server's h may reach).</summary>
    public uint Outbound { get; set; }

    /// <summary>The highest h the server acknowledged.</summary>
    public uint Acked { get; set; }

    /// <summary>XEP-0198 §5: what is sent but not yet acked, in order (trimmed by each ack).</summary>
    public List<UnackedStanza> Unacked { get; } = [];

    /// <summary>The ids of the messages written under stream management on this session (or on the one it resumed).</summary>
    public HashSet<string> SentMessageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages of an earlier session that the server's h on &lt;failed/&gt; confirmed.</summary>
    public HashSet<string> ConfirmedBeforeResumptionFailed { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts a stanza about to be written; returns its sequence number.</summary>
    public void RecordSent(string xml, string? messageId)
    {
        // Counted before writing: a write cut off midway may still have reached the server,
        // and only its h (after resumption) can tell.
        Outbound++;
        Unacked.Add(new UnackedStanza(Outbound, xml, messageId));
        if (messageId is not null)
            SentMessageIds.Add(messageId);
    }

    /// <summary>Takes the server's &lt;a h/&gt;: validates it and drops what it covers from <see cref="Unacked"/>.</summary>
    /// <exception cref="XmppProtocolException">The h is missing, malformed or above what was sent.</exception>
    public void Acknowledge(string? hText)
    {
        if (!uint.TryParse(hText, NumberStyles.None, CultureInfo.InvariantCulture, out uint h))
            throw new XmppProtocolException("the server sent an ack without a valid 'h'");
        // XEP-0198 §4: h counts what the server handled; it can never exceed what we sent.
        if (h > Outbound)
            throw new XmppProtocolException($"the server acked {h} stanzas but only {Outbound} were sent");
        Acked = Math.Max(Acked, h);
        uint acked = Acked;
        Unacked.RemoveAll(u => u.Sequence <= acked);
    }
}
