using System.Globalization;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>
/// The session's only read loop after negotiation, and the one place each inbound element is
/// routed: XEP-0198 acks and ack requests, IQ answers to their waiter (by id), IQ requests
/// (pings answered, anything else refused), message bounces, receipts and room reflections
/// noted for the waits that want them, and the rest of the messages and presences into bounded
/// queues. Writes go through it too, one at a time, so stanzas are counted in wire order.
/// </summary>
/// <remarks>
/// Two ways to drive the reading, never both at once: a caller that waits for something (an ack,
/// an IQ answer) reads and routes elements itself until its wait is over (the pump, for
/// single-shot work where nothing else reads); or <see cref="RunAsync"/> reads in the background
/// for a long-lived session, and waits simply await what the routing completes. Either way a
/// wait ends on the routed element that satisfies it, and a failure of the stream (an error, its
/// end, a dead keepalive) reaches every waiter as the same typed exception.
/// </remarks>
internal sealed class StanzaDispatcher
{
    /// <summary>Bounds every pumped wait: this many unrelated stanzas and the server is flooding, not answering.</summary>
    public const int MaxIncidentalStanzas = 10_000;

    // Messages and presences nobody has asked for yet are kept only once the caller receives
    // (sent presence, or called a Receive method), and then within these bounds, dropping the
    // oldest: a pure sender keeps nothing, and a flood costs bounded memory.
    private const int MaxQueuedStanzas = 1000;
    private const long MaxQueuedChars = 4 * 1024 * 1024;

    // The ids of our own messages that receipts, reflections and bounces are matched against;
    // the oldest are forgotten beyond this, so a session that runs for days stays bounded.
    private const int MaxRememberedIds = 200_000;

    private readonly ISessionHost _host;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<Waiter> _waiters = [];
    private readonly Dictionary<string, TaskCompletionSource<XElement>> _iqWaiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<XElement>> _presenceWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly BoundedQueue<ReceivedMessage> _inbox = new(MaxQueuedStanzas, MaxQueuedChars,
        m => (long)(m.Body?.Length ?? 0) + (m.Subject?.Length ?? 0) + (m.From?.Length ?? 0) + (m.Id?.Length ?? 0) + m.Type.Length);
    private readonly BoundedQueue<ReceivedPresence> _presences = new(MaxQueuedStanzas, MaxQueuedChars,
        p => (long)(p.From?.Length ?? 0) + p.Type.Length);
    private readonly HashSet<string> _sentIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _sentOrder = new();
    private readonly HashSet<string> _receipts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reflections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XmppStanzaException> _bounces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private bool _receiving;
    private long _ignored;
    private volatile bool _driven;
    private bool _running;
    private Exception? _fault;
    private long _inboundElements;
    private long _lastInbound;

    /// <summary>Creates the dispatcher of one connection.</summary>
    public StanzaDispatcher(ISessionHost host)
    {
        _host = host;
        _lastInbound = host.Time.GetTimestamp();
    }

    /// <summary>The stream-management counters, initialised by negotiation and kept here.</summary>
    public StreamManagementState StreamManagement { get; } = new();

    /// <summary>Messages and presences pushed that were not kept: nobody was receiving, or the oldest queued were dropped.</summary>
    public long DroppedStanzas
    {
        get
        {
            lock (_gate)
                return _ignored + _inbox.Dropped + _presences.Dropped;
        }
    }

