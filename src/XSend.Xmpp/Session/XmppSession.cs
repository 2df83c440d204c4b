using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>
/// A session that holds for days: it connects and logs in, reads in the background (the
/// <see cref="StanzaDispatcher"/>'s loop, with keepalive), and when the connection drops it
/// reconnects with exponential backoff and jitter, resuming the XEP-0198 session where the
/// server allows it (nothing is lost or received twice: the server resends exactly what our h
/// did not count), else starting a fresh one: bound again, available again and back in its rooms.
/// </summary>
/// <remarks>
/// Messages are received across connections in order: what a connection had queued before it
/// dropped is handed out before anything from the next one. Each connection's queue is bounded
/// (the oldest are dropped and counted in <see cref="DroppedStanzas"/>), so a consumer that does
/// not read costs bounded memory. Failures that retrying cannot fix (authentication, TLS trust,
/// a protocol violation) end the session: the next receive raises them.
/// </remarks>
/// <param name="account">The account.</param>
/// <param name="password">The account's password.</param>
/// <param name="options">Client settings; <see cref="XmppClientOptions.KeepAliveInterval"/> and
/// <see cref="XmppClientOptions.KeepAliveTimeout"/> bound how long a dead connection goes unnoticed.</param>
public sealed class XmppSession(Jid account, string password, XmppClientOptions? options = null) : IAsyncDisposable
{
    // Ended connections whose queued messages still wait for the consumer.
    private const int MaxRetired = 4;

    private readonly XmppClientOptions _options = options ?? new XmppClientOptions();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Queue<XmppClient> _retired = new();
    private readonly List<(Jid Room, string Nick, string? Password)> _rooms = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private XmppClient? _client;
    private XmppClient? _connecting;
    private Exception? _failure;
    private Task _running = Task.CompletedTask;
    private volatile bool _closing;
    private int _disposed;
    private long _droppedBefore;
    private XmppStep _step = XmppStep.Idle;

    /// <summary>The server to dial; by default wherever the domain's SRV records point.</summary>
    public ServerEndpoint? Server { get; init; }

    /// <summary>Whether the session sends presence (RFC 6121 §4.2), so messages to the account (and stored ones) flow in. Default true.</summary>
    public bool Available { get; init; } = true;

    /// <summary>
    /// Whether a dropped connection is reconnected (and the session asks the server to keep it
    /// resumable). Default true; false for one connection's work (a check), which a drop ends.
    /// </summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>The current connection, for requests the session has no method for.</summary>
    /// <exception cref="InvalidOperationException">The session is not connected (not started, reconnecting, or ended).</exception>
    public XmppClient Client
    {
        get
        {
            lock (_gate)
                return _client ?? throw new InvalidOperationException("The session is not connected.");
        }
    }

    /// <summary>The first wait before reconnecting; it doubles after each failed attempt, with ±50 % jitter. Default 0.5 s.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnection attempts. Default 16 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(16);

    /// <summary>How long one reconnection attempt (connect, TLS, login, resume or bind) may take. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The step the session is in (names what stalled when a caller's deadline passes).</summary>
    public XmppStep Step
    {
        get
        {
            lock (_gate)
                return (_client ?? _connecting)?.Step ?? _step;
        }
    }

    /// <summary>The SASL mechanism of the last login.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>How often the session reconnected after a drop.</summary>
    public int Reconnections { get; private set; }

    /// <summary>How many of those reconnections resumed the XEP-0198 session (the rest started afresh).</summary>
    public int Resumptions { get; private set; }

    /// <summary>Messages and presences pushed that were dropped because the consumer fell behind, over all connections.</summary>
    public long DroppedStanzas
    {
        get
        {
            lock (_gate)
                return _droppedBefore + (_client?.DroppedStanzas ?? 0);
        }
    }

