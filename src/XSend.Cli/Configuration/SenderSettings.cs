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
    TimeSpan OutboxMaxAge)
{
    /// <summary>The CA file's full path, when one is configured.</summary>
    public string? CaFilePath { get; init; }

    /// <summary>Pinned SPKI hashes (sha256:…), if any.</summary>
    public IReadOnlyList<string>? Pins { get; init; }

    /// <summary>Refuse mechanisms without channel binding.</summary>
    public bool RequireChannelBinding { get; init; }

    /// <summary>Remember the strongest mechanism per account and refuse weaker ones later.</summary>
    public bool PinMechanism { get; init; }

    /// <summary>Keep XEP-0484 (FAST) tokens between runs when the server offers them (default on).</summary>
    public bool FastTokens { get; init; } = true;

    /// <summary>The chatrooms' password (<c>Rooms:Password</c> or <c>Rooms:PasswordFile</c>), if set.</summary>
    public string? RoomPassword { get; init; }

    /// <summary>Where the FAST tokens, the remembered mechanisms and the user-agent locks are kept.</summary>
    public string StateDirectory { get; init; } = "";

    /// <summary>The DNS server for SRV and address lookups (a testing aid), if set.</summary>
    public System.Net.IPEndPoint? DnsServer { get; init; }
}
