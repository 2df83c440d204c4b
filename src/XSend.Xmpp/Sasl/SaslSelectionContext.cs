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

    /// <summary>The channel binding this client can offer, or <see langword="null"/> (no TLS).</summary>
    public ChannelBinding? ChannelBinding { get; init; }

    /// <summary>Refuse every mechanism without channel binding.</summary>
    public bool RequireChannelBinding { get; init; }

    /// <summary>Refuse mechanisms ranked below this one (a remembered, pinned mechanism), if set.</summary>
    public string? MinimumMechanism { get; init; }
}