    /// <summary>
    /// Connects, logs in, sends presence (when <see cref="Available"/>) and starts reading in the
    /// background. Failures of this first connection are raised as they are (nothing retries them here).
    /// </summary>
    /// <exception cref="XmppException">The first connection or login failed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        (XmppClient client, _) = await ConnectAsync(null, cancellationToken).ConfigureAwait(false);
        Publish(client);
        _running = Task.Run(async () =>
        {
            try
            {
                await HoldAsync(client).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Fail(ex); // never a consumer left waiting on a session nobody holds
            }
        });
    }

    /// <summary>
    /// Joins a room (see <see cref="XmppClient.JoinRoomAsync"/>) and remembers it, so a fresh
    /// session after a drop joins it again.
    /// </summary>
    /// <returns>The nickname the room accepted.</returns>
    public async Task<string> JoinRoomAsync(Jid room, string nick, string? roomPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        XmppClient client = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        string accepted = await client.JoinRoomAsync(room, nick, roomPassword, createIfMissing: false, cancellationToken).ConfigureAwait(false);
        lock (_gate)
            _rooms.Add((room.Bare, accepted, roomPassword));
        return accepted;
    }

    /// <summary>
    /// The next message with a body, waiting as long as it takes, across reconnections.
    /// </summary>
    /// <exception cref="XmppException">The session ended for a reason retrying cannot fix.</exception>
    public async Task<ReceivedMessage> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            XmppClient? current;
            Task changed;
            lock (_gate)
            {
                // What an ended connection had already taken (and counted for the server) comes first.
                while (_retired.Count > 0)
                {
                    if (_retired.Peek().Dispatcher.TryReceiveMessage(out ReceivedMessage? left))
                        return left;
                    _retired.Dequeue();
                }
                if (_failure is not null)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
                current = _client;
                changed = _changed.Task;
            }
            if (current is null)
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                return await current.ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is XmppException or InvalidOperationException)
            {
                // The connection ended; the session retires it (its queue is drained above) and reconnects.
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Ends the session politely: acks what was handled (XEP-0198 §4), closes the stream and
    /// waits, within <see cref="XmppClientOptions.CloseTimeout"/>, for the server to close its side.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        _closing = true;
        XmppClient? client;
        lock (_gate)
            client = _client;
        if (client is not null)
        {
            using var bound = new CancellationTokenSource(_options.CloseTimeout, _options.TimeProvider);
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
            try
            {
                StanzaDispatcher dispatcher = client.Dispatcher;
                if (client.IsStreamManagementEnabled)
                    await dispatcher.WriteAsync(ClientXml.Ack(dispatcher.ReadStreamManagement(sm => sm.Inbound)), closing.Token).ConfigureAwait(false);
                await dispatcher.WriteAsync(ClientXml.StreamClose, closing.Token).ConfigureAwait(false);
                // RFC 6120 §4.4: the server answers with its own close, which ends the read loop.
                await _running.WaitAsync(closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is XmppException or OperationCanceledException or InvalidOperationException)
            {
                // A connection that is gone needs no closing.
            }
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops at once: no closing handshake (a resumable session may linger on the server until it times out).</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        XmppClient? client;
        lock (_gate)
            client = _client;
        client?.Dispose();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        lock (_gate)
        {
            foreach (XmppClient retired in _retired)
                retired.Dispose();
        }
        _stop.Dispose();
    }

    /// <summary>The background task: run the connection; when it drops, reconnect; until closed or a permanent failure.</summary>
    private async Task HoldAsync(XmppClient client)
    {
        KeepAlive? keepAlive = _options.KeepAliveInterval == Timeout.InfiniteTimeSpan ? null
            : new KeepAlive(_options.KeepAliveInterval, _options.KeepAliveTimeout);
        while (true)
        {
            Exception reason = await client.Dispatcher.RunAsync(keepAlive, _stop.Token).ConfigureAwait(false);
            StreamResumption? resume = client.Resumption;
            Retire(client);
            if (_closing)
                return;
            if (reason is XmppException { IsTransient: false } || !Reconnect)
            {
                Fail(reason);
                return;
            }
            Report(XmppStep.WaitingToRetry, $"the connection ended ({reason.Message}); reconnecting");
            XmppClient? next = await ReconnectAsync(resume).ConfigureAwait(false);
            if (next is null)
                return;
            client = next;
            Publish(client);
        }
    }

    /// <summary>Reconnects with exponential backoff and jitter; null when closed or failed for good.</summary>
    private async Task<XmppClient?> ReconnectAsync(StreamResumption? resume)
    {
        TimeProvider time = _options.TimeProvider;
        var backoff = new Backoff(FirstBackoff, MaxBackoff);
        while (true)
        {
            TimeSpan wait = backoff.Next();
            Report(XmppStep.WaitingToRetry, $"reconnecting in {wait.TotalMilliseconds:0} ms");
            try
            {
                await Task.Delay(wait, time, _stop.Token).ConfigureAwait(false);
                using var attempt = new CancellationTokenSource(AttemptTimeout, time);
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, attempt.Token);
                (XmppClient client, bool resumed) = await ConnectAsync(resume, bounded.Token).ConfigureAwait(false);
                Reconnections++;
                if (resumed)
                    Resumptions++;
                return client;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is OperationCanceledException or XmppException { IsTransient: true })
            {
                Report(XmppStep.WaitingToRetry, $"reconnecting failed: {ex.Message}");
            }
            catch (XmppException ex)
            {
                Fail(ex);
                return null;
            }
        }
    }

    /// <summary>
    /// One connection: connect, log in, resume <paramref name="resume"/> if given (XEP-0198 §5),
    /// else bind afresh, become available and rejoin the rooms. The dispatcher keeps what arrives
    /// from the start, so stanzas the server resends right after &lt;resumed/&gt; are not lost.
    /// </summary>
    private async Task<(XmppClient Client, bool Resumed)> ConnectAsync(StreamResumption? resume, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            // Resumable, unlike a one-off listener: a drop is bridged by resuming, and the server
            // keeps (and resends) what it pushed meanwhile.
            var client = new XmppClient(account, _options) { RequestResumption = Reconnect };
            lock (_gate)
                _connecting = client;
            client.Dispatcher.StartReceiving();
            List<(Jid Room, string Nick, string? Password)> rooms;
            lock (_gate)
                rooms = [.. _rooms];
            foreach ((Jid room, string nick, _) in rooms)
                client.Dispatcher.SetRoom(room.ToString(), nick); // a resumed session is still in its rooms
            try
            {
                await client.ConnectAsync(resume?.Location ?? Server, cancellationToken).ConfigureAwait(false);
                bool resumed = await client.AuthenticateAsync(password, resume, cancellationToken).ConfigureAwait(false);
                Mechanism = client.Mechanism;
                if (!resumed)
                {
                    if (Available)
                        await client.SendPresenceAsync(cancellationToken).ConfigureAwait(false);
                    foreach ((Jid room, string nick, string? roomPassword) in rooms)
                    {
                        client.Dispatcher.SetRoom(room.ToString(), null);
                        await client.JoinRoomAsync(room, nick, roomPassword, createIfMissing: false, cancellationToken).ConfigureAwait(false);
                    }
                }
                return (client, resumed);
            }
            catch (XmppFreshLoginRequiredException ex) when (attempt == 0)
            {
                // The refused FAST token is forgotten: a fresh connection logs in with the password.
                _options.Progress?.Report(new XmppProgress(client.Step, ex.Message));
                client.Dispose();
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    private async Task<XmppClient> CurrentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_failure is not null)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
                if (_client is not null)
                    return _client;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Publish(XmppClient client)
    {
        // Before anyone else sees the client: its waits must await the background loop, never read themselves.
        client.Dispatcher.ReadInBackground();
        Change(() =>
        {
            _client = client;
            _connecting = null;
        });
    }

    private void Retire(XmppClient client) => Change(() =>
    {
        _droppedBefore += client.DroppedStanzas;
        _retired.Enqueue(client);
        // Bounded memory whatever happens: without a consumer, only the last few ended connections keep their queues.
        while (_retired.Count > MaxRetired)
        {
            XmppClient old = _retired.Dequeue();
            while (old.Dispatcher.TryReceiveMessage(out _))
                _droppedBefore++;
        }
        _client = null;
        client.Dispose();
    });

    private void Fail(Exception failure) => Change(() => _failure = failure);

    private void Change(Action change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            change();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void Report(XmppStep step, string message)
    {
        lock (_gate)
            _step = step;
        _options.Progress?.Report(new XmppProgress(step, message));
    }
}
