using System.Security.Cryptography;
using System.Text;

namespace XSend.Tests.Fakes;

/// <summary>
/// The server side of SCRAM (RFC 5802), written independently of the client so the two check
/// each other. Throws if the client's proof is wrong.
/// </summary>
internal sealed class ScramServer(string mechanism, HashAlgorithmName hash, string password, int iterations = 4096)
{
    /// <summary>The gs2 header the client must send ("n,,", "y,," or "p=TYPE,,"); by default "n,," or "y,,".</summary>
    public string? ExpectedGs2Header { get; init; }

    /// <summary>The gs2 header the client sent.</summary>
    public string Gs2Header { get; private set; } = "";

    /// <summary>The channel-binding data the client must bind with (for -PLUS); settable once the TLS handshake has produced it.</summary>
    public byte[] ChannelBindingData { get; set; } = [];

    /// <summary>A XEP-0474 "h" attribute to add to the server-first-message.</summary>
    public string? DowngradeHash { get; init; }

    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";

    public string Mechanism => mechanism;

    public string? Username { get; private set; }

    /// <summary>Takes the base64 client-first-message; returns the base64 server-first-message.</summary>
    public string ReceiveClientFirst(string base64)
    {
        string clientFirst = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        Gs2Header = clientFirst[..(clientFirst.IndexOf(',', clientFirst.IndexOf(',') + 1) + 1)];
        if (ExpectedGs2Header is null)
            Assert.Contains(Gs2Header, new[] { "n,,", "y,," });
        else
            Assert.Equal(ExpectedGs2Header, Gs2Header);
        _clientFirstBare = clientFirst[Gs2Header.Length..];
        string[] parts = _clientFirstBare.Split(',');
        Username = parts[0][2..];
        _nonce = parts[1][2..] + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={iterations}" + (DowngradeHash is null ? "" : $",h={DowngradeHash}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(_serverFirst));
    }

    /// <summary>Takes the base64 client-final-message; returns the base64 server-final-message.</summary>
    public string ReceiveClientFinal(string base64)
    {
        string clientFinal = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        int proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        string withoutProof = clientFinal[..proofAt];
        byte[] proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        // RFC 5802 §7: c = base64(gs2-header + channel-binding data).
        string cbind = Convert.ToBase64String([.. Encoding.ASCII.GetBytes(Gs2Header), .. ChannelBindingData]);
        Assert.Equal($"c={cbind},r={_nonce}", withoutProof);

        int length = CryptographicOperations.HashData(hash, []).Length;
        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), _salt, iterations, hash, length);
        byte[] authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        byte[] storedKey = CryptographicOperations.HashData(hash, CryptographicOperations.HmacData(hash, salted, "Client Key"u8));
        byte[] signature = CryptographicOperations.HmacData(hash, storedKey, authMessage);
        byte[] clientKey = proof.Zip(signature, (p, s) => (byte)(p ^ s)).ToArray();
        if (!CryptographicOperations.HashData(hash, clientKey).SequenceEqual(storedKey))
            throw new InvalidOperationException("the client's SCRAM proof is wrong");

        byte[] serverKey = CryptographicOperations.HmacData(hash, salted, "Server Key"u8);
        string serverFinal = "v=" + Convert.ToBase64String(CryptographicOperations.HmacData(hash, serverKey, authMessage));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(serverFinal));
    }
}
