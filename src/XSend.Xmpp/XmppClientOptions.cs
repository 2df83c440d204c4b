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

    /// <summary>CA certificates to trust in addition to the system's roots (for a private CA).</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

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

    /// <summary>Answer XEP-0184 receipt requests in messages this client receives (for receivers).</summary>
    public bool SendReceipts { get; init; }

    /// <summary>An opt-in log of the XML exchanged, with SASL payloads redacted by default.</summary>
    public ProtocolLogger? ProtocolLogger { get; init; }

    /// <summary>Receives a line for each step taken (for a verbose mode).</summary>
    public IProgress<XmppProgress>? Progress { get; init; }

    /// <summary>Test seam: picks the SASL mechanism instead of <see cref="SaslMechanismRanking.Select"/>.</summary>
    internal Func<IReadOnlyCollection<string>, bool, string, string, SaslMechanism>? MechanismSelector { get; init; }
}
