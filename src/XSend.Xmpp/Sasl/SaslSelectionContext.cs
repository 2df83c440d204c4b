using System.Security.Authentication;

namespace XSend.Xmpp.Sasl;

/// <summary>Everything <see cref="SaslMechanismRanking"/> weighs besides the mechanism names.</summary>
public sealed record SaslSelectionContext
{
    /// <summary>What the server advertised.</summary>
    public required SaslAdvertisement Advertisement { get; init; }

    /// <summary>Whether the stream is protected by TLS.</summary>
    public bool IsTlsProtected { get; init; }

    /// <summary>Whether the server's certificate was verified (by chain and name, or by pin); false under "insecure".</summary>
    public bool IsServerAuthenticated { get; init; }

    /// <summary>The negotiated TLS version; it decides the default channel-binding type.</summary>
    public SslProtocols TlsProtocol { get; init; }

    /// <summary>The channel bindings this client can compute for this connection, best first; empty without TLS.</summary>
    public IReadOnlyList<ChannelBinding> ChannelBindings { get; init; } = [];

    /// <summary>Refuse every mechanism without channel binding.</summary>
    public bool RequireChannelBinding { get; init; }

    /// <summary>Refuse mechanisms ranked below this one (a remembered, pinned mechanism), if set.</summary>
    public string? MinimumMechanism { get; init; }

    /// <summary>Why <see cref="MinimumMechanism"/> is set, for the refusal message.</summary>
    public string? MinimumMechanismReason { get; init; }
}