    /// <summary>The rooms joined on this session and our nickname in each.</summary>
    public IReadOnlyDictionary<string, string> JoinedRooms
    {
        get
        {
            lock (_gate)
                return new Dictionary<string, string>(_rooms, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>From now on, keep pushed messages and presences for the caller (within the bounds).</summary>
    public void StartReceiving()
    {
        lock (_gate)
            _receiving = true;
    }

    /// <summary>Notes that we are in <paramref name="room"/> as <paramref name="nick"/> (for reflections), or no longer when null.</summary>
    public void SetRoom(string room, string? nick)
    {
        lock (_gate)
        {
            if (nick is null)
                _rooms.Remove(room);
            else
                _rooms[room] = nick;
        }
    }

    /// <summary>Whether message <paramref name="id"/> is one of ours, so its receipts and reflections count.</summary>
    public void RememberSent(string id)
    {
        lock (_gate)
        {
            if (!_sentIds.Add(id))
                return;
            _sentOrder.Enqueue(id);
            while (_sentOrder.Count > MaxRememberedIds)
            {
                string old = _sentOrder.Dequeue();
                _sentIds.Remove(old);
                _receipts.Remove(old);
                _reflections.Remove(old);
                _bounces.Remove(old);
            }
        }
    }

    // ---- Writing -------------------------------------------------------------------------

    /// <summary>Writes XML that is not a stanza (acks, ack requests): not counted by stream management.</summary>
    public async Task WriteAsync(string xml, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
                ThrowIfFaulted();
            await _host.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes a stanza, counted and kept for resending until acked when stream management is on.</summary>
    public async Task WriteStanzaAsync(string xml, CancellationToken cancellationToken, string? messageId = null)
    {
        if (messageId is not null)
            RememberSent(messageId);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                ThrowIfFaulted();
                if (_host.IsStreamManagementEnabled)
                    StreamManagement.RecordSent(xml, messageId);
            }
            await _host.WriteAsync(xml, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ---- Waiting -------------------------------------------------------------------------

    /// <summary>
    /// Sends an IQ request and returns its answer (result or error: the caller decides), correlated
    /// by <paramref name="id"/> (RFC 6120 §8.2.3). The waiter is in place before the request is written.
    /// </summary>
    public async Task<XElement> RequestAsync(string iq, string id, CancellationToken cancellationToken)
    {
        TaskCompletionSource<XElement> answer = ExpectIq(id);
        try
        {
            await WriteStanzaAsync(iq, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ForgetIq(id);
            throw;
        }
        return await AwaitAnswerAsync(answer, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an IQ request of <paramref name="type"/> with <paramref name="payload"/> and returns the
    /// result, raising an error answer as <see cref="XmppStanzaException"/>. Enters <paramref name="step"/>
    /// first, so a query the server never answers is named as what stalled.
    /// </summary>
    public async Task<XElement> QueryAsync(string type, string? to, string payload, XmppStep step, CancellationToken cancellationToken)
    {
        _host.SetStep(step, $"asking {to ?? "the account"}");
        string id = XmppClient.NewId();
        XElement answer = await RequestAsync(ClientXml.Iq(type, id, to, payload), id, cancellationToken).ConfigureAwait(false);
        return answer.Attribute("type")?.Value == "error" ? throw _host.ParseStanzaError(answer) : answer;
    }

    /// <summary>Reads the stream-management state under the lock.</summary>
    public T ReadStreamManagement<T>(Func<StreamManagementState, T> read)
    {
        lock (_gate)
            return read(StreamManagement);
    }

    /// <summary>Waits for the answer to IQ <paramref name="id"/>, already written (during negotiation).</summary>
    public Task<XElement> AwaitIqAsync(string id, CancellationToken cancellationToken) =>
        AwaitAnswerAsync(ExpectIq(id), id, cancellationToken);

    private async Task<XElement> AwaitAnswerAsync(TaskCompletionSource<XElement> answer, string id, CancellationToken cancellationToken)
    {
        try
        {
            await PumpOrAwaitAsync(answer.Task, () => $"no answer to request {id}", 0, cancellationToken).ConfigureAwait(false);
            return await answer.Task.ConfigureAwait(false);
        }
        finally
        {
            ForgetIq(id);
        }
    }

    /// <summary>
    /// Sends a directed presence and returns the presence that <paramref name="from"/> answers with
    /// (an error, or one that is about ourselves: XEP-0045 §7.2.3 status 110 or available).
    /// </summary>
    public async Task<XElement> RequestPresenceAsync(string presence, string from, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfFaulted();
            _presenceWaiters[from] = answer;
        }
        try
        {
            await WriteStanzaAsync(presence, cancellationToken).ConfigureAwait(false);
            await PumpOrAwaitAsync(answer.Task, () => "the room never confirmed the join", 0, cancellationToken).ConfigureAwait(false);
            return await answer.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
                _presenceWaiters.Remove(from);
        }
    }

    /// <summary>
    /// Confirms that the server processed everything written so far: an XEP-0198 ack request and
    /// the &lt;a/&gt; that covers it, or, without stream management, a ping and its answer (the
    /// server handles a session's stanzas in order). Returns the bounces among <paramref name="ids"/>
    /// that came first; when every one bounced there is nothing left to confirm.
    /// </summary>
    public async Task<Dictionary<string, XmppStanzaException>> ConfirmAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        bool managed = _host.IsStreamManagementEnabled;
        _host.SetStep(XmppStep.AwaitingAck, managed ? "requesting the server's ack" : "confirming with a ping");
        string? pingId = null;
        TaskCompletionSource<XElement>? pong = null;
        uint target = 0;
        try
        {
            if (managed)
            {
                await WriteAsync(ClientXml.AckRequest, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                    target = StreamManagement.Outbound;
            }
            else
            {
                pingId = XmppClient.NewId();
                pong = ExpectIq(pingId);
                await WriteStanzaAsync(ClientXml.Ping(pingId), cancellationToken).ConfigureAwait(false);
            }
            await UntilAsync(
                () => (ids.Count > 0 && ids.All(_bounces.ContainsKey)) || (pong is null ? StreamManagement.Acked >= target : pong.Task.IsCompleted),
                () => "the server sent too many unrelated stanzas before confirming the messages", ids.Count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pingId is not null)
                ForgetIq(pingId);
        }
        var bounces = new Dictionary<string, XmppStanzaException>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (string id in ids)
            {
                if (_bounces.Remove(id, out XmppStanzaException? bounce))
                    bounces[id] = bounce;
            }
            if (managed && bounces.Count < ids.Count)
                _host.Report($"{ids.Count} message(s) accepted by the server (acked, h={StreamManagement.Acked})");
        }
        return bounces;
    }

    /// <summary>Waits until the recipient's client confirmed message <paramref name="id"/> (XEP-0184), raising a bounce for it.</summary>
    public Task AwaitReceiptAsync(string id, CancellationToken cancellationToken) => AwaitNotedAsync(_receipts, id, cancellationToken);

    /// <summary>Waits until a room sent our message <paramref name="id"/> back (XEP-0045 §7.4), raising a bounce for it.</summary>
    public Task AwaitReflectionAsync(string id, CancellationToken cancellationToken) => AwaitNotedAsync(_reflections, id, cancellationToken);

    private async Task AwaitNotedAsync(HashSet<string> noted, string id, CancellationToken cancellationToken)
    {
        await UntilAsync(() => noted.Contains(id) || _bounces.ContainsKey(id),
            () => $"the server sent too many unrelated stanzas while {_host.Step.Describe()}", 0, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_bounces.Remove(id, out XmppStanzaException? bounce))
                throw bounce;
            noted.Remove(id);
        }
    }

    /// <summary>The next message with a body that nobody was waiting for, waiting for one as long as it takes.</summary>
    public Task<ReceivedMessage> ReceiveMessageAsync(CancellationToken cancellationToken) => ReceiveAsync(_inbox, null, cancellationToken);

    /// <summary>Takes a queued message without waiting (what is left of a connection that ended).</summary>
    public bool TryReceiveMessage([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReceivedMessage? message)
    {
        lock (_gate)
            return _inbox.TryDequeue(out message);
    }

    /// <summary>The next presence that nobody was waiting for.</summary>
    public Task<ReceivedPresence> ReceivePresenceAsync(CancellationToken cancellationToken) =>
        ReceiveAsync(_presences, () => "no presence among the stanzas received", cancellationToken);

    private async Task<T> ReceiveAsync<T>(BoundedQueue<T> queue, Func<string>? exhausted, CancellationToken cancellationToken)
    {
        StartReceiving();
        while (true)
        {
            lock (_gate)
            {
                if (queue.TryDequeue(out T item))
                    return item;
            }
            await UntilAsync(() => queue.Count > 0, exhausted, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> (evaluated under the lock after each routed element) holds.</summary>
    private async Task UntilAsync(Func<bool> condition, Func<string>? exhausted, int extra, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(condition);
        lock (_gate)
        {
            if (condition())
                return;
            ThrowIfFaulted();
            _waiters.Add(waiter);
        }
        try
        {
            await PumpOrAwaitAsync(waiter.Done.Task, exhausted, extra, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
                _waiters.Remove(waiter);
        }
    }

    /// <summary>
    /// The one read loop of a pumped wait: reads and routes until <paramref name="done"/> completes
    /// (within <see cref="MaxIncidentalStanzas"/> elements when <paramref name="exhausted"/> names
    /// the failure). When <see cref="RunAsync"/> reads in the background, just waits.
    /// </summary>
    private async Task PumpOrAwaitAsync(Task done, Func<string>? exhausted, int extra, CancellationToken cancellationToken)
    {
        if (_driven)
        {
            await done.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        for (int read = 0; !done.IsCompleted; read++)
        {
            if (exhausted is not null && read >= MaxIncidentalStanzas + extra)
                throw new XmppProtocolException(exhausted());
            XElement element = await _host.ReadElementAsync(cancellationToken).ConfigureAwait(false);
            await RouteAsync(element, cancellationToken).ConfigureAwait(false);
        }
        await done.ConfigureAwait(false);
    }

    private TaskCompletionSource<XElement> ExpectIq(string id)
    {
        var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfFaulted();
            _iqWaiters[id] = answer;
        }
        return answer;
    }

    private void ForgetIq(string id)
    {
        lock (_gate)
            _iqWaiters.Remove(id);
    }

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_fault);
    }

    // ---- The background loop and keepalive ----------------------------------------------

    /// <summary>
    /// From now on waits only await: <see cref="RunAsync"/> is about to read. Call it before
    /// handing the session to other tasks, so none of them starts pumping first.
    /// </summary>
    public void ReadInBackground() => _driven = true;

    /// <summary>
    /// Reads and routes in the background until the stream fails or ends, then fails every waiter
    /// with that reason and returns it. With a <paramref name="keepAlive"/>, an idle stream is
    /// probed (an XEP-0198 &lt;r/&gt;, else an XEP-0199 ping) and declared dead when nothing at
    /// all arrives within the keepalive's timeout: a dead connection is found within
    /// <see cref="KeepAlive.Interval"/> + <see cref="KeepAlive.Timeout"/> of the last element received.
    /// </summary>
    public async Task<Exception> RunAsync(KeepAlive? keepAlive, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_running)
                throw new InvalidOperationException("The session is already being read.");
            _running = _driven = true;
            _lastInbound = _host.Time.GetTimestamp();
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var dead = new StrongBox<Exception?>();
        Task keeper = keepAlive is null ? Task.CompletedTask : KeepAliveAsync(keepAlive, dead, stop.Token);
        Exception reason;
        try
        {
            while (true)
            {
                XElement element = await _host.ReadElementAsync(stop.Token).ConfigureAwait(false);
                await RouteAsync(element, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            reason = Volatile.Read(ref dead.Value) ?? ex;
        }
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await keeper.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or XmppException)
        {
            // The keepalive ends with the loop; its own failure, if any, was the reason above.
        }
        Fault(reason);
        return reason;
    }

    private async Task KeepAliveAsync(KeepAlive keepAlive, StrongBox<Exception?> dead, CancellationToken cancellationToken)
    {
        TimeProvider time = _host.Time;
        while (true)
        {
            TimeSpan idle = time.GetElapsedTime(Interlocked.Read(ref _lastInbound));
            if (idle < keepAlive.Interval)
            {
                await Task.Delay(keepAlive.Interval - idle, time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            long before = Interlocked.Read(ref _inboundElements);
            // The bound starts with the probe: a write that blocks (a full socket buffer) counts too.
            Task bound = Task.Delay(keepAlive.Timeout, time, cancellationToken);
            _host.Report($"idle for {idle.TotalSeconds:0} s; checking that the connection lives");
            // XEP-0198 §4: an ack request gets an <a/>; without it XEP-0199 §4.2 a ping gets a result
            // (or an error: any answer proves the connection lives).
            Task probe = _host.IsStreamManagementEnabled
                ? WriteAsync(ClientXml.AckRequest, cancellationToken)
                : WriteStanzaAsync(ClientXml.Ping(XmppClient.NewId()), cancellationToken);
            if (await Task.WhenAny(probe, bound).ConfigureAwait(false) == probe)
                await probe.ConfigureAwait(false);
            await bound.ConfigureAwait(false);
            if (Interlocked.Read(ref _inboundElements) == before)
            {
                Volatile.Write(ref dead.Value, new XmppConnectionException(ConnectionFailure.Lost,
                    $"the server did not answer a keepalive within {keepAlive.Timeout.TotalSeconds:0.#} s; the connection is dead"));
                _host.Abort();
                return;
            }
        }
    }

    private void Fault(Exception reason)
    {
        List<TaskCompletionSource<XElement>> answers;
        List<Waiter> waiters;
        lock (_gate)
        {
            _fault = reason;
            answers = [.. _iqWaiters.Values, .. _presenceWaiters.Values];
            waiters = [.. _waiters];
            _waiters.Clear();
        }
        foreach (TaskCompletionSource<XElement> answer in answers)
            answer.TrySetException(reason);
        foreach (Waiter waiter in waiters)
            waiter.Done.TrySetException(reason);
    }

    // ---- Routing -------------------------------------------------------------------------

    /// <summary>Routes one element from the server (see the class remarks), answering what must be answered.</summary>
    public async Task RouteAsync(XElement element, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inboundElements);
        Interlocked.Exchange(ref _lastInbound, _host.Time.GetTimestamp());
        (string Xml, bool Stanza)? reply;
        List<Waiter> done = [];
        lock (_gate)
        {
            reply = Route(element);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    done.Add(_waiters[i]);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (Waiter waiter in done)
            waiter.Done.TrySetResult();
        if (reply is { Stanza: true } stanza)
            await WriteStanzaAsync(stanza.Xml, cancellationToken).ConfigureAwait(false);
        else if (reply is { } nonza)
            await WriteAsync(nonza.Xml, cancellationToken).ConfigureAwait(false);
    }

    private (string Xml, bool Stanza)? Route(XElement element)
    {
        if (element.Name.Namespace == Namespaces.StreamManagement)
        {
            switch (element.Name.LocalName)
            {
                case "r":
                    return (ClientXml.Ack(StreamManagement.Inbound), false);
                case "a":
                    StreamManagement.Acknowledge(element.Attribute("h")?.Value);
                    return null;
                default:
                    return null;
            }
        }
        if (element.Name.Namespace != Namespaces.Client)
            return null;
        // XEP-0198 §4: every stanza received counts toward our h.
        if (_host.IsStreamManagementEnabled)
            StreamManagement.Inbound++;
        return element.Name.LocalName switch
        {
            "iq" => RouteIq(element),
            "message" => RouteMessage(element),
            "presence" => RoutePresence(element),
            _ => null,
        };
    }

    private (string, bool)? RouteIq(XElement iq)
    {
        string? type = iq.Attribute("type")?.Value;
        string id = iq.Attribute("id")?.Value ?? "";
        if (type is "result" or "error")
        {
            // RFC 6120 §8.2.3: the answer goes to whoever asked; one nobody waits for (a timed-out
            // query, a keepalive ping) is dropped.
            if (_iqWaiters.Remove(id, out TaskCompletionSource<XElement>? answer))
                answer.TrySetResult(iq);
            return null;
        }
        if (type is not ("get" or "set"))
            return null;
        // RFC 6120 §8.2.3: every get/set must be answered; XEP-0199 pings get a result, and so do
        // roster pushes from our own server (RFC 6121 §2.1.6); anything else is not served here
        // (RFC 6120 §8.4: service-unavailable).
        string? from = iq.Attribute("from")?.Value;
        bool isPing = iq.Element(XName.Get("ping", Namespaces.Ping)) is not null;
        bool isRosterPush = iq.Element(XName.Get("query", Namespaces.Roster)) is not null
            && (from is null || from == _host.Account.ToString() || from == _host.BoundJid?.ToString());
        return (isPing || isRosterPush ? ClientXml.IqResult(id, from) : ClientXml.IqError(id, from, "cancel", "service-unavailable"), true);
    }

    private (string, bool)? RouteMessage(XElement message)
    {
        string? type = message.Attribute("type")?.Value;
        string? id = message.Attribute("id")?.Value;
        // RFC 6120 §8.3: a bounce of one of our messages, for the wait that confirms it.
        if (type == "error" && id is not null && _sentIds.Contains(id))
        {
            _bounces[id] = _host.ParseStanzaError(message);
            return null;
        }
        if (TryNoteReflection(message))
            return null;
        if (message.Element(XName.Get("received", Namespaces.Receipts))?.Attribute("id")?.Value is { } receiptId)
        {
            if (_sentIds.Contains(receiptId)) // only receipts for our messages are waited for
                _receipts.Add(receiptId);
            return null;
        }
        if (!_receiving)
            _ignored++;
        else if (ToReceivedMessage(message) is { Body: not null } received)
            _inbox.Enqueue(received);
        // XEP-0184 §5.2: acknowledge a received message that asks for it (not errors or groupchat).
        if (_host.SendReceipts && message.Element(XName.Get("request", Namespaces.Receipts)) is not null
            && type is not ("error" or "groupchat") && message.Attribute("from")?.Value is { } sender && id is not null)
        {
            return (ClientXml.Receipt(sender, id), true);
        }
        return null;
    }

    private (string, bool)? RoutePresence(XElement presence)
    {
        string? from = presence.Attribute("from")?.Value;
        if (from is not null && _presenceWaiters.TryGetValue(from, out TaskCompletionSource<XElement>? answer))
        {
            string? type = presence.Attribute("type")?.Value;
            var codes = presence.Element(XName.Get("x", Namespaces.MucUser))?.Elements(XName.Get("status", Namespaces.MucUser))
                .Select(s => s.Attribute("code")?.Value) ?? [];
            // XEP-0045 §7.2.3: status 110 marks the presence that is about ourselves; §7.2.6: an error refuses the join.
            if (type is null or "error" || codes.Contains("110"))
            {
                _presenceWaiters.Remove(from);
                answer.TrySetResult(presence);
            }
            return null;
        }
        if (_receiving)
            _presences.Enqueue(new ReceivedPresence(from, presence.Attribute("type")?.Value ?? "available"));
        else
            _ignored++;
        return null;
    }

    /// <summary>Our own groupchat message coming back from a joined room: note its ids (XEP-0045 §7.4, XEP-0359).</summary>
    private bool TryNoteReflection(XElement message)
    {
        if (message.Attribute("type")?.Value != "groupchat" || message.Attribute("from")?.Value is not { } from)
            return false;
        int slash = from.IndexOf('/');
        if (slash < 0 || !_rooms.TryGetValue(from[..slash], out string? nick) || from[(slash + 1)..] != nick)
            return false;
        // Only ids of messages we sent are waited for; others would only pile up.
        if (message.Attribute("id")?.Value is { } id && _sentIds.Contains(id))
            _reflections.Add(id);
        if (message.Element(XName.Get("origin-id", Namespaces.StanzaId))?.Attribute("id")?.Value is { } originId && _sentIds.Contains(originId))
            _reflections.Add(originId);
        return true;
    }

    private static ReceivedMessage ToReceivedMessage(XElement message)
    {
        string? stamp = message.Element(XName.Get("delay", Namespaces.Delay))?.Attribute("stamp")?.Value;
        DateTimeOffset? delay = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
            ? parsed
            : null;
        return new ReceivedMessage(
            message.Attribute("from")?.Value,
            message.Attribute("type")?.Value ?? "normal",
            message.Attribute("id")?.Value,
            message.Element(XName.Get("body", Namespaces.Client))?.Value,
            message.Element(XName.Get("subject", Namespaces.Client))?.Value,
            delay);
    }

    private sealed class Waiter(Func<bool> condition)
    {
        public Func<bool> Condition { get; } = condition;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
