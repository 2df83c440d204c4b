using System.Security.Authentication;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Sasl;

/// <summary>
/// The one place that decides which SASL mechanism to use: the strongest one both sides
/// support. Channel-bound (-PLUS) variants come first, then SCRAM by hash strength, and PLAIN
/// last, only inside TLS with a verified server.
/// </summary>
public static class SaslMechanismRanking
{
    /// <summary>Mechanisms the client supports, strongest first.</summary>
    /// <remarks>
    /// Any -PLUS variant outranks every unbound one: channel binding is what stops a
    /// man-in-the-middle holding a trusted certificate, whatever the hash.
    /// </remarks>
    public static IReadOnlyList<string> Preference { get; } =
    [
        "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
        "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1",
        "PLAIN",
    ];

    /// <summary>FAST token mechanisms (XEP-0484) the client supports, strongest first.</summary>
    public static IReadOnlyList<string> TokenPreference { get; } = [HtSha256EndpMechanism.MechanismName, HtSha256NoneMechanism.MechanismName];

    /// <summary>
    /// The token mechanism to ask a FAST token for: the strongest offered that this connection
    /// can use (-ENDP needs the certificate binding), or <see langword="null"/>. As with
    /// passwords, a token is only handed to a verified server over TLS, and only bound when
    /// channel binding is required.
    /// </summary>
    public static string? SelectTokenMechanism(SaslSelectionContext context, IReadOnlyCollection<string> offered)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TokenPreference.FirstOrDefault(name => offered.Contains(name, StringComparer.Ordinal) && CreateToken(context, name, "", "") is not null);
    }

    /// <summary>The mechanism that logs in with <paramref name="token"/>, or null when it cannot be used here.</summary>
    public static SaslMechanism? CreateTokenMechanism(SaslSelectionContext context, FastToken token, IReadOnlyCollection<string> offered, string username)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(token);
        return offered.Contains(token.Mechanism, StringComparer.Ordinal) ? CreateToken(context, token.Mechanism, username, token.Token) : null;
    }

    private static SaslMechanism? CreateToken(SaslSelectionContext context, string name, string username, string token) => name switch
    {
        // Like PLAIN: a token proof relayed through an unverified server would log the relay in.
        _ when !(context.IsTlsProtected && context.IsServerAuthenticated) => null,
        HtSha256NoneMechanism.MechanismName when !context.RequireChannelBinding => new HtSha256NoneMechanism(username, token),
        HtSha256EndpMechanism.MechanismName when context.ChannelBindings.FirstOrDefault(b => b.Type == ChannelBinding.TlsServerEndPointType) is { } endPoint
            => new HtSha256EndpMechanism(username, token, endPoint),
        _ => null,
    };

    /// <summary>Chooses and creates the mechanism to use (classic SASL or SASL2 alike).</summary>
    /// <param name="context">The offer and the connection's security.</param>
    /// <param name="username">The authentication identity.</param>
    /// <param name="password">The password.</param>
    /// <exception cref="XmppAuthenticationException">No offered mechanism is acceptable.</exception>
    public static SaslMechanism Select(SaslSelectionContext context, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyCollection<string> offered = context.Advertisement.Mechanisms;
        ChannelBinding? binding = UsableBinding(context);
        int floor = context.MinimumMechanism is { } minimum && Rank(minimum) is int rank and >= 0 ? rank : Preference.Count - 1;
        bool serverOffersPlus = offered.Any(IsPlus);
        var skipped = new List<string>();

        for (int i = 0; i <= floor; i++)
        {
            string name = Preference[i];
            if (!offered.Contains(name, StringComparer.Ordinal))
                continue;
            if (IsPlus(name) && binding is null)
            {
                skipped.Add($"{name} ({NoBindingReason(context)})");
                continue;
            }
            if (!IsPlus(name) && context.RequireChannelBinding)
            {
                skipped.Add($"{name} (channel binding is required)");
                continue;
            }
            // RFC 6120 §13.8 / RFC 4616 §6: PLAIN hands over the password itself, so only inside
            // TLS and only to a server whose certificate was verified.
            if (name == "PLAIN" && !(context.IsTlsProtected && context.IsServerAuthenticated))
            {
                skipped.Add(context.IsTlsProtected ? "PLAIN (the server's certificate is not verified)" : "PLAIN (no TLS)");
                continue;
            }
            SaslMechanism mechanism = Create(name, username, password, binding);
            if (mechanism is ScramMechanism scram)
            {
                // RFC 5802 §6: "y" = we could bind, but the server offered no -PLUS at all.
                scram.ClientSupportsChannelBinding = !IsPlus(name) && context.ChannelBindings.Count > 0 && !serverOffersPlus;
                scram.Advertisement = context.Advertisement;
            }
            return mechanism;
        }

        string list = offered.Count == 0 ? "none" : string.Join(", ", offered);
        if (context.MinimumMechanism is not null && offered.Any(m => Rank(m) > floor))
            skipped.Add($"everything weaker than {context.MinimumMechanism}, {context.MinimumMechanismReason ?? "the floor set for this account"}");
        string why = skipped.Count == 0 ? "" : $"; refused: {string.Join(", ", skipped)}";
        throw new XmppAuthenticationException("no-acceptable-mechanism", null,
            $"no acceptable authentication mechanism: the server offers {list}{why}");
    }

    /// <summary>The position of <paramref name="mechanism"/> in <see cref="Preference"/> (0 = strongest), or -1.</summary>
    public static int Rank(string mechanism)
    {
        for (int i = 0; i < Preference.Count; i++)
        {
            if (Preference[i] == mechanism)
                return i;
        }
        return -1;
    }

    private static bool IsPlus(string name) => name.EndsWith("-PLUS", StringComparison.Ordinal);

    private static ChannelBinding? UsableBinding(SaslSelectionContext context)
    {
        // XEP-0440 §3: when the server lists its types, bind only with one it listed.
        if (context.Advertisement.ChannelBindingTypes is { } types)
            return context.ChannelBindings.FirstOrDefault(b => types.Contains(b.Type, StringComparer.Ordinal));
        // Otherwise the server expects the default type, and SCRAM offers no way to ask which.
        string expected = DefaultBindingType(context.TlsProtocol);
        return context.ChannelBindings.FirstOrDefault(b => b.Type == expected);
    }

    // RFC 5802 §6.1: tls-unique is the default; RFC 9266 §4: over TLS 1.3 it is tls-exporter.
    private static string DefaultBindingType(SslProtocols protocol) =>
        protocol == SslProtocols.Tls13 ? ChannelBinding.TlsExporterType : ChannelBinding.TlsUniqueType;

    private static string NoBindingReason(SaslSelectionContext context)
    {
        if (context.ChannelBindings.Count == 0)
            return "no TLS channel to bind";
        if (context.Advertisement.ChannelBindingTypes is { } types)
            return $"the server binds with {(types.Count == 0 ? "no type" : string.Join(", ", types))}; this client with {string.Join(", ", context.ChannelBindings.Select(b => b.Type))}";
        string expected = DefaultBindingType(context.TlsProtocol);
        return expected == ChannelBinding.TlsExporterType
            ? "the server names no channel-binding type (XEP-0440), so over TLS 1.3 it expects tls-exporter, which .NET cannot compute"
            : $"the server names no channel-binding type (XEP-0440), so it expects {expected}, which this connection lacks";
    }

    private static SaslMechanism Create(string name, string username, string password, ChannelBinding? binding) => name switch
    {
        "SCRAM-SHA-512-PLUS" => new ScramSha512PlusMechanism(username, password, binding!),
        "SCRAM-SHA-256-PLUS" => new ScramSha256PlusMechanism(username, password, binding!),
        "SCRAM-SHA-1-PLUS" => new ScramSha1PlusMechanism(username, password, binding!),
        "SCRAM-SHA-512" => new ScramSha512Mechanism(username, password),
        "SCRAM-SHA-256" => new ScramSha256Mechanism(username, password),
        "SCRAM-SHA-1" => new ScramSha1Mechanism(username, password),
        "PLAIN" => new PlainMechanism(username, password),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
