using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Negotiation;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Tls;
using XSend.Xmpp.Transport;

namespace XSend.Xmpp;

/// <summary>
/// A small, strict XMPP client (RFC 6120/6121): connect, secure with STARTTLS, authenticate
/// with SASL, bind a resource, send messages with confirmed delivery to the server, close.
/// </summary>
/// <remarks>
/// Every method takes a <see cref="CancellationToken"/>; cancelling it aborts the pending
/// network operation with <see cref="OperationCanceledException"/>. Failures are reported as
/// <see cref="XmppException"/> subclasses typed by layer. The client is not thread-safe.
/// </remarks>
public sealed partial class XmppClient : IAsyncDisposable, IDisposable
{
    private readonly XmppClientOptions _options;
    private readonly XmppConnection _connection;
    private readonly NegotiationContext _negotiation;

    /// <summary>Creates a client for an account; nothing happens on the network until <see cref="ConnectAsync(string, int, CancellationToken)"/>.</summary>
    /// <param name="account">The account's JID; its domain is the stream's <c>to</c> and the name the certificate must carry.</param>
    /// <param name="options">Settings; the defaults are secure.</param>
    public XmppClient(Jid account, XmppClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        Account = account.Bare;
        _options = options ?? new XmppClientOptions();
        _connection = new XmppConnection(_options);
        _negotiation = new NegotiationContext(_connection, _options, Account, HandleIncidentalAsync);
    }

    /// <summary>The account's bare JID.</summary>
    public Jid Account { get; }

    /// <summary>The step the client is in; names the stalled step when a deadline passes.</summary>
    public XmppStep Step => _connection.Step;

    /// <summary>The features of the current stream, once opened.</summary>
    public StreamFeatures? Features => _negotiation.State.Features;

    /// <summary>Whether the stream is protected by TLS.</summary>
    public bool IsTlsProtected => _connection.IsTlsProtected;

    /// <summary>
    /// Whether the server's certificate was verified, by chain and name or by pin; false when
    /// <see cref="XmppClientOptions.AcceptAnyCertificate"/> let it through unchecked.
    /// </summary>
    public bool IsServerAuthenticated => _connection.Tls?.IsServerAuthenticated ?? false;

    /// <summary>The negotiated TLS version, once secured.</summary>
    public SslProtocols TlsProtocol => _connection.Tls?.Protocol ?? SslProtocols.None;

    /// <summary>The negotiated cipher suite, once secured.</summary>
    public TlsCipherSuite? TlsCipherSuite => _connection.Tls?.CipherSuite;

    /// <summary>The server's certificate, once secured.</summary>
    public X509Certificate2? ServerCertificate => _connection.Tls?.Certificate;

    /// <summary>The SASL mechanisms the server offered.</summary>
    public IReadOnlyList<string> OfferedMechanisms => _negotiation.State.OfferedMechanisms;

    /// <summary>The SASL mechanism that authenticated the session.</summary>
    public string? Mechanism => _negotiation.State.Mechanism;

    /// <summary>The channel-binding type (RFC 5929) the mechanism bound the login to, or <see langword="null"/>.</summary>
    public string? ChannelBindingType => _negotiation.State.ChannelBindingType;

    /// <summary>The full JID the server bound.</summary>
    public Jid? BoundJid => _negotiation.State.BoundJid;

    /// <summary>Each address tried when connecting by host and port, with its outcome ("[::1]:5222 ConnectionRefused").</summary>
    public IReadOnlyList<string> ConnectionAttempts => _attempts;

    private readonly List<string> _attempts = [];

    /// <summary>The address the TCP connection reached, when connected by host and port.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; private set; }

    /// <summary>Whether XEP-0198 stream management is enabled, so sent stanzas are acknowledged.</summary>
    public bool IsStreamManagementEnabled => _negotiation.State.StreamManagement.Enabled;

