namespace XSend.Xmpp.Sasl;

/// <summary>A XEP-0484 (FAST) token the server issued, for one Hashed Token mechanism.</summary>
/// <param name="Mechanism">The mechanism it was issued for, for example <c>HT-SHA-256-NONE</c>.</param>
/// <param name="Token">The secret token.</param>
/// <param name="Expiry">When the server stops accepting it.</param>
public sealed record FastToken(string Mechanism, string Token, DateTimeOffset Expiry)
{
    /// <summary>The longest token accepted.</summary>
    public const int MaxTokenLength = 1024;

    /// <summary>Redacted: the token is a credential.</summary>
    public override string ToString() => $"FastToken {{ Mechanism = {Mechanism}, Expiry = {Expiry:O} }}";

    /// <summary>
    /// Whether <paramref name="token"/> is a token value xsend accepts: 1 to 1024 printable ASCII
    /// characters with no spaces. XEP-0484 tokens are opaque strings the server makes (Prosody's are
    /// "secret-token:fast-" plus random letters); a control character, a space or non-ASCII text is
    /// not a token but an attempt to smuggle something into the state file or the next login.
    /// </summary>
    public static bool IsValidSecret([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        token is { Length: > 0 and <= MaxTokenLength } && token.All(c => c is > ' ' and < '\u007f');

    /// <summary>Whether <paramref name="mechanism"/> names a Hashed Token mechanism (draft-schmaus-kitten-sasl-ht: HT-HASH-CB).</summary>
    public static bool IsValidMechanism(string? mechanism) =>
        mechanism is { Length: > 3 and <= 20 } && mechanism.StartsWith("HT-", StringComparison.Ordinal)
        && mechanism.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');
}
