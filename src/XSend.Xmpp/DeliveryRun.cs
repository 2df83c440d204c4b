using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

/// <summary>
/// The messages of one <see cref="AlertSender"/> run and what became of each: settled
/// (reported once, as soon as the server confirmed it), and how often each was written on a
/// session that ended before confirming it.
/// </summary>
internal sealed class DeliveryRun
{
    private readonly int[] _unconfirmedWrites;
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly Action<MessageResult>? _settled;

    public DeliveryRun(MessageResult[] results, Action<MessageResult>? settled)
    {
        Results = results;
        _settled = settled;
        _unconfirmedWrites = new int[results.Length];
        for (int i = 0; i < results.Length; i++)
            _byId.TryAdd(results[i].Id, i);
    }

    public MessageResult[] Results { get; }

    /// <summary>Not settled, and not yet written <see cref="AlertSender.MaxTransmissions"/> times unconfirmed.</summary>
    public bool IsSendable(int index) =>
        Results[index].Status == MessageStatus.NotSent && _unconfirmedWrites[index] < AlertSender.MaxTransmissions;

    public bool AnySendable => Enumerable.Range(0, Results.Length).Any(IsSendable);

    /// <summary>Records the outcome of message <paramref name="index"/> and reports it, once.</summary>
    public void Settle(int index, XmppStanzaException? bounce)
    {
        if (Results[index].Status != MessageStatus.NotSent)
            return;
        Results[index] = bounce is null
            ? Results[index] with { Status = MessageStatus.Accepted }
            : Results[index] with { Status = MessageStatus.Rejected, Rejection = bounce };
        _settled?.Invoke(Results[index]);
    }

    public void SettleById(string id, XmppStanzaException? bounce)
    {
        if (_byId.TryGetValue(id, out int index))
            Settle(index, bounce);
    }

    /// <summary>
    /// Settles what the server acknowledged by stream management on <paramref name="client"/>'s
    /// session. Room messages are left to their reflection (XEP-0045 §7.4), which is what
    /// confirms them.
    /// </summary>
    public void SettleAcked(XmppClient client)
    {
        foreach (string id in client.AckedMessageIds())
        {
            if (_byId.TryGetValue(id, out int index) && Results[index].Message.Type != MessageType.Groupchat)
                Settle(index, null);
        }
    }

    /// <summary>
    /// After a session ended (or failed): settles what its acks confirmed, counts the writes it
    /// left unconfirmed, and returns the session to resume next, if any.
    /// </summary>
    public StreamResumption? AfterSession(XmppClient client, StreamResumption? previous)
    {
        SettleAcked(client);
        for (int i = 0; i < Results.Length; i++)
        {
            if (Results[i].Status == MessageStatus.NotSent && client.HasSent(Results[i].Id))
                _unconfirmedWrites[i]++;
        }
        if (client.Resumption is { } current)
            return current;
        // The previous session is still worth resuming if this attempt never got to ask (it
        // failed before logging in), but not at the address that just failed.
        return client.BoundJid is null ? previous is { Location: not null } ? previous with { Location = null } : previous : null;
    }
}
