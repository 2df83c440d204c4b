using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

    private string TokenFile => Path.Combine(_cli.Home, ".local", "state", "xsend", "fast-tokens.json");

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
    private static FakeXmppServer PasswordLogin(string token = Token) => new(async s =>
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
        string issued = asked == 0 ? $"<token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{token}'/>" : "";
        await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{scram.ReceiveClientFinal(s.Captures["clientFinal"])}</additional-data>{Bound}{issued}</success>");
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
        byte[] bytes = File.ReadAllBytes(TokenFile);
        Assert.NotEqual((byte)0xEF, bytes[0]); // no byte order mark
        using (var json = JsonDocument.Parse(bytes))
        {
            JsonElement stored = json.RootElement.GetProperty("accounts").GetProperty("alice@xsend.test").GetProperty(firstAgent);
            Assert.Equal("HT-SHA-256-NONE", stored.GetProperty("mechanism").GetString());
            Assert.Equal(Token, stored.GetProperty("token").GetString());
            Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), stored.GetProperty("expiry").GetDateTimeOffset());
        }
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

    [Fact]
    public async Task A_token_with_a_newline_is_refused_and_never_splits_into_records()
    {
        // Issue #12 item 5: a token value carrying "&#10;" used to become extra records of the
        // line-based file, one of them an attacker-chosen token for another account.
        const string Smuggled = "abc&#10;bob@xsend.test HT-SHA-256-NONE 2099-01-01T00:00:00Z attacker-token";
        await using var server = PasswordLogin(Smuggled);

        CliResult result = await SendAsync(server, "-v");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains("ignoring a malformed FAST token from the server", result.Stderr);
        Assert.False(File.Exists(TokenFile));
    }

    [Fact]
    public void A_stored_token_outside_the_syntax_is_not_used()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(TokenFile)!);
        var agent = Guid.NewGuid();
        // JSON's "\n" escape: valid JSON, but not a token.
        File.WriteAllText(TokenFile, "{ \"accounts\": { \"alice@xsend.test\": { \"" + agent
            + "\": { \"mechanism\": \"HT-SHA-256-NONE\", \"token\": \"a\\nb\", \"expiry\": \"2099-01-01T00:00:00Z\" } } } }");
        var stderr = new StringWriter();

        var store = new XSend.Cli.State.FastTokenStore(TokenFile, agent, stderr);

        Assert.Null(store.Load(XSend.Xmpp.Jid.Parse("alice@xsend.test")));
        Assert.Contains("ignoring a malformed FAST token for alice@xsend.test", stderr.ToString());
        Assert.Throws<ArgumentException>(() => store.Save(XSend.Xmpp.Jid.Parse("alice@xsend.test"),
            new XSend.Xmpp.Sasl.FastToken("HT-SHA-256-NONE", "a b", DateTimeOffset.MaxValue)));
    }

    [Fact]
    public void Each_user_agent_of_an_account_keeps_its_own_token_and_a_corrupt_file_is_a_warning()
    {
        var alice = XSend.Xmpp.Jid.Parse("alice@xsend.test");
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var expiry = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        new XSend.Cli.State.FastTokenStore(TokenFile, first, TextWriter.Null).Save(alice, new("HT-SHA-256-NONE", "token-one", expiry));
        new XSend.Cli.State.FastTokenStore(TokenFile, second, TextWriter.Null).Save(alice, new("HT-SHA-256-ENDP", "token-two", expiry));

        Assert.Equal("token-one", new XSend.Cli.State.FastTokenStore(TokenFile, first, TextWriter.Null).Load(alice)?.Token);
        Assert.Equal("token-two", new XSend.Cli.State.FastTokenStore(TokenFile, second, TextWriter.Null).Load(alice)?.Token);
        new XSend.Cli.State.FastTokenStore(TokenFile, first, TextWriter.Null).Save(alice, null);
        Assert.Null(new XSend.Cli.State.FastTokenStore(TokenFile, first, TextWriter.Null).Load(alice));
        Assert.Equal("token-two", new XSend.Cli.State.FastTokenStore(TokenFile, second, TextWriter.Null).Load(alice)?.Token);

        File.WriteAllText(TokenFile, "alice@xsend.test HT-SHA-256-NONE 2099-01-01T00:00:00Z old-line-format");
        var stderr = new StringWriter();
        Assert.Null(new XSend.Cli.State.FastTokenStore(TokenFile, first, stderr).Load(alice));
        Assert.Contains("is not valid xsend state", stderr.ToString());
    }

    [Fact]
    public async Task A_refused_token_then_a_refused_password_on_the_same_stream_logs_in_on_a_fresh_connection()
    {
        // Issue #11 item 6: mod_sasl2_fast answers the password attempt after a refused token with
        // invalid-mechanism; that used to exit 77 and lose the alert.
        var alice = XSend.Xmpp.Jid.Parse("alice@xsend.test");
        Directory.CreateDirectory(Path.GetDirectoryName(TokenFile)!);
        Guid agent = XSend.Cli.State.InstallationId.For(alice);
        new XSend.Cli.State.FastTokenStore(TokenFile, agent, TextWriter.Null)
            .Save(alice, new("HT-SHA-256-NONE", "revoked-token", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var scram = new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, Password);
        await using var server = new FakeXmppServer(async s =>
        {
            await SecureAsync(s);
            int kind = await s.ExpectOneOfAsync(
                "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'>*</authenticate>",
                "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>{clientFirst}</initial-response>*</authenticate>");
            if (kind == 0)
            {
                await s.SendAsync("<failure xmlns='urn:xmpp:sasl:2'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></failure>");
                await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'>*</authenticate>");
                await s.SendAsync("<failure xmlns='urn:xmpp:sasl:2'><invalid-mechanism xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></failure>");
                await s.ExpectAsync("</stream:stream>");
                return;
            }
            await s.SendAsync($"<challenge xmlns='urn:xmpp:sasl:2'>{scram.ReceiveClientFirst(s.Captures["clientFirst"])}</challenge>");
            await s.ExpectAsync("<response xmlns='urn:xmpp:sasl:2'>{clientFinal}</response>");
            await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{scram.ReceiveClientFinal(s.Captures["clientFinal"])}</additional-data>{Bound}</success>");
            await DeliverAsync(s);
        });

        CliResult result = await SendAsync(server, "-v");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Equal(2, server.Connections);
        Assert.Contains("the server refused the stored FAST token (not-authorized) and then the password on the same stream (invalid-mechanism)", result.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with SCRAM-SHA-256", result.Stderr);
        Assert.Empty(_cli.QueuedAlerts);
    }
}
