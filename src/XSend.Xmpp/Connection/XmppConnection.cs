using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Tls;
using XSend.Xmpp.Transport;

namespace XSend.Xmpp.Connection;

/// <summary>
/// One XMPP connection: the stream stack (transport, first-byte probe, TLS, metering), the
/// incremental reader, the serialised writer, the protocol log, and the one place where
/// transport failures become typed exceptions. It also holds the current <see cref="XmppStep"/>,
/// which names the stalled step in every error, and reports progress.
/// </summary>
internal sealed class XmppConnection(XmppClientOptions options) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private FirstByteStream? _transport;
    private Stream? _stream;
    private MeteredStream? _metered;
    private XmppStreamReader? _reader;

    /// <summary>The step the connection is in.</summary>
    public XmppStep Step { get; private set; } = XmppStep.Idle;

    /// <summary>Whether a transport is attached and not yet closed.</summary>
    public bool IsOpen => _stream is not null;

    /// <summary>The first byte the server sent, or <see langword="null"/> before any (tells STARTTLS from direct TLS).</summary>
    public byte? FirstByte => _transport?.FirstByte;

    /// <summary>What TLS established, or <see langword="null"/> while the stream is not protected.</summary>
    public TlsFacts? Tls { get; private set; }

    /// <summary>Whether the stream is protected by TLS.</summary>
    public bool IsTlsProtected => Tls is not null;

    /// <summary>Takes <paramref name="transport"/> over; the connection owns it from now on.</summary>
    public void Attach(Stream transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_transport is not null)
            throw new InvalidOperationException("The client is already connected.");
        _stream = _transport = new FirstByteStream(transport);
    }

    /// <summary>Enters <paramref name="step"/> and reports it.</summary>
    public void SetStep(XmppStep step, string message)
    {
        Step = step;
        options.Progress?.Report(new XmppProgress(step, message));
    }

    /// <summary>Reports progress within the current step.</summary>
    public void Report(string message) => options.Progress?.Report(new XmppProgress(Step, message));

    /// <summary>
    /// Opens a stream (RFC 6120 §4.2): writes our header, reads the server's, checks it speaks
    /// XMPP 1.0, and reads its features. Also the stream restart after TLS and SASL.
    /// </summary>
    public async Task<StreamFeatures> OpenStreamAsync(Jid account, CancellationToken cancellationToken)
    {
        SetStep(XmppStep.OpeningStream, "opening the stream");
        _metered = new MeteredStream(_stream ?? throw new InvalidOperationException("The client is not connected."), options.MaxStanzaBytes);
        _reader = new XmppStreamReader(_metered);
        // RFC 6120 §4.7.1: 'from' only once the stream is protected by TLS.
        await WriteAsync(ClientXml.StreamHeader(account.Domain, IsTlsProtected ? account.ToString() : null), cancellationToken)
            .ConfigureAwait(false);

        StreamHeader header = await ReadAsync(r => r.ReadHeaderAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        options.ProtocolLogger?.LogServer($"<stream:stream id='{header.Id}' from='{header.From}' version='{header.Version}'>");
        // RFC 6120 §4.7.5: without version 1.0 there are no stream features, TLS or SASL.
        if (header.Version is null || !Version.TryParse(header.Version, out Version? version) || version.Major < 1)
            throw new XmppProtocolException($"the server does not speak XMPP 1.0 streams (version '{header.Version}')");

        XElement features = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
        if (features.Name != XName.Get("features", Namespaces.Streams))
            throw new XmppProtocolException($"expected <stream:features>, got <{features.Name.LocalName}>");
        return StreamFeatures.Parse(features);
    }

    /// <summary>
    /// Runs the TLS handshake over the transport (after &lt;proceed/&gt;, or at once for direct
    /// TLS), verifying the certificate for <paramref name="domain"/>. The caller opens the stream after.
    /// </summary>
    /// <exception cref="XmppTlsException">The handshake failed or the certificate is not trusted.</exception>
    public async Task<TlsFacts> SecureAsync(string domain, bool directTls, CancellationToken cancellationToken)
    {
        var verifier = new CertificateVerifier(domain, options);
        var ssl = new SslStream(_transport ?? throw new InvalidOperationException("The client is not connected."), leaveInnerStreamOpen: false);
        var tlsOptions = new SslClientAuthenticationOptions
        {
            // RFC 7590 §3.1 / RFC 6125: the certificate must name the JID's domain, whatever host
            // we dialled; it is also the SNI name (XEP-0368 §3 for direct TLS).
            TargetHost = domain,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verifier.Validate,
            // XEP-0368 §3: direct TLS announces the protocol with ALPN "xmpp-client".
            ApplicationProtocols = directTls ? [new SslApplicationProtocol("xmpp-client")] : null,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(tlsOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (directTls && FirstByte == (byte)'<' && ex is AuthenticationException or IOException)
        {
            // A TLS record starts with its type (0x14-0x17); '<' is XML: the server waits for STARTTLS.
            throw new XmppTlsException(TlsFailure.WrongTlsMode,
                "the server answered the TLS handshake in plain XML: the port seems to speak STARTTLS, a configuration mistake; "
                + "drop --direct-tls, or use the direct TLS port (usually 5223)", ex);
        }
        catch (AuthenticationException ex)
        {
            throw verifier.Failure is { } failure
                ? new XmppTlsException(failure.Failure, failure.Message, ex)
                : new XmppTlsException(TlsFailure.HandshakeFailed, $"TLS handshake failed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw TranslateIoFailure(ex, cancellationToken);
        }

        _stream = ssl;
        X509Certificate2? certificate = ssl.RemoteCertificate is { } cert ? new X509Certificate2(cert) : null;
        Tls = new TlsFacts(ssl.SslProtocol, ssl.NegotiatedCipherSuite, certificate, verifier.IsAuthenticated,
            TlsChannelBindings.Of(ssl, certificate));
        Report($"TLS established: {Tls.Describe()}");
        if (!Tls.IsServerAuthenticated)
            Report($"the server's certificate was NOT verified (accepting any certificate); it presents {verifier.Pin}");
        return Tls;
    }

    /// <summary>Writes <paramref name="xml"/> and flushes; one writer at a time, so elements never interleave.</summary>
    public async Task WriteAsync(string xml, CancellationToken cancellationToken)
    {
        Stream stream = _stream ?? throw new InvalidOperationException("The client is not connected.");
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        bool entered = false;
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            entered = true;
            options.ProtocolLogger?.LogClient(xml); // the logger redacts secrets
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw TranslateIoFailure(ex, cancellationToken);
        }
        finally
        {
            if (entered)
                _writeLock.Release();
        }
    }

    /// <summary>Reads the next element; the server closing its stream here is a lost connection.</summary>
    public async Task<XElement> ReadElementAsync(CancellationToken cancellationToken) =>
        await ReadElementOrEndAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new XmppConnectionException(ConnectionFailure.Lost, $"the server closed the stream while {Step.Describe()}");

    /// <summary>Reads the next element, or <see langword="null"/> at <c>&lt;/stream:stream&gt;</c>; raises stream errors.</summary>
    public async Task<XElement?> ReadElementOrEndAsync(CancellationToken cancellationToken)
    {
        XElement? element = await ReadAsync(r => r.ReadElementAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (element is null)
        {
            options.ProtocolLogger?.LogServer("</stream:stream>");
            return null;
        }
        options.ProtocolLogger?.LogServer(element);
        if (element.Name == XName.Get("error", Namespaces.Streams))
            throw ErrorParser.StreamError(element, unverified: !IsTlsProtected);
        return element;
    }

    /// <summary>Closes TLS politely (close_notify), within <paramref name="cancellationToken"/>.</summary>
    public async Task ShutdownTlsAsync(CancellationToken cancellationToken)
    {
        if (_stream is SslStream ssl)
            await ssl.ShutdownAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns a transport or parser failure into the typed exception that names the step.</summary>
    public Exception TranslateIoFailure(Exception ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return new OperationCanceledException($"cancelled while {Step.Describe()}", ex, cancellationToken);
        if (ex is StanzaTooLargeException || ex.InnerException is StanzaTooLargeException)
        {
            long limit = (ex as StanzaTooLargeException ?? (StanzaTooLargeException)ex.InnerException!).Limit;
            return new XmppProtocolException($"the server sent an element larger than {limit} bytes while {Step.Describe()}", ex);
        }
        return ex switch
        {
            // A parse error at end of input is a cut connection, not bad XML.
            XmlException when _metered?.EndOfStream == true =>
                new XmppConnectionException(ConnectionFailure.Lost, $"the connection closed mid-element while {Step.Describe()}", ex),
            // The parser's message quotes the offending character: escape it.
            XmlException xml => new XmppProtocolException($"the server sent malformed XML while {Step.Describe()}: {PrintableText.Sanitize(xml.Message)}", ex),
            EndOfStreamException => new XmppConnectionException(ConnectionFailure.Lost, $"the server closed the connection while {Step.Describe()}", ex),
            _ => new XmppConnectionException(ConnectionFailure.Lost, $"the connection was lost while {Step.Describe()}: {PrintableText.Sanitize(Innermost(ex).Message)}", ex),
        };
    }

    /// <summary>The innermost exception: the one whose message says what the socket saw.</summary>
    public static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }

    /// <summary>Aborts the connection without closing the stream; the TLS facts stay readable.</summary>
    public void Close()
    {
        _stream?.Dispose();
        _transport?.Dispose();
        _stream = null;
        _reader = null;
    }

    /// <summary>Closes the connection and releases the server's certificate.</summary>
    public void Dispose()
    {
        Close();
        Tls?.Certificate?.Dispose();
        _writeLock.Dispose();
    }

    private async Task<T> ReadAsync<T>(Func<XmppStreamReader, Task<T>> read, CancellationToken cancellationToken)
    {
        XmppStreamReader reader = _reader ?? throw new InvalidOperationException("The client is not connected.");
        _metered!.ReadToken = cancellationToken;
        try
        {
            return await read(reader).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmlException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw TranslateIoFailure(ex, cancellationToken);
        }
    }
}
