using System.Text;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Sasl;

/// <summary>The published SCRAM test vectors, byte for byte.</summary>
public class ScramVectorTests
{
    [Fact]
    public void ScramSha1_matches_rfc5802_section5()
    {
        var scram = new ScramSha1Mechanism("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");

        Assert.Equal("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", Text(scram.GetInitialResponse()));
        byte[] clientFinal = scram.EvaluateChallenge(Bytes("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        Assert.Equal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", Text(clientFinal));
        scram.VerifySuccess(Bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="));
    }

    [Fact]
    public void ScramSha256_matches_rfc7677_section3()
    {
        var scram = new ScramSha256Mechanism("user", "pencil", "rOprNGfwEbeRWgbNEkqO");

        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", Text(scram.GetInitialResponse()));
        byte[] clientFinal = scram.EvaluateChallenge(Bytes(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        Assert.Equal(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            Text(clientFinal));
        scram.VerifySuccess(Bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    [Fact]
    public void Server_final_message_may_arrive_as_a_challenge()
    {
        // RFC 6120 §6.4.6: some servers send v= in a <challenge/> and an empty <success/>.
        var scram = new ScramSha1Mechanism("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        scram.GetInitialResponse();
        scram.EvaluateChallenge(Bytes("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));

        Assert.Empty(scram.EvaluateChallenge(Bytes("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")));
        scram.VerifySuccess([]);
    }

    internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
