using System.Text;
using XSend.Xmpp.Sasl;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is a server-first-message, a newline, and a server-final-message (RFC 5802 §7), as
/// the SCRAM mechanisms parse them. The client's side is fixed: user "user", password "pencil" and
/// the client nonces of the RFC 5802 (SCRAM-SHA-1) and RFC 7677 (SCRAM-SHA-256) examples, so the
/// RFC exchanges are valid seeds that reach the signature check. Both mechanisms see every input;
/// a foreign nonce is refused before any PBKDF2 work.
/// </summary>
internal static class ScramTarget
{
    public const string Sha1ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    public const string Sha256ClientNonce = "rOprNGfwEbeRWgbNEkqO";

    public static string Run(byte[] input)
    {
        int newline = Array.IndexOf(input, (byte)'\n');
        byte[] serverFirst = newline < 0 ? input : input[..newline];
        byte[]? serverFinal = newline < 0 ? null : input[(newline + 1)..];

        string sha1 = RunOne(new ScramSha1Mechanism("user", "pencil", Sha1ClientNonce), serverFirst, serverFinal);
        string sha256 = RunOne(new ScramSha256Mechanism("user", "pencil", Sha256ClientNonce), serverFirst, serverFinal);
        return $"SCRAM-SHA-1 {sha1}, SCRAM-SHA-256 {sha256}";
    }

    private static string RunOne(ScramMechanism mechanism, byte[] serverFirst, byte[]? serverFinal)
    {
        // XEP-0474: with an advertisement set, an 'h' attribute is checked against it.
        mechanism.Advertisement = new SaslAdvertisement(["SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN"], []);
        mechanism.GetInitialResponse();
        try
        {
            byte[] clientFinal = mechanism.EvaluateChallenge(serverFirst);
            if (serverFinal is null)
                return $"answered ({clientFinal.Length} bytes)";
            mechanism.VerifySuccess(serverFinal);
            return "verified the server";
        }
        catch (Xmpp.Errors.XmppAuthenticationException ex)
        {
            // Both mechanisms see every input, so one refusing is the normal case: report it and go on.
            return $"refused ({ex.Condition})";
        }
    }
}
