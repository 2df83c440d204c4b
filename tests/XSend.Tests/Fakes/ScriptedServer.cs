using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using XSend.Xmpp.Tls;

namespace XSend.Tests.Fakes;

/// <summary>
/// The server side of a scripted conversation: expect the client's XML, then reply. Patterns are
/// literal XML where <c>*</c> matches anything and <c>{name}</c> captures an attribute-like value
/// that later replies can use as <c>{name}</c>.
/// </summary>
internal sealed class ScriptedServer(Stream stream)
{
    public const string ServerHeader =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='xsend.test' version='1.0'>";

    public const string ClientHeaderPattern =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='xsend.test'*version='1.0' xml:lang='en'>";

    public const string StartTlsFeature = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>";

    private static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(10);

    private readonly StringBuilder _received = new();
    private readonly StringBuilder _transcript = new();
    private readonly Dictionary<string, string> _captures = new();
    private Decoder _decoder = Encoding.UTF8.GetDecoder();
    private Stream _stream = stream;

    /// <summary>Everything the client sent so far.</summary>
    public string Transcript => _transcript.ToString();

    public IReadOnlyDictionary<string, string> Captures => _captures;

    /// <summary>Waits until the client sends XML matching <paramref name="pattern"/>, and consumes it.</summary>
    public Task ExpectAsync(string pattern) => ExpectOneOfAsync(pattern);

    /// <summary>
    /// Acks a pipelined window: consumes messages until the client's ack request, calling
    /// <paramref name="onMessage"/> for each (its id and to are in <see cref="Captures"/>), then
    /// acks everything so far.
    /// </summary>
    public async Task<int> AckWindowAsync(Func<Task>? onMessage = null, int maxMessages = 1000)
    {
        for (int i = 0; i < maxMessages; i++)
        {
            if (await ExpectOneOfAsync("<message type='{type}' id='{id}' to='{to}'>*</message>", "<r xmlns='urn:xmpp:sm:3'/>") == 1)
            {
                await SendAsync($"<a xmlns='urn:xmpp:sm:3' h='{_handled}'/>");
                return _handled;
            }
            _handled++;
            if (onMessage is not null)
                await onMessage();
        }
        throw new Xunit.Sdk.XunitException($"more than {maxMessages} messages without an ack request");
    }

    private int _handled;