    /// <summary>Resolves <paramref name="host"/>, connects over TCP and negotiates the stream and STARTTLS.</summary>
    /// <exception cref="XmppConnectionException">The host is unknown, or the connection was refused or lost.</exception>
    /// <exception cref="XmppTlsException">TLS is required but unavailable, or the certificate is not trusted.</exception>
    /// <exception cref="XmppStreamException">The server ended the stream with an error.</exception>
    /// <exception cref="XmppProtocolException">The server broke the protocol.</exception>
    public Task ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return ConnectAsync([new ServerEndpoint(host, port)], cancellationToken);
    }

    /// <summary>
    /// Connects to <paramref name="server"/> when given (no SRV lookup), otherwise to wherever
    /// the account's domain says its service is: SRV records for direct TLS and STARTTLS
    /// (XEP-0368, RFC 6120 §3.2.1), falling back to the domain on port 5222.
    /// </summary>
    /// <inheritdoc cref="ConnectAsync(string, int, CancellationToken)"/>
    public async Task ConnectAsync(ServerEndpoint? server, CancellationToken cancellationToken = default)
    {
        if (server is not null)
        {
            await ConnectAsync([server], cancellationToken).ConfigureAwait(false);
            return;
        }
        SetStep(XmppStep.Connecting, $"looking up SRV records for {Account.Domain}");
        var (endpoints, source) = await Locator.LocateAsync(Account.Domain, cancellationToken).ConfigureAwait(false);
        LocatedBy = source;
        Report(source);
        await ConnectAsync(endpoints, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How the endpoints were found, when connecting by domain ("SRV: …" or the fallback).</summary>
    public string? LocatedBy { get; private set; }

    private ServerLocator Locator => _locator ??= new ServerLocator(_options.DnsServer);

    private ServerLocator? _locator;

    // With a configured DNS server, host names resolve through it too (so SRV targets in a test zone work).
    private Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? Resolver =>
        _options.ResolveHost ?? (_options.DnsServer is not null ? Locator.ResolveAsync : null);

    /// <summary>
    /// Tries each endpoint in order (SRV targets, say) until one connects over TCP, then
    /// negotiates the stream with STARTTLS or direct TLS as the endpoint says. Every address of a
    /// host is tried, staggered (RFC 8305 Happy Eyeballs).
    /// </summary>
    /// <inheritdoc cref="ConnectAsync(string, int, CancellationToken)"/>
    public async Task ConnectAsync(IReadOnlyList<ServerEndpoint> endpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
            throw new ArgumentException("No endpoints to try.", nameof(endpoints));
        XmppConnectionException? last = null;
        foreach (ServerEndpoint endpoint in endpoints)
        {
            SetStep(XmppStep.Connecting, $"connecting to {endpoint}{(endpoint.DirectTls ? " (direct TLS)" : "")}");
            Socket socket;
            try
            {
                socket = await TcpConnector.ConnectAsync(endpoint.Host, endpoint.Port, Resolver, _attempts, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (XmppConnectionException ex) when (endpoints.Count > 1)
            {
                // RFC 6120 §3.2.1: on failure, go on to the next target.
                Report($"{endpoint}: {ex.Message}");
                last = ex;
                continue;
            }
            RemoteEndPoint = socket.RemoteEndPoint;
            Report($"connected to {socket.RemoteEndPoint}");
            try
            {
                await ConnectAsync(new QuickAckNetworkStream(socket), endpoint.DirectTls, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppException ex) when (!endpoint.DirectTls && _connection.FirstByte is null or 0x15 or 0x16
                && ex is XmppProtocolException or XmppConnectionException { Failure: ConnectionFailure.Lost })
            {
                // No XML in reply to our stream header, but a TLS record (0x15 alert, 0x16 handshake) or
                // nothing at all: a direct TLS port does that. Without a byte to judge by, one handshake tells.
                if (_connection.FirstByte is null && !await SpeaksDirectTlsAsync(endpoint, cancellationToken).ConfigureAwait(false))
                    throw;
                throw new XmppTlsException(TlsFailure.WrongTlsMode,
                    $"{endpoint} did not answer the XMPP stream header but speaks TLS: it is a direct TLS port (XEP-0368), "
                    + "a configuration mistake; use --direct-tls, or the STARTTLS port (usually 5222)", ex);
            }
            return;
        }
        throw new XmppConnectionException(last!.Failure,
            $"no server for {Account.Domain} answered: {string.Join(", ", endpoints)} ({last.Message})", last);
    }

    /// <summary>
    /// Negotiates the stream over an already-connected transport (the test seam). The client
    /// owns <paramref name="transport"/> from now on; STARTTLS wraps it in TLS.
    /// </summary>
    /// <inheritdoc cref="ConnectAsync(string, int, CancellationToken)"/>
    public Task ConnectAsync(Stream transport, CancellationToken cancellationToken = default) =>
        ConnectAsync(transport, directTls: false, cancellationToken);

    /// <summary>
    /// Negotiates the stream over an already-connected transport, starting with TLS at once when
    /// <paramref name="directTls"/> is set (XEP-0368), otherwise with STARTTLS.
    /// </summary>
    /// <inheritdoc cref="ConnectAsync(string, int, CancellationToken)"/>
    public async Task ConnectAsync(Stream transport, bool directTls, CancellationToken cancellationToken = default)
    {
        _connection.Attach(transport);
        _negotiation.DirectTls = directTls;
        try
        {
            if (directTls)
            {
                SetStep(XmppStep.SecuringChannel, "starting TLS (direct TLS)");
                TlsFacts tls = await _connection.SecureAsync(Account.Domain, directTls: true, cancellationToken).ConfigureAwait(false);
                _negotiation.State = _negotiation.State with { Tls = tls };
            }
            // XEP-0368 §3: with direct TLS the first stream is opened inside TLS.
            await _negotiation.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
            await Negotiator.RunAsync(_negotiation, NegotiationPhase.Connect, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppProtocolException ex) when (!ex.Unverified && !IsTlsProtected)
        {
            // Nothing before TLS is authenticated: anyone on the path could have sent these bytes.
            throw new XmppProtocolException(ex.Message, ex.InnerException, unverified: true);
        }
    }

    /// <summary>
    /// Whether <paramref name="endpoint"/> starts a TLS handshake at once (XEP-0368 direct TLS):
    /// one bounded attempt on a fresh connection, sending nothing but a ClientHello.
    /// </summary>
    private async Task<bool> SpeaksDirectTlsAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2), _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        FirstByteStream? received = null;
        try
        {
            Socket socket = await TcpConnector.ConnectAsync(endpoint.Host, endpoint.Port, Resolver, [], linked.Token).ConfigureAwait(false);
            received = new FirstByteStream(new NetworkStream(socket, ownsSocket: true));
            await using var ssl = new SslStream(received, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Account.Domain }, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppConnectionException or IOException or AuthenticationException or SocketException or OperationCanceledException)
        {
            // Judged by what came back, below: an untrusted certificate still proves TLS.
        }
        finally
        {
            received?.Dispose();
        }
        return received?.FirstByte == 0x16; // a TLS handshake record (RFC 8446 §5.1)
    }

    /// <summary>
    /// Closes the stream politely: sends <c>&lt;/stream:stream&gt;</c> and waits, for at most
    /// <see cref="XmppClientOptions.CloseTimeout"/>, for the server's close (RFC 6120 §4.4).
    /// Never throws for network failures: by now there is nothing left to lose.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (!_connection.IsOpen || Step == XmppStep.Closed)
            return;
        SetStep(XmppStep.Closing, "closing the stream");
        using var closeTimer = new CancellationTokenSource(_options.CloseTimeout, _options.TimeProvider);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closeTimer.Token);
        try
        {
            // XEP-0198 §4: ack what we handled before closing, or the server treats it as
            // undelivered and re-routes it (Prosody stores it offline again).
            if (IsStreamManagementEnabled)
                await WriteAsync(ClientXml.Ack(_inbound), closing.Token).ConfigureAwait(false);
            await WriteAsync(ClientXml.StreamClose, closing.Token).ConfigureAwait(false);
            for (int i = 0; i < 1000; i++)
            {
                if (await ReadElementOrEndAsync(closing.Token).ConfigureAwait(false) is null)
                    break;
            }
            await _connection.ShutdownTlsAsync(closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The server may drop the connection instead of closing its stream; that is fine now.
        }
        finally
        {
            _connection.Close();
            SetStep(XmppStep.Closed, "closed");
        }
    }

    /// <summary>Aborts the connection without closing the stream.</summary>
    public void Dispose() => _connection.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // The seam to the session layer (#13). Called once the login phase of negotiation ends, also
    // when it failed, with the state it reached: the session takes its stream-management counters
    // from it (zero after <enabled/>; the old session's after <resumed h/>; what a <failed h/>
    // confirmed). Implemented with the session code (XmppClient.Negotiated.cs until it moves).
    private partial void OnNegotiated(NegotiationState state);

    // After <resumed h/> (XEP-0198 §5): the session sends again what the server's h does not cover.
    private partial Task ResendUnconfirmedAsync(NegotiationState state, CancellationToken cancellationToken);

    private static System.Xml.Linq.XName XName(string ns, string localName) => System.Xml.Linq.XName.Get(localName, ns);
}
