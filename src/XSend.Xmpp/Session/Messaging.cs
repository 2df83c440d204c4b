using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>
/// Sending messages with confirmation that the server took them, receipts, and receiving: a
/// small service over the <see cref="StanzaDispatcher"/>.
/// </summary>
internal sealed class Messaging(ISessionHost host, StanzaDispatcher dispatcher)
{
    /// <summary>Sends one message and waits until the server confirms it (and a room reflects it); raises its bounce.</summary>
    public async Task<string> SendMessageAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        string id = message.Id ?? XmppClient.NewId();
        host.SetStep(XmppStep.Sending, $"sending message {id} to {message.To}");
        (string stanza, XmppStanzaException? refused) = Build(message, id);
        if (refused is not null)
            throw refused;
        await dispatcher.WriteStanzaAsync(stanza, cancellationToken, id).ConfigureAwait(false);
        Dictionary<string, XmppStanzaException> bounces = await dispatcher.ConfirmAsync([id], cancellationToken).ConfigureAwait(false);
        if (bounces.TryGetValue(id, out XmppStanzaException? bounce))
            throw bounce;
        if (message.Type == MessageType.Groupchat)
        {
            host.SetStep(XmppStep.AwaitingReflection, "waiting for the room to reflect the message");
            await dispatcher.AwaitReflectionAsync(id, cancellationToken).ConfigureAwait(false);
            host.Report($"message {id} delivered to the room");
        }
        return id;
    }

    /// <summary>Sends messages pipelined in windows, each confirmed by one ack (or ping); reports each once its window is confirmed.</summary>
    public async Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, int windowSize, Action<int, XmppStanzaException?> onConfirmed,
        CancellationToken cancellationToken)
    {
        for (int start = 0; start < messages.Count; start += windowSize)
        {
            int end = Math.Min(start + windowSize, messages.Count);
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var bounces = new Dictionary<int, XmppStanzaException>();
            host.SetStep(XmppStep.Sending, $"sending messages {start + 1}-{end} of {messages.Count}");
            for (int i = start; i < end; i++)
            {
                string id = messages[i].Id ?? XmppClient.NewId();
                ids[id] = i;
                (string stanza, XmppStanzaException? refused) = Build(messages[i], id);
                if (refused is not null)
                {
                    bounces[i] = refused;
                    continue;
                }
                await dispatcher.WriteStanzaAsync(stanza, cancellationToken, id).ConfigureAwait(false);
            }
            if (bounces.Count < end - start) // nothing to confirm when every message was refused up front
            {
                foreach ((string id, XmppStanzaException bounce) in await dispatcher.ConfirmAsync(ids.Keys, cancellationToken).ConfigureAwait(false))
                    bounces[ids[id]] = bounce;
            }
            for (int i = start; i < end; i++)
                onConfirmed(i, bounces.GetValueOrDefault(i));
        }
    }

    /// <summary>Confirms every message still unacked on this stream (those resent after resumption): one ack request, then each reported.</summary>
    public async Task ConfirmOutstandingAsync(Action<string, XmppStanzaException?> onConfirmed, CancellationToken cancellationToken)
    {
        List<string> ids = dispatcher.ReadStreamManagement(sm =>
            sm.Unacked.Select(u => u.MessageId).OfType<string>().Distinct(StringComparer.Ordinal).ToList());
        if (ids.Count == 0)
            return;
        Dictionary<string, XmppStanzaException> bounces = await dispatcher.ConfirmAsync(ids, cancellationToken).ConfigureAwait(false);
        foreach (string id in ids)
            onConfirmed(id, bounces.GetValueOrDefault(id));
    }

    /// <summary>Waits until the server has processed everything sent so far.</summary>
    public Task ConfirmAsync(CancellationToken cancellationToken) => dispatcher.ConfirmAsync([], cancellationToken);

    /// <summary>Sends initial presence (RFC 6121 §4.2), after which the server pushes what the caller is here to read.</summary>
    public async Task SendPresenceAsync(CancellationToken cancellationToken)
    {
        dispatcher.StartReceiving();
        await dispatcher.WriteStanzaAsync(ClientXml.InitialPresence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message with a body.</summary>
    public Task<ReceivedMessage> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        host.SetStep(XmppStep.Receiving, "waiting for messages");
        return dispatcher.ReceiveMessageAsync(cancellationToken);
    }

    /// <summary>The next presence nobody waited for.</summary>
    public Task<ReceivedPresence> ReceivePresenceAsync(CancellationToken cancellationToken)
    {
        host.SetStep(XmppStep.Receiving, "waiting for presence");
        return dispatcher.ReceivePresenceAsync(cancellationToken);
    }

    /// <summary>Waits for the XEP-0184 receipt of message <paramref name="messageId"/>.</summary>
    public async Task WaitForReceiptAsync(string messageId, CancellationToken cancellationToken)
    {
        host.SetStep(XmppStep.AwaitingReceipt, $"waiting for a delivery receipt for {messageId}");
        await dispatcher.AwaitReceiptAsync(messageId, cancellationToken).ConfigureAwait(false);
        host.Report($"delivery receipt for {messageId} received");
    }

    /// <summary>
    /// The stanza for <paramref name="message"/> with characters XML cannot carry removed, or the
    /// refusal when it is over the server's announced limit (XEP-0478 §3: sending more gets the
    /// stream closed; refuse up front).
    /// </summary>
    private (string Stanza, XmppStanzaException? Refused) Build(OutgoingMessage message, string id)
    {
        string stanza = ClientXml.Message(message with
        {
            Body = XmlText.RemoveForbiddenCharacters(message.Body, out _),
            Subject = message.Subject is null ? null : XmlText.RemoveForbiddenCharacters(message.Subject, out _),
        }, id);
        int size = System.Text.Encoding.UTF8.GetByteCount(stanza);
        return host.MaxStanzaBytes is long limit && size > limit
            ? (stanza, new XmppStanzaException(StanzaKind.Message, StanzaErrorType.Modify, "policy-violation",
                $"the message is {size} bytes; the server accepts at most {limit}", host.Account.Domain))
            : (stanza, null);
    }
}