    /// <summary>Waits until the client sends XML matching one of <paramref name="patterns"/>; returns which.</summary>
    public async Task<int> ExpectOneOfAsync(params string[] patterns)
    {
        Regex[] regexes = patterns.Select(p => new Regex(@"^\s*" + ToRegex(p), RegexOptions.Singleline)).ToArray();
        string pattern = string.Join(" or ", patterns);
        using var timeout = new CancellationTokenSource(ExpectTimeout);
        byte[] buffer = new byte[4096];
        while (true)
        {
            for (int which = 0; which < regexes.Length; which++)
            {
                Match match = regexes[which].Match(_received.ToString());
                if (!match.Success)
                    continue;
                foreach (Group group in match.Groups)
                {
                    if (!int.TryParse(group.Name, out _))
                        _captures[group.Name] = group.Value;
                }
                _received.Remove(0, match.Length);
                return which;
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"the client did not send {pattern}; it sent: {_received}");
            }
            if (read == 0)
                throw new Xunit.Sdk.XunitException($"the client closed the connection; expected {pattern}; pending: {_received}");
            char[] chars = new char[_decoder.GetCharCount(buffer, 0, read)];
            _decoder.GetChars(buffer, 0, read, chars, 0);
            _received.Append(chars);
            _transcript.Append(chars);
        }
    }

    /// <summary>Sends XML, substituting captures; with <paramref name="chunkSize"/>, in pieces of that many bytes.</summary>
    public async Task SendAsync(string xml, int chunkSize = 0)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Substitute(xml));
        if (chunkSize <= 0)
        {
            await _stream.WriteAsync(bytes);
        }
        else
        {
            for (int offset = 0; offset < bytes.Length; offset += chunkSize)
            {
                await _stream.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
                await _stream.FlushAsync();
                await Task.Yield();
            }
        }
        await _stream.FlushAsync();
    }

    /// <summary>Sends raw bytes, for input that is not valid UTF-8.</summary>
    public async Task SendBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Answers the client's stream header with ours and the given features.</summary>
    public async Task OpenStreamAsync(string features, int chunkSize = 0)
    {
        await ExpectAsync(ClientHeaderPattern);
        await SendAsync(ServerHeader + $"<stream:features>{features}</stream:features>", chunkSize);
    }

    /// <summary>Runs STARTTLS with <paramref name="certificate"/>; the caller then opens the new stream.</summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="protocols">The TLS versions to allow; by default the system's choice (TLS 1.3 here).</param>
    public async Task StartTlsAsync(X509Certificate2 certificate, SslProtocols protocols = SslProtocols.None)
    {
        await ExpectAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await SendAsync("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await AcceptDirectTlsAsync(certificate, protocols);
    }

    /// <summary>
    /// The TLS handshake as the server: first thing for direct TLS (XEP-0368), after
    /// &lt;proceed/&gt; for STARTTLS. Records the SNI name and the ALPN protocol the client asked for.
    /// </summary>
    public async Task AcceptDirectTlsAsync(X509Certificate2 certificate, SslProtocols protocols = SslProtocols.None)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = protocols,
                ApplicationProtocols = [new SslApplicationProtocol("xmpp-client")],
            });
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            // The client may reject the certificate; the test asserts on the client side.
            throw new ClientClosedException();
        }
        Sni = tls.TargetHostName;
        Alpn = tls.NegotiatedApplicationProtocol.ToString();
        TlsUnique = tls.SslProtocol == SslProtocols.Tls13 ? null : TlsChannelBindings.ReadTlsUnique(tls);
        _stream = tls;
        _decoder = Encoding.UTF8.GetDecoder();
    }

    /// <summary>The server name the client sent in its TLS hello (direct TLS).</summary>
    public string? Sni { get; private set; }

    /// <summary>The ALPN protocol negotiated (direct TLS).</summary>
    public string? Alpn { get; private set; }

    /// <summary>The server's view of tls-unique (RFC 5929 §3: the client's Finished), up to TLS 1.2.</summary>
    public byte[]? TlsUnique { get; private set; }

    /// <summary>A SCRAM exchange checked by the independent <see cref="ScramServer"/>.</summary>
    public async Task AuthenticateScramAsync(ScramServer scram)
    {
        await ExpectAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='{scram.Mechanism}'>{{clientFirst}}</auth>");
        string serverFirst = scram.ReceiveClientFirst(Captures["clientFirst"]);
        await SendAsync($"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{serverFirst}</challenge>");
        await ExpectAsync("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{clientFinal}</response>");
        string serverFinal = scram.ReceiveClientFinal(Captures["clientFinal"]);
        await SendAsync($"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{serverFinal}</success>");
    }

    /// <summary>Answers resource binding with <c>alice@xsend.test/{resource}</c>.</summary>
    public async Task BindAsync()
    {
        await ExpectAsync("<iq type='set' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>");
        await SendAsync("<iq type='result' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@xsend.test/{resource}</jid></bind></iq>");
    }

    /// <summary>Answers nothing more and waits until the client hangs up (at most the expect timeout).</summary>
    public async Task UntilClientLeavesAsync()
    {
        try
        {
            await ExpectAsync("never-sent");
        }
        catch (Xunit.Sdk.XunitException)
        {
        }
    }

    /// <summary>Closes the server's side of the connection.</summary>
    public void Disconnect() => _stream.Dispose();

    private string Substitute(string xml) =>
        Regex.Replace(xml, @"\{(\w+)\}", m => _captures.TryGetValue(m.Groups[1].Value, out string? value) ? value : m.Value);

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        foreach (Match token in Regex.Matches(pattern, @"\{(\w+)\}|\*|[^{*]+|\{"))
        {
            if (token.Value == "*")
                sb.Append(".*?");
            else if (token.Groups[1].Success)
                sb.Append($"(?<{token.Groups[1].Value}>[^'\"<>]*)");
            else
                sb.Append(Regex.Escape(token.Value));
        }
        return sb.ToString();
    }
}

/// <summary>The client closed the connection during a server step (for example by rejecting TLS).</summary>
internal sealed class ClientClosedException : Exception;
