using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp;

namespace XSend.Cli.Configuration;

/// <summary>The validated account and connection settings for one run.</summary>
internal sealed record SenderSettings(
    Jid Account,
    string Password,
    ServerEndpoint? Server,
    X509Certificate2Collection? TrustedCertificates,
    string ResourcePrefix,
    TimeSpan? Timeout,
    string OutboxDirectory,
    TimeSpan OutboxMaxAge);
