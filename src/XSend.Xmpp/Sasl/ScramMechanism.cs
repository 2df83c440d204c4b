using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Sasl;

/// <summary>
/// The Salted Challenge Response Authentication Mechanism (RFC 5802), parameterised by hash.
/// Verifies the server's signature, so a server that does not know the password is caught.
/// </summary>
public abstract class ScramMechanism : SaslMechanism
{
    // RFC 7677 §4: the iteration count SHOULD be at least 4096. The upper bound keeps a hostile
    // server from making PBKDF2 (which cannot be cancelled) outlast the overall deadline.
    internal const int MinIterations = 4096;
    internal const int MaxIterations = 1_000_000;

    private readonly HashAlgorithmName _hash;
    private readonly ChannelBinding? _binding;
    private readonly string _username;
    private readonly string _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private State _state;

    private enum State
    {
        Initial,
        SentClientFirst,
        SentClientFinal,
        ServerVerified,
    }

    /// <summary>Creates the mechanism.</summary>
    /// <param name="name">The mechanism name.</param>
    /// <param name="hash">The hash function.</param>
    /// <param name="username">The authentication identity (the JID's localpart).</param>
    /// <param name="password">The password.</param>
    /// <param name="clientNonce">A fixed nonce for test vectors; <see langword="null"/> for a random one.</param>
    /// <param name="binding">The channel binding, for the -PLUS variants.</param>
    private protected ScramMechanism(string name, HashAlgorithmName hash, string username, string password, string? clientNonce,
        ChannelBinding? binding = null)
    {
        Name = name;
        _hash = hash;
        _binding = binding;
        _username = username;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>
    /// For a mechanism without channel binding: whether this client could bind but the server
    /// offered no -PLUS mechanism. The gs2 flag is then "y" (RFC 5802 §6), so a server that does
    /// support binding sees that its -PLUS offer was stripped on the way and fails the login.
    /// </summary>
    public bool ClientSupportsChannelBinding { get; set; }

    /// <summary>
    /// What the server advertised. When set and the server-first-message carries XEP-0474's
    /// "h" attribute, the hash must match, or an attacker changed the offer.
    /// </summary>
    public SaslAdvertisement? Advertisement { get; set; }

    /// <summary>The channel-binding type this mechanism binds with (the -PLUS variants), or <see langword="null"/>.</summary>
    public string? ChannelBindingType => _binding?.Type;

    /// <summary>Whether the server proved, by XEP-0474, that the advertised lists were not tampered with.</summary>
    public bool DowngradeProtectionVerified { get; private set; }

    // RFC 5802 §7: gs2-header = cbind-flag "," [authzid] ","; no authzid here.
    private string Gs2Header => _binding is not null ? $"p={_binding.Type},," : ClientSupportsChannelBinding ? "y,," : "n,,";

    /// <inheritdoc/>
    public override byte[] GetInitialResponse()
    {
        _clientFirstBare = $"n={EscapeUsername(SaslPrep.Prepare(_username))},r={_clientNonce}";
        _state = State.SentClientFirst;
        return Encoding.UTF8.GetBytes(Gs2Header + _clientFirstBare);
    }

    /// <inheritdoc/>
    public override byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge)
    {
        switch (_state)
        {
            case State.SentClientFirst:
                return ComputeClientFinal(Encoding.UTF8.GetString(challenge));
            case State.SentClientFinal:
                // RFC 6120 §6.4.6 allows the server-final-message in a <challenge/>; the response is empty.
                VerifyServerFinal(Encoding.UTF8.GetString(challenge));
                return [];
            default:
                throw Invalid("the server sent a challenge out of turn");
        }
    }

    /// <inheritdoc/>
    public override void VerifySuccess(ReadOnlySpan<byte> additionalData)
    {
        if (!additionalData.IsEmpty)
        {
            if (_state != State.SentClientFinal)
                throw Invalid("the server sent success data out of turn");
            VerifyServerFinal(Encoding.UTF8.GetString(additionalData));
        }
        if (_state != State.ServerVerified)
        {
            throw new XmppAuthenticationException("server-signature-mismatch", null,
                "authentication failed: the server reported success without proving it knows the password");
        }
    }

