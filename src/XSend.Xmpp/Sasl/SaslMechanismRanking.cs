using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Sasl;

/// <summary>
/// The one place that decides which SASL mechanism to use: the strongest one both sides
/// support, with PLAIN only inside TLS.
/// </summary>
public static class SaslMechanismRanking
{
    /// <summary>Mechanisms the client supports, strongest first.</summary>
    public static IReadOnlyList<string> Preference { get; } = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    /// <summary>Chooses and creates the mechanism to use.</summary>
    /// <param name="offered">The mechanisms the server offered.</param>
    /// <param name="isTlsProtected">Whether the stream is protected by TLS.</param>
    /// <param name="username">The authentication identity.</param>
    /// <param name="password">The password.</param>
    /// <exception cref="XmppAuthenticationException">No offered mechanism is acceptable.</exception>
    public static SaslMechanism Select(IReadOnlyCollection<string> offered, bool isTlsProtected, string username, string password)
    {
        foreach (string name in Preference)
        {
            if (!offered.Contains(name, StringComparer.Ordinal))
                continue;
            // RFC 6120 §13.8 / RFC 4616 §6: PLAIN sends the password in the clear, so only inside TLS.
            if (name == "PLAIN" && !isTlsProtected)
                continue;
            return Create(name, username, password);
        }

        string list = offered.Count == 0 ? "none" : string.Join(", ", offered);
        string hint = !isTlsProtected && offered.Contains("PLAIN") ? " (PLAIN is refused without TLS)" : "";
        throw new XmppAuthenticationException("no-acceptable-mechanism", null,
            $"no acceptable authentication mechanism: the server offers {list}{hint}");
    }

    private static SaslMechanism Create(string name, string username, string password) => name switch
    {
        "SCRAM-SHA-512" => new ScramSha512Mechanism(username, password),
        "SCRAM-SHA-256" => new ScramSha256Mechanism(username, password),
        "SCRAM-SHA-1" => new ScramSha1Mechanism(username, password),
        "PLAIN" => new PlainMechanism(username, password),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
