using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// Sending and receiving stanzas, and confirming the server took them.
public sealed partial class XmppClient
{
    // Bounds every loop that skips stanzas unrelated to what it waits for.
    private const int MaxIncidentalStanzas = 10_000;

    // Messages and presences nobody has asked for yet are kept only once the caller receives
    // (sent presence, or called a Receive method), and then within these bounds, dropping the
    // oldest: a pure sender keeps nothing, and a flood costs bounded memory.
    private const int MaxQueuedStanzas = 1000;
    private const long MaxQueuedChars = 4 * 1024 * 1024;

    private readonly BoundedQueue<ReceivedMessage> _inbox = new(MaxQueuedStanzas, MaxQueuedChars,
        m => (long)(m.Body?.Length ?? 0) + (m.Subject?.Length ?? 0) + (m.From?.Length ?? 0) + (m.Id?.Length ?? 0) + m.Type.Length);
    private readonly BoundedQueue<ReceivedPresence> _presences = new(MaxQueuedStanzas, MaxQueuedChars,
        p => (long)(p.From?.Length ?? 0) + p.Type.Length);
    private readonly HashSet<string> _sentIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _receipts = new(StringComparer.Ordinal);
    private bool _receiving;
    private uint _outbound;
    private uint _inbound;
    private uint _acked;
    private long _ignored;

    /// <summary>
    /// Messages and presences the server pushed that were not kept: nobody was receiving (a pure
    /// sender), or the caller fell so far behind that the oldest queued ones were dropped.
    /// </summary>
    public long DroppedStanzas => _ignored + _inbox.Dropped + _presences.Dropped;

    // XEP-0198 §5: what is sent but not yet acked, to resend after resumption (trimmed by each ack).
    private readonly List<UnackedStanza> _unacked = [];
    private readonly HashSet<string> _sentMessageIds = new(StringComparer.Ordinal);

    // Messages of an earlier session that the server's h on <failed/> confirmed.
    private readonly HashSet<string> _confirmedBeforeResumptionFailed = new(StringComparer.Ordinal);

    /// <summary>Whether message <paramref name="messageId"/> was written on this stream (or on the session it resumed).</summary>
    internal bool HasSent(string messageId) => _sentMessageIds.Contains(messageId);

    /// <summary>
    /// The messages the server acknowledged by stream management (XEP-0198 h): those written on
    /// this session and no longer unacked, and those an earlier session's h confirmed.
    /// </summary>
    internal IReadOnlySet<string> AckedMessageIds()
    {
        var acked = new HashSet<string>(_confirmedBeforeResumptionFailed, StringComparer.Ordinal);
        if (IsStreamManagementEnabled)
        {
            acked.UnionWith(_sentMessageIds);
            foreach (UnackedStanza stanza in _unacked)
            {
                if (stanza.MessageId is { } id)
                    acked.Remove(id);
            }
        }
        return acked;
    }

    /// <summary>
    /// The state a new connection needs to resume this session, or <see langword="null"/> when
    /// the server did not offer resumption (or the session never got that far).
    /// </summary>
    internal StreamResumption? Resumption =>
        IsStreamManagementEnabled && _resumeId is not null && BoundJid is not null
            ? new StreamResumption(_resumeId, _resumeLocation, BoundJid, _inbound, _acked, _outbound, [.. _unacked],
                new HashSet<string>(_sentMessageIds, StringComparer.Ordinal))
            : null;

    /// <summary>
    /// Confirms every message still unacked on this stream (those resent after resumption, say):
    /// one ack request, then <paramref name="onConfirmed"/> for each, with its bounce if any.
    /// </summary>
    internal async Task ConfirmOutstandingAsync(Action<string, XmppStanzaException?> onConfirmed, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (UnackedStanza stanza in _unacked)
        {
            if (stanza.MessageId is { } id)
                ids.TryAdd(id, ids.Count);
        }
        if (ids.Count == 0)
            return;
        var bounces = new Dictionary<int, XmppStanzaException>();
        await ConfirmWindowAsync(ids, bounces, cancellationToken).ConfigureAwait(false);
        foreach ((string id, int index) in ids)
            onConfirmed(id, bounces.GetValueOrDefault(index));
    }