    private byte[] ComputeClientFinal(string serverFirst)
    {
        Dictionary<char, string> attributes = ParseAttributes(serverFirst);
        if (attributes.ContainsKey('m'))
            throw Invalid("the server requires an unsupported SCRAM extension");
        if (!attributes.TryGetValue('r', out string? nonce) || !attributes.TryGetValue('s', out string? saltText)
            || !attributes.TryGetValue('i', out string? iterationText))
        {
            throw Invalid("the server-first-message lacks r, s or i");
        }
        VerifyDowngradeProtection(attributes);
        // RFC 5802 §5.1: the server's nonce must extend ours, or this is not our conversation.
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length)
            throw Invalid("the server's nonce does not extend the client's");

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw Invalid("the salt is not base64");
        }
        if (!int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
            || iterations < MinIterations || iterations > MaxIterations)
        {
            throw Invalid($"the iteration count '{PrintableText.Sanitize(iterationText)}' is outside {MinIterations}-{MaxIterations}");
        }

        int hashLength = HashLength();
        byte[] saltedPassword = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(SaslPrep.Prepare(_password)), salt, iterations, _hash, hashLength);
        byte[] clientKey = Hmac(saltedPassword, "Client Key"u8);
        byte[] storedKey = CryptographicOperations.HashData(_hash, clientKey);

        // RFC 5802 §7: c = base64(gs2-header [ channel-binding data ]).
        byte[] gs2 = Encoding.ASCII.GetBytes(Gs2Header);
        byte[] cbindInput = _binding is null ? gs2 : [.. gs2, .. _binding.Data];
        string clientFinalWithoutProof = $"c={Convert.ToBase64String(cbindInput)},r={nonce}";
        byte[] authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{clientFinalWithoutProof}");

        byte[] clientSignature = Hmac(storedKey, authMessage);
        byte[] proof = new byte[hashLength];
        for (int i = 0; i < hashLength; i++)
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);

        byte[] serverKey = Hmac(saltedPassword, "Server Key"u8);
        _expectedServerSignature = Hmac(serverKey, authMessage);
        CryptographicOperations.ZeroMemory(saltedPassword);
        CryptographicOperations.ZeroMemory(clientKey);

        _state = State.SentClientFinal;
        return Encoding.UTF8.GetBytes($"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}");
    }

    private void VerifyDowngradeProtection(Dictionary<char, string> serverFirst)
    {
        // XEP-0474 §5: the server hashes what it advertised; a mismatch means the offer we saw was altered.
        if (Advertisement is null || !serverFirst.TryGetValue('h', out string? claimed))
            return;
        string expected = Convert.ToBase64String(CryptographicOperations.HashData(_hash, Advertisement.DowngradeProtectionInput()));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claimed), Encoding.ASCII.GetBytes(expected)))
        {
            throw new XmppAuthenticationException("downgrade-detected", null,
                "authentication aborted: the server's list of mechanisms and channel bindings (XEP-0474) does not match "
                + "what this connection was offered; someone may be tampering with it");
        }
        DowngradeProtectionVerified = true;
    }

    private void VerifyServerFinal(string serverFinal)
    {
        Dictionary<char, string> attributes = ParseAttributes(serverFinal);
        if (attributes.TryGetValue('e', out string? serverError))
        {
            // RFC 5802 §7: server-error-value is the server's word; it is printed, so make it safe.
            serverError = PrintableText.Sanitize(serverError);
            throw new XmppAuthenticationException("scram-error", serverError, $"authentication failed: {serverError}");
        }
        if (!attributes.TryGetValue('v', out string? verifier))
            throw Invalid("the server-final-message lacks a verifier");

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(verifier);
        }
        catch (FormatException)
        {
            throw Invalid("the server signature is not base64");
        }
        // RFC 5802 §9: the server proves knowledge of the password; compare in constant time.
        if (_expectedServerSignature is null || !CryptographicOperations.FixedTimeEquals(signature, _expectedServerSignature))
        {
            throw new XmppAuthenticationException("server-signature-mismatch", null,
                "authentication failed: the server's SCRAM signature is wrong (is this the real server?)");
        }
        _state = State.ServerVerified;
    }

    private int HashLength() => _hash.Name switch
    {
        "SHA1" => 20,
        "SHA256" => 32,
        "SHA512" => 64,
        _ => throw new NotSupportedException(_hash.Name),
    };

    private byte[] Hmac(byte[] key, ReadOnlySpan<byte> data) => CryptographicOperations.HmacData(_hash, key, data);

    // RFC 5802 §5.1: ',' and '=' in a user name are escaped as =2C and =3D.
    private static string EscapeUsername(string username) => username.Replace("=", "=3D").Replace(",", "=2C");

    private static Dictionary<char, string> ParseAttributes(string message)
    {
        var attributes = new Dictionary<char, string>();
        foreach (string part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsAsciiLetter(part[0]) || !attributes.TryAdd(part[0], part[2..]))
                throw Invalid($"malformed SCRAM message attribute '{PrintableText.Sanitize(part)}'");
        }
        return attributes;
    }

    private static XmppAuthenticationException Invalid(string reason) =>
        new("invalid-challenge", null, $"authentication failed: {reason}");
}
