using XSend.Xmpp;
using XSend.Xmpp.Sasl;
using XSend.Xmpp.Tls;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is a server transcript (see <see cref="ScriptedTransport"/>) played to a whole
/// <see cref="XmppClient"/> over <see cref="XmppClient.ConnectAsync(Stream, CancellationToken)"/>
/// with TLS optional: open the stream, log in as user@xsend.test with "pencil", send an alert
/// with a receipt request and wait for the receipt, ask for the server's disco#info, read three
/// pushed messages (answering their receipt requests), and close. SCRAM uses the RFC 5802 and
/// RFC 7677 client nonces, so the RFC exchanges log in for real.
/// </summary>
internal static class ClientTarget
{
    private static readonly Jid Account = Jid.Parse("user@xsend.test");
    private static readonly Jid Recipient = Jid.Parse("bob@xsend.test");

    public static string Run(byte[] input) => RunAsync(input).GetAwaiter().GetResult();

    private static async Task<string> RunAsync(byte[] input)
    {
        var transport = new ScriptedTransport(input);
        var options = new XmppClientOptions
        {
            Tls = TlsRequirement.Optional,
            CloseTimeout = TimeSpan.FromMilliseconds(200),
            MechanismSelector = SelectWithFixedNonce,
            SendReceipts = true,
        };
        string reached = "connect";
        await using var client = new XmppClient(Account, options);
        try
        {
            // The transport never blocks; the bound only turns a livelock into a crash report.
            using var bound = new CancellationTokenSource(FuzzContract.TimeBound);
            await client.ConnectAsync(transport, bound.Token).ConfigureAwait(false);
            reached = "authenticate";
            await client.AuthenticateAsync("pencil", bound.Token).ConfigureAwait(false);
            reached = "send";
            string id = await client.SendMessageAsync(new OutgoingMessage(Recipient, "报警 disk full") { RequestReceipt = true }, bound.Token)
                .ConfigureAwait(false);
            reached = "receipt";
            await client.WaitForReceiptAsync(id, bound.Token).ConfigureAwait(false);
            reached = "disco";
            await client.DiscoverInfoAsync(null, bound.Token).ConfigureAwait(false);
            for (int i = 0; i < 3; i++)
            {
                reached = $"receive {i + 1}";
                await client.ReceiveMessageAsync(bound.Token).ConfigureAwait(false);
            }
            reached = "end";
        }
        finally
        {
            await client.DisconnectAsync().ConfigureAwait(false);
        }
        return $"{reached} after {transport.TurnsReleased} server turn(s)";
    }

    // The real ranking decides (and refuses); a SCRAM-SHA-1/256 choice gets the RFC example's nonce.
    private static SaslMechanism SelectWithFixedNonce(SaslSelectionContext context, string user, string password) =>
        SaslMechanismRanking.Select(context, user, password) switch
        {
            ScramSha1Mechanism => new ScramSha1Mechanism(user, password, ScramTarget.Sha1ClientNonce),
            ScramSha256Mechanism => new ScramSha256Mechanism(user, password, ScramTarget.Sha256ClientNonce),
            SaslMechanism other => other,
        };
}
