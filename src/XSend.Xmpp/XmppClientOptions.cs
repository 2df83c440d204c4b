using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp.Logging;
using XSend.Xmpp.Sasl;
using XSend.Xmpp.Tls;

namespace XSend.Xmpp;

/// <summary>Settings for an <see cref="XmppClient"/>. The defaults are the secure ones.</summary>
public sealed record XmppClientOptions
{
    /// <summary>Whether a server without STARTTLS is refused. Default: <see cref="TlsRequirement.Required"/>.</summary>
    public TlsRequirement Tls { get; init; } = TlsRequirement.Required;

    /// <summary>
    /// CA certificates to trust instead of the system's roots (a private CA, like curl's
    /// <c>--cacert</c>). The certificate must still name the JID's domain.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>
    /// SHA-256 SPKI pins (<c>sha256:base64</c>, as <see cref="CertificatePin.Compute"/> prints).
    /// When set, exactly these keys are accepted, whatever their chain, name or dates (the
    /// self-signed server case), and every other key is refused.
    /// </summary>
    public IReadOnlyList<string>? PinnedKeys { get; init; }

    /// <summary>
    /// Accept any certificate: no chain, name or date checks. The connection is still
    /// encrypted but not authenticated, so PLAIN is refused. For tests; never the default.
    /// </summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>Refuse SASL mechanisms without channel binding (only SCRAM-*-PLUS).</summary>
    public bool RequireChannelBinding { get; init; }

    /// <summary>Refuse mechanisms ranked below this one (a mechanism pinned after an earlier login).</summary>
    public string? MinimumMechanism { get; init; }

    /// <summary>Why <see cref="MinimumMechanism"/> is set, for the refusal message ("which this account used before").</summary>
    public string? MinimumMechanismReason { get; init; }

    /// <summary>
    /// Use SASL2 (XEP-0388), with Bind2 (XEP-0386) and FAST (XEP-0484), when the server offers
    /// it: login, binding and stream management in one round trip. Default: true.
    /// </summary>
    public bool UseSasl2 { get; init; } = true;

    /// <summary>
    /// Where FAST tokens are kept between runs. When set and the server offers FAST, a password
    /// login asks for a token and later logins use it (one round trip, no PBKDF2); when null,
    /// FAST is not used.
    /// </summary>
    public IFastTokenStore? FastTokens { get; init; }

    /// <summary>A stable id for this installation, sent in SASL2's user agent (XEP-0388 §2.3).</summary>
    public Guid? UserAgentId { get; init; }

    /// <summary>
    /// The resource is this prefix plus a random suffix, unique per session, so two runs at once
    /// never replace each other's session (RFC 6120 §7.7.2.2).
    /// </summary>
    public string ResourcePrefix { get; init; } = "xsend";

    /// <summary>The largest top-level element accepted from the server, in bytes. Default 1 MiB.</summary>
    public long MaxStanzaBytes { get; init; } = 1024 * 1024;

    /// <summary>How long to wait for the server's <c>&lt;/stream:stream&gt;</c> when closing. Default 2 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Resolves a host name to addresses; by default the system resolver. A seam for tests and
    /// for callers with their own resolution.
    /// </summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? ResolveHost { get; init; }

    /// <summary>
    /// The DNS server for SRV, A and AAAA lookups (for example 127.0.0.1:5353), instead of the
    /// system's. A testing aid; <see langword="null"/> by default.
    /// </summary>
    public System.Net.IPEndPoint? DnsServer { get; init; }

    /// <summary>Answer XEP-0184 receipt requests in messages this client receives (for receivers).</summary>
    public bool SendReceipts { get; init; }

    /// <summary>An opt-in log of the XML exchanged, with SASL payloads redacted by default.</summary>
    public ProtocolLogger? ProtocolLogger { get; init; }

    /// <summary>
    /// The clock for every timestamp, timer and deadline of the client and the sender (token
    /// expiry, certificate dates in messages, backoff waits, ack and overall deadlines).
    /// Default: <see cref="TimeProvider.System"/>; tests pass their own.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives a line for each step taken (for a verbose mode).</summary>
    public IProgress<XmppProgress>? Progress { get; init; }

    /// <summary>Test seam: picks the SASL mechanism instead of <see cref="SaslMechanismRanking.Select"/>.</summary>
    internal Func<SaslSelectionContext, string, string, SaslMechanism>? MechanismSelector { get; init; }

    /// <summary>
    /// For a long-lived session (<c>XmppSession</c>): after this long with nothing received,
    /// the session checks that the connection lives (an XEP-0198 &lt;r/&gt; when stream management
    /// is on, else an XEP-0199 ping). Default 60 s; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long that check may go unanswered before the connection is declared dead (and the
    /// session reconnects). A dead connection is found within <see cref="KeepAliveInterval"/> +
    /// this of the last thing received. Default 20 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
