using System.Security.Cryptography;
using XSend.Tests.Fakes;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;
using static XSend.Tests.Sasl.ScramVectorTests;

namespace XSend.Tests.Sasl;

/// <summary>How the SCRAM client treats servers that cannot prove themselves or send nonsense.</summary>
public class ScramMechanismTests
{
    private const string Nonce = "fyko+d2lbbFgONRv9qkxdawL";
    private const string ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";

    private static ScramSha1Mechanism Started()
    {
        var scram = new ScramSha1Mechanism("user", "pencil", Nonce);
        scram.GetInitialResponse();
        return scram;
    }

    [Fact]
    public void Wrong_server_signature_is_rejected()
    {
        ScramSha1Mechanism scram = Started();
        scram.EvaluateChallenge(Bytes(ServerFirst));

        var error = Assert.Throws<XmppAuthenticationException>(() => scram.VerifySuccess(Bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        Assert.Equal("server-signature-mismatch", error.Condition);
    }

    [Fact]
    public void Success_without_a_server_signature_is_rejected()
    {
        ScramSha1Mechanism scram = Started();
        scram.EvaluateChallenge(Bytes(ServerFirst));

        var error = Assert.Throws<XmppAuthenticationException>(() => scram.VerifySuccess([]));
        Assert.Equal("server-signature-mismatch", error.Condition);
    }

    [Theory]
    [InlineData("r=someoneelse123,s=QSXCR+Q6sek8bf92,i=4096", "nonce")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096", "nonce")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLxyz,s=QSXCR+Q6sek8bf92,i=1", "iteration")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLxyz,s=QSXCR+Q6sek8bf92,i=2000000000", "iteration")]
    [InlineData("r=fyko+d2lbbFgONRv9qkxdawLxyz,s=!!!,i=4096", "salt")]
    [InlineData("m=ext,r=fyko+d2lbbFgONRv9qkxdawLxyz,s=QSXCR+Q6sek8bf92,i=4096", "extension")]
    [InlineData("garbage", "malformed")]
    public void Hostile_server_first_messages_are_rejected(string serverFirst, string reason)
    {
        var error = Assert.Throws<XmppAuthenticationException>(() => Started().EvaluateChallenge(Bytes(serverFirst)));
        Assert.Equal("invalid-challenge", error.Condition);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Server_error_attribute_is_reported_with_its_text()
    {
        ScramSha1Mechanism scram = Started();
        scram.EvaluateChallenge(Bytes(ServerFirst));

        var error = Assert.Throws<XmppAuthenticationException>(() => scram.VerifySuccess(Bytes("e=invalid-proof")));
        Assert.Equal("invalid-proof", error.Text);
    }

    [Theory]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public void Each_hash_interoperates_with_an_independent_server(string name)
    {
        HashAlgorithmName hash = name switch
        {
            "SCRAM-SHA-1" => HashAlgorithmName.SHA1,
            "SCRAM-SHA-256" => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA512,
        };
        var server = new ScramServer(name, hash, "pässwörd 報警");
        SaslMechanism client = SaslMechanismRanking.Select(SaslMechanismRankingTests.Context([name], tls: false), "al,i=ce", "pässwörd 報警");

        string serverFirst = server.ReceiveClientFirst(Convert.ToBase64String(client.GetInitialResponse()));
        string clientFinal = Convert.ToBase64String(client.EvaluateChallenge(Convert.FromBase64String(serverFirst)));
        string serverFinal = server.ReceiveClientFinal(clientFinal);
        client.VerifySuccess(Convert.FromBase64String(serverFinal));

        Assert.Equal(name, client.Name);
        Assert.Equal("al=2Ci=3Dce", server.Username); // RFC 5802 §5.1 escaping
    }
}
