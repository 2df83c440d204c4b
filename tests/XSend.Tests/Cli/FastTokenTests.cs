using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// FAST (XEP-0484) through the CLI: the token a password login earns is kept in a 0600 state
/// file and the next run logs in with it in one round trip, as the same user agent; the
/// Security:FastTokens setting turns it off.
/// </summary>
public sealed class FastTokenTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private const string Token = "c2VjcmV0LWZhc3QtdG9rZW4tZm9yLXhzZW5k";
    private const string Features =
        "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>SCRAM-SHA-256</mechanism><inline>"
        + "<bind xmlns='urn:xmpp:bind:0'><inline><feature var='urn:xmpp:sm:3'/></inline></bind>"
        + "<fast xmlns='urn:xmpp:fast:0'><mechanism>HT-SHA-256-NONE</mechanism></fast></inline></authentication>";
    private const string Bound =
        "<authorization-identifier>alice@xsend.test/xsend.Q1</authorization-identifier><bound xmlns='urn:xmpp:bind:0'><enabled xmlns='urn:xmpp:sm:3'/></bound>";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string TokenFile => Path.Combine(_cli.Home, ".local", "state", "xsend", "fast-tokens");

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) =>
        _cli.SendAlertAsync(Password, ["--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath, "--timeout", "10", .. extra]);

    private static async Task SecureAsync(ScriptedServer s)
    {
        await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
        await s.StartTlsAsync(TestCertificates.Server);
        await s.OpenStreamAsync(Features);
    }

    private static async Task DeliverAsync(ScriptedServer s)
    {
        await s.ExpectAsync(Client.Conversation.MessagePattern);
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='0'/>");
        await s.ExpectAsync("</stream:stream>");
        await s.SendAsync("</stream:stream>");
    }

    /// <summary>A server that expects a SCRAM login over SASL2 and issues a token when asked for one.</summary>
    private static FakeXmppServer PasswordLogin() => new(async s =>
    {
        await SecureAsync(s);
        var scram = new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, Password);
        const string Authenticate = "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>{clientFirst}</initial-response>"
            + "<user-agent id='{agent}'><software>xsend</software></user-agent><bind *</bind>";
        int asked = await s.ExpectOneOfAsync(
            Authenticate + "<request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/></authenticate>",
            Authenticate + "</authenticate>");
        await s.SendAsync($"<challenge xmlns='urn:xmpp:sasl:2'>{scram.ReceiveClientFirst(s.Captures["clientFirst"])}</challenge>");
        await s.ExpectAsync("<response xmlns='urn:xmpp:sasl:2'>{clientFinal}</response>");
        string token = asked == 0 ? $"<token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{Token}'/>" : "";
        await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{scram.ReceiveClientFinal(s.Captures["clientFinal"])}</additional-data>{Bound}{token}</success>");
        await DeliverAsync(s);
    });

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_token_from_one_run_logs_in_the_next_as_the_same_user_agent()
    {
        string firstAgent;
        await using (var first = PasswordLogin())
        {
            CliResult ok = await SendAsync(first, "--debug");
            Assert.True(ok.ExitCode == 0, ok.Stderr + first.ScriptFailure);
            // --debug shows the SASL2 exchange but neither its payloads nor the issued token.
            Assert.Contains("<initial-response>[redacted]</initial-response>", ok.Stderr);
            Assert.Contains("<additional-data>[redacted]</additional-data>", ok.Stderr);
            Assert.DoesNotContain(Token, ok.Stderr);
            Assert.DoesNotContain(first.Conversation!.Captures["clientFinal"], ok.Stderr);
            firstAgent = first.Conversation!.Captures["agent"];
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile));
        Assert.Contains($"alice@xsend.test HT-SHA-256-NONE 2099-01-01T00:00:00Z {Token}", File.ReadAllLines(TokenFile));
        Assert.True(Guid.TryParse(firstAgent, out Guid agent) && agent.Version == 4, firstAgent);

        await using var second = new FakeXmppServer(async s =>
        {
            await SecureAsync(s);
            await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'><initial-response>{ht}</initial-response>"
                + $"<user-agent id='{firstAgent}'><software>xsend</software></user-agent><bind *</bind><fast xmlns='urn:xmpp:fast:0'/></authenticate>");
            byte[] key = Encoding.UTF8.GetBytes(Token);
            byte[] initiator = HMACSHA256.HashData(key, "Initiator"u8.ToArray());
            Assert.Equal(Convert.ToBase64String([.. "alice\0"u8, .. initiator]), s.Captures["ht"]);
            string responder = Convert.ToBase64String(HMACSHA256.HashData(key, "Responder"u8.ToArray()));
            await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{responder}</additional-data>{Bound}</success>");
            await DeliverAsync(s);
        });
        CliResult fast = await SendAsync(second, "-v", "--debug");

        Assert.True(fast.ExitCode == 0, fast.Stderr + second.ScriptFailure);
        Assert.DoesNotContain(second.Conversation!.Captures["ht"], fast.Stderr); // the token's HMAC proof
        Assert.DoesNotContain(Token, fast.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with HT-SHA-256-NONE", fast.Stderr);
        Assert.Contains("bound as alice@xsend.test/xsend.Q1 (Bind2)", fast.Stderr);
    }

    [Fact]
    public async Task Fast_tokens_can_be_turned_off()
    {
        string config = _cli.WriteFile("config.json", """{ "Security": { "FastTokens": false } }""");
        await using var server = PasswordLogin();

        CliResult result = await SendAsync(server, "--config", config);

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.DoesNotContain("request-token", server.Conversation!.Transcript);
        Assert.False(File.Exists(TokenFile));
    }
}