    /// <summary>
    /// Sends a message and waits until the server confirms it took it: the XEP-0198 ack that
    /// covers it, or, without stream management, the answer to a ping sent after it (the server
    /// handles a session's stanzas in order). A bounce for the message that arrives first is
    /// raised as <see cref="XmppStanzaException"/>.
    /// </summary>
    /// <returns>The message's id.</returns>
    public async Task<string> SendMessageAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireSession();
        string id = message.Id ?? NewId();
        var clean = message with
        {
            Body = XmlText.RemoveForbiddenCharacters(message.Body, out _),
            Subject = message.Subject is null ? null : XmlText.RemoveForbiddenCharacters(message.Subject, out _),
        };
        SetStep(XmppStep.Sending, $"sending message {id} to {message.To}");
        string stanza = ClientXml.Message(clean, id);
        int size = System.Text.Encoding.UTF8.GetByteCount(stanza);
        if (Features?.MaxStanzaBytes is long limit && size > limit)
        {
            // XEP-0478 §3: sending more than the announced limit gets the stream closed; refuse up front.
            throw new XmppStanzaException(StanzaKind.Message, "modify", "policy-violation",
                $"the message is {size} bytes; the server accepts at most {limit}", Account.Domain);
        }
        _sentIds.Add(id);
        await WriteStanzaAsync(stanza, cancellationToken, id).ConfigureAwait(false);
        await ConfirmAsync(id, cancellationToken).ConfigureAwait(false);
        if (message.Type == MessageType.Groupchat)
            await AwaitReflectionAsync(id, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Sends messages pipelined in windows: each window is written at once and confirmed by one
    /// ack (or ping), instead of one round trip per message. <paramref name="onConfirmed"/> is
    /// called for each message once its window is confirmed, with the bounce if it was rejected.
    /// Messages of a window that was not confirmed (the connection failed) are not reported.
    /// </summary>
    public async Task SendBatchAsync(
        IReadOnlyList<OutgoingMessage> messages, int windowSize, Action<int, Errors.XmppStanzaException?> onConfirmed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(onConfirmed);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        RequireSession();
        for (int start = 0; start < messages.Count; start += windowSize)
        {
            int end = Math.Min(start + windowSize, messages.Count);
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var bounces = new Dictionary<int, Errors.XmppStanzaException>();
            SetStep(XmppStep.Sending, $"sending messages {start + 1}-{end} of {messages.Count}");
            for (int i = start; i < end; i++)
            {
                OutgoingMessage message = messages[i];
                string id = message.Id ?? NewId();
                ids[id] = i;
                string stanza = ClientXml.Message(message with
                {
                    Body = XmlText.RemoveForbiddenCharacters(message.Body, out _),
                    Subject = message.Subject is null ? null : XmlText.RemoveForbiddenCharacters(message.Subject, out _),
                }, id);
                if (Features?.MaxStanzaBytes is long limit && System.Text.Encoding.UTF8.GetByteCount(stanza) > limit)
                {
                    bounces[i] = new Errors.XmppStanzaException(Errors.StanzaKind.Message, "modify", "policy-violation",
                        $"the message is {System.Text.Encoding.UTF8.GetByteCount(stanza)} bytes; the server accepts at most {limit}", Account.Domain);
                    continue;
                }
                _sentIds.Add(id);
                await WriteStanzaAsync(stanza, cancellationToken, id).ConfigureAwait(false);
            }
            if (bounces.Count < end - start) // nothing to confirm when every message was refused up front
                await ConfirmWindowAsync(ids, bounces, cancellationToken).ConfigureAwait(false);
            for (int i = start; i < end; i++)
                onConfirmed(i, bounces.GetValueOrDefault(i));
        }
    }

    private async Task ConfirmWindowAsync(Dictionary<string, int> ids, Dictionary<int, Errors.XmppStanzaException> bounces, CancellationToken cancellationToken)
    {
        SetStep(XmppStep.AwaitingAck, IsStreamManagementEnabled ? "requesting the server's ack" : "confirming with a ping");
        string? pingId = null;
        if (IsStreamManagementEnabled)
        {
            await WriteAsync(ClientXml.AckRequest, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            pingId = NewId();
            await WriteStanzaAsync(ClientXml.Ping(pingId), cancellationToken).ConfigureAwait(false);
        }
        uint target = _outbound;
        for (int n = 0; n < MaxIncidentalStanzas + ids.Count; n++)
        {
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (element.Name == XName(Namespaces.Client, "message") && element.Attribute("type")?.Value == "error"
                && element.Attribute("id")?.Value is { } bounced && ids.TryGetValue(bounced, out int index))
            {
                CountInbound(element);
                bounces[index] = ParseStanzaError(element);
                if (bounces.Count == ids.Count)
                    return; // every message is answered; nothing left for an ack to confirm
                continue;
            }
            if (pingId is not null && element.Name == XName(Namespaces.Client, "iq") && element.Attribute("id")?.Value == pingId)
            {
                CountInbound(element);
                return;
            }
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
            if (pingId is null && _acked >= target)
            {
                Report($"{ids.Count} message(s) accepted by the server (acked, h={_acked})");
                return;
            }
        }
        throw new XmppProtocolException("the server sent too many unrelated stanzas before confirming the messages");
    }

    /// <summary>Sends initial presence, making the session available (and offline messages flow in).</summary>
    public async Task SendPresenceAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        _receiving = true; // from now on the server pushes what the caller is here to read
        await WriteStanzaAsync(ClientXml.InitialPresence, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next message stanza with a body, answering pings and acks meanwhile.</summary>
    public async Task<ReceivedMessage> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        SetStep(XmppStep.Receiving, "waiting for messages");
        _receiving = true;
        while (true)
        {
            if (_inbox.TryDequeue(out ReceivedMessage? received))
                return received;
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the recipient's client confirms it received message <paramref name="messageId"/> (XEP-0184).</summary>
    public async Task WaitForReceiptAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        RequireSession();
        SetStep(XmppStep.AwaitingReceipt, $"waiting for a delivery receipt for {messageId}");
        await AwaitNotedAsync(_receipts, messageId, cancellationToken).ConfigureAwait(false);
        Report($"delivery receipt for {messageId} received");
    }

    /// <summary>
    /// Reads until <see cref="HandleIncidentalAsync"/> has noted <paramref name="messageId"/> in
    /// <paramref name="noted"/> (a receipt, a room's reflection), raising a bounce for it.
    /// </summary>
    private async Task AwaitNotedAsync(HashSet<string> noted, string messageId, CancellationToken cancellationToken)
    {
        for (int i = 0; i < MaxIncidentalStanzas && !noted.Contains(messageId); i++)
        {
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (IsBounceFor(element, messageId))
                throw ParseStanzaError(element);
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
        if (!noted.Contains(messageId))
            throw new XmppProtocolException($"the server sent too many unrelated stanzas while {Step.Describe()}");
    }

    private static string? IsReceiptFor(XElement message) =>
        message.Element(XName(Namespaces.Receipts, "received"))?.Attribute("id")?.Value;

    /// <summary>Waits for the next presence stanza (for watching a room or a contact), handling everything else meanwhile.</summary>
    public async Task<ReceivedPresence> ReceivePresenceAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        SetStep(XmppStep.Receiving, "waiting for presence");
        _receiving = true;
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            if (_presences.TryDequeue(out ReceivedPresence? presence))
                return presence;
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException("no presence among the stanzas received");
    }

    /// <summary>Waits until the server has processed everything sent so far (and raises a bounce for <paramref name="messageId"/>).</summary>
    private async Task ConfirmAsync(string? messageId, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        if (messageId is not null)
            ids[messageId] = 0;
        var bounces = new Dictionary<int, XmppStanzaException>();
        await ConfirmWindowAsync(ids, bounces, cancellationToken).ConfigureAwait(false);
        if (bounces.TryGetValue(0, out XmppStanzaException? bounce))
            throw bounce;
    }

    private static bool IsBounceFor(XElement element, string messageId) =>
        element.Name == XName(Namespaces.Client, "message")
        && element.Attribute("type")?.Value == "error"
        && element.Attribute("id")?.Value == messageId;

    /// <summary>Waits for the answer to an IQ, raising its error; handles anything else that arrives first.</summary>
    private async Task<XElement> ReadIqResponseAsync(string id, CancellationToken cancellationToken)
    {
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (element.Name == XName(Namespaces.Client, "iq") && element.Attribute("id")?.Value == id
                && element.Attribute("type")?.Value is "result" or "error")
            {
                CountInbound(element);
                if (element.Attribute("type")!.Value == "error")
                    throw ParseStanzaError(element);
                return element;
            }
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException($"no answer to request {id}");
    }

    /// <summary>Deals with an element nobody is waiting for: acks, ack requests, IQs and messages.</summary>
    private async Task HandleIncidentalAsync(XElement element, CancellationToken cancellationToken)
    {
        if (element.Name.Namespace == Namespaces.StreamManagement)
        {
            switch (element.Name.LocalName)
            {
                case "r":
                    await WriteAsync(ClientXml.Ack(_inbound), cancellationToken).ConfigureAwait(false);
                    return;
                case "a":
                    if (!uint.TryParse(element.Attribute("h")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out uint h))
                        throw new XmppProtocolException("the server sent an ack without a valid 'h'");
                    // XEP-0198 §4: h counts what the server handled; it can never exceed what we sent.
                    if (h > _outbound)
                        throw new XmppProtocolException($"the server acked {h} stanzas but only {_outbound} were sent");
                    _acked = Math.Max(_acked, h);
                    _unacked.RemoveAll(u => u.Sequence <= _acked);
                    return;
                default:
                    return;
            }
        }

        if (element.Name.Namespace != Namespaces.Client)
            return;
        CountInbound(element);
        switch (element.Name.LocalName)
        {
            case "presence":
                if (_receiving)
                    _presences.Enqueue(new ReceivedPresence(element.Attribute("from")?.Value, element.Attribute("type")?.Value ?? "available"));
                else
                    _ignored++;
                break;
            case "message":
                if (TryNoteReflection(element))
                    break;
                if (IsReceiptFor(element) is { } receiptId)
                {
                    if (_sentIds.Contains(receiptId)) // only receipts for our messages are waited for
                        _receipts.Add(receiptId);
                    break;
                }
                if (!_receiving)
                    _ignored++;
                else if (ToReceivedMessage(element) is { Body: not null } received)
                    _inbox.Enqueue(received);
                // XEP-0184 §5.2: acknowledge a received message that asks for it (not errors or groupchat).
                if (_options.SendReceipts && element.Element(XName(Namespaces.Receipts, "request")) is not null
                    && element.Attribute("type")?.Value is not ("error" or "groupchat")
                    && element.Attribute("from")?.Value is { } sender && element.Attribute("id")?.Value is { } messageId)
                {
                    await WriteStanzaAsync(ClientXml.Receipt(sender, messageId), cancellationToken).ConfigureAwait(false);
                }
                break;
            case "iq" when element.Attribute("type")?.Value is "get" or "set":
                // RFC 6120 §8.2.3: every get/set must be answered; XEP-0199 pings get a result,
                // and so do roster pushes from our own server (RFC 6121 §2.1.6).
                string iqId = element.Attribute("id")?.Value ?? "";
                string? from = element.Attribute("from")?.Value;
                bool isPing = element.Element(XName(Namespaces.Ping, "ping")) is not null;
                bool isRosterPush = element.Element(XName("jabber:iq:roster", "query")) is not null
                    && (from is null || from == Account.ToString() || from == BoundJid?.ToString());
                await WriteStanzaAsync(isPing || isRosterPush ? ClientXml.IqResult(iqId, from) : ClientXml.IqError(iqId, from, "cancel", "service-unavailable"),
                    cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private void CountInbound(XElement stanza)
    {
        if (IsStreamManagementEnabled && stanza.Name.Namespace == Namespaces.Client)
            _inbound++;
    }

    private async Task WriteStanzaAsync(string xml, CancellationToken cancellationToken, string? messageId = null)
    {
        if (IsStreamManagementEnabled)
        {
            // Counted before writing: a write cut off midway may still have reached the server,
            // and only its h (after resumption) can tell.
            _outbound++;
            _unacked.Add(new UnackedStanza(_outbound, xml, messageId));
            if (messageId is not null)
                _sentMessageIds.Add(messageId);
        }
        await WriteAsync(xml, cancellationToken).ConfigureAwait(false);
    }

    private static ReceivedMessage ToReceivedMessage(XElement message)
    {
        string? stamp = message.Element(XName(Namespaces.Delay, "delay"))?.Attribute("stamp")?.Value;
        DateTimeOffset? delay = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
            ? parsed
            : null;
        return new ReceivedMessage(
            message.Attribute("from")?.Value,
            message.Attribute("type")?.Value ?? "normal",
            message.Attribute("id")?.Value,
            message.Element(XName(Namespaces.Client, "body"))?.Value,
            message.Element(XName(Namespaces.Client, "subject"))?.Value,
            delay);
    }

    private void RequireSession()
    {
        if (BoundJid is null || _stream is null)
            throw new InvalidOperationException("Authenticate before sending or receiving.");
    }

    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
