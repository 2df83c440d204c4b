namespace XSend.Xmpp.Sasl;

/// <summary>A XEP-0484 (FAST) token the server issued, for one Hashed Token mechanism.</summary>
/// <param name="Mechanism">The mechanism it was issued for, for example <c>HT-SHA-256-NONE</c>.</param>
/// <param name="Token">The secret token.</param>
/// <param name="Expiry">When the server stops accepting it.</param>
public sealed record FastToken(string Mechanism, string Token, DateTimeOffset Expiry)
{
    /// <summary>Redacted: the token is a credential.</summary>
    public override string ToString() => $"FastToken {{ Mechanism = {Mechanism}, Expiry = {Expiry:O} }}";
}
