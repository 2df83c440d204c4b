using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Logging;
using XSend.Xmpp.Sasl;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Client;

/// <summary>
/// SASL2 (XEP-0388) with Bind2 (XEP-0386) and FAST (XEP-0484) against a scripted server:
/// login, binding and stream management without a stream restart, token login in one round
/// trip, and what happens when the server refuses or cannot prove itself.
/// </summary>
public class Sasl2ConversationTests
{
    private const string Password = "s3cret-Pa55";
    private const string Token = "WXZzciBwYmFmdmZnZiBqdmd1IGp2eXFhcmZm";
    private static readonly Guid Agent = Guid.Parse("d4565fa7-4d72-4749-b3d3-740edbf87770");

    private const string Bind2Offer =
        "<bind xmlns='urn:xmpp:bind:0'><inline><feature var='urn:xmpp:sm:3'/></inline></bind>";

    private static string Sasl2Features(string mechanisms, string inline = Bind2Offer) =>
        $"<authentication xmlns='urn:xmpp:sasl:2'>{mechanisms}<inline>{inline}</inline></authentication>";

    private static string FastOffer(string mechanism = "HT-SHA-256-NONE") =>
        $"<fast xmlns='urn:xmpp:fast:0'><mechanism>{mechanism}</mechanism></fast>";

    private const string BoundSuccessTail =
        "<authorization-identifier>alice@xsend.test/xsend.Xy7z</authorization-identifier>"
        + "<bound xmlns='urn:xmpp:bind:0'><enabled xmlns='urn:xmpp:sm:3'/></bound>";

    // Token expiry is judged by the client's clock, pinned here so no test depends on today's date.
    private static readonly DateTimeOffset Now = PinnedDateTimeProvider.DefaultStart;

    private static XmppClientOptions Options(IFastTokenStore? tokens = null, ProtocolLogger? log = null) => new()
    {
        TimeProvider = new PinnedDateTimeProvider(Now),
        TrustedCertificates = TestCertificates.TrustedCa,
        UserAgentId = Agent,
        FastTokens = tokens,
        ProtocolLogger = log,
    };

    private static async Task SecureSasl2Async(ScriptedServer s, string features)
    {
        await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
        await s.StartTlsAsync(TestCertificates.Server);
        await s.OpenStreamAsync(features);
    }

    /// <summary>SCRAM inside SASL2, checked by the independent server; returns after &lt;success/&gt; went out.</summary>
    private static async Task Sasl2ScramAsync(ScriptedServer s, string expectedExtras, string successTail)
    {
        var scram = new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, Password);
        await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>{clientFirst}</initial-response>"
            + $"<user-agent id='{Agent}'><software>xsend</software></user-agent>{expectedExtras}</authenticate>");
        string serverFirst = scram.ReceiveClientFirst(s.Captures["clientFirst"]);
        await s.SendAsync($"<challenge xmlns='urn:xmpp:sasl:2'>{serverFirst}</challenge>");
        await s.ExpectAsync("<response xmlns='urn:xmpp:sasl:2'>{clientFinal}</response>");
        string serverFinal = scram.ReceiveClientFinal(s.Captures["clientFinal"]);
        await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{serverFinal}</additional-data>{successTail}</success>");
    }

    private static async Task AckedMessageAsync(ScriptedServer s)
    {
        await s.ExpectAsync(MessagePattern);
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
    }

    private static Func<XmppClient, Task> LoginAndSend => async client =>
    {
        await client.AuthenticateAsync(Password);
        await client.SendMessageAsync(new OutgoingMessage(Bob, "disk full"));
    };

    // draft-ietf-kitten-sasl-ht §3: HMAC-SHA-256 keyed with the token over label || cb-data.
    private static byte[] Hmac(string label, byte[] binding)
    {
        byte[] message = [.. Encoding.ASCII.GetBytes(label), .. binding];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(Token), message);
    }

    private static int StreamHeaders(ScriptedServer server) => server.Transcript.Split("<stream:stream").Length - 1;

    [Fact]
    public async Task Sasl2_with_bind2_logs_in_binds_and_enables_acks_without_a_stream_restart()
    {
        XmppClient? seen = null;
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-1</mechanism><mechanism>SCRAM-SHA-256</mechanism>"));
            await Sasl2ScramAsync(s, "<bind xmlns='urn:xmpp:bind:0'><tag>xsend</tag><enable xmlns='urn:xmpp:sm:3'/></bind>", BoundSuccessTail);
            // Servers may follow with the post-login features; the client must not mind.
            await s.SendAsync("<stream:features><sm xmlns='urn:xmpp:sm:3'/></stream:features>");
            await AckedMessageAsync(s);
        }, async client => { seen = client; await LoginAndSend(client); }, Options());

        Assert.Null(error);
        Assert.Equal(2, StreamHeaders(server)); // the opening and the one after TLS: none after login
        Assert.DoesNotContain("urn:ietf:params:xml:ns:xmpp-bind", server.Transcript); // no RFC 6120 bind round trip
        Assert.True(seen!.UsedSasl2);
        Assert.Equal("alice@xsend.test/xsend.Xy7z", seen.BoundJid!.ToString());
        Assert.True(seen.IsStreamManagementEnabled);
        Assert.Equal("SCRAM-SHA-256", seen.Mechanism);
    }

    [Fact]
    public async Task Sasl2_without_bind2_binds_the_classic_way_after_the_new_features()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", inline: ""));
            await Sasl2ScramAsync(s, "", "<authorization-identifier>alice@xsend.test</authorization-identifier>");
            await s.SendAsync($"<stream:features>{SessionFeatures}</stream:features>", chunkSize: 7);
            await s.BindAsync();
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
            await AckedMessageAsync(s);
        }, LoginAndSend, Options());

        Assert.Null(error);
        Assert.Equal(2, StreamHeaders(server));
    }

    [Fact]
    public async Task A_sasl2_failure_carries_the_servers_condition_and_text()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>"));
            await s.ExpectAsync("<authenticate *</authenticate>");
            await s.SendAsync("<failure xmlns='urn:xmpp:sasl:2'><account-disabled xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><text>Suspended for spam</text></failure>");
        }, client => client.AuthenticateAsync(Password), Options());

        var failure = Assert.IsType<XmppAuthenticationException>(error);
        Assert.Equal("account-disabled", failure.Condition);
        Assert.Equal("authentication failed: account-disabled (Suspended for spam)", failure.Message);
    }

    [Fact]
    public async Task A_continue_asking_for_a_second_factor_is_aborted_with_a_clear_error()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>"));
            var scram = new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, Password);
            await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>{clientFirst}</initial-response>*</authenticate>");
            await s.SendAsync($"<challenge xmlns='urn:xmpp:sasl:2'>{scram.ReceiveClientFirst(s.Captures["clientFirst"])}</challenge>");
            await s.ExpectAsync("<response xmlns='urn:xmpp:sasl:2'>{clientFinal}</response>");
            string serverFinal = scram.ReceiveClientFinal(s.Captures["clientFinal"]);
            await s.SendAsync($"<continue xmlns='urn:xmpp:sasl:2'><additional-data>{serverFinal}</additional-data><tasks><task>HOTP-EXAMPLE</task></tasks></continue>");
            await s.ExpectAsync("<abort xmlns='urn:xmpp:sasl:2'/>");
        }, client => client.AuthenticateAsync(Password), Options());

        var failure = Assert.IsType<XmppAuthenticationException>(error);
        Assert.Equal("unsupported-task", failure.Condition);
        Assert.Contains("HOTP-EXAMPLE", failure.Message);
        Assert.Contains("<abort xmlns='urn:xmpp:sasl:2'/>", server.Transcript);
    }

    [Fact]
    public async Task A_password_login_asks_for_a_fast_token_and_keeps_it_out_of_the_log()
    {
        var tokens = new MemoryTokenStore();
        var log = new StringWriter();
        var (error, _) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", Bind2Offer + FastOffer()));
            await Sasl2ScramAsync(s,
                "<bind xmlns='urn:xmpp:bind:0'><tag>xsend</tag><enable xmlns='urn:xmpp:sm:3'/></bind><request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>",
                BoundSuccessTail + $"<token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{Token}'/>");
        }, client => client.AuthenticateAsync(Password), Options(tokens, new TextWriterProtocolLogger(log)));

        Assert.Null(error);
        FastToken stored = Assert.IsType<FastToken>(tokens.Load(Alice));
        Assert.Equal(new FastToken("HT-SHA-256-NONE", Token, new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)), stored);
        Assert.DoesNotContain(Token, log.ToString());
        Assert.DoesNotContain(Token, stored.ToString());
        Assert.Contains("token=\"[redacted]\"", log.ToString());
        Assert.Contains("<authorization-identifier>alice@xsend.test/xsend.Xy7z</authorization-identifier>", log.ToString());
    }

    [Theory]
    [InlineData("HT-SHA-256-NONE")]
    [InlineData("HT-SHA-256-ENDP")]
    public async Task A_stored_token_logs_in_in_one_round_trip_and_the_server_proves_itself(string mechanism)
    {
        var tokens = new MemoryTokenStore();
        tokens.Save(Alice, new FastToken(mechanism, Token, Now.AddDays(1)));
        // draft-ietf-kitten-sasl-ht §3: -ENDP binds the certificate hash (RFC 5929 §4.1).
        byte[] binding = mechanism.EndsWith("ENDP", StringComparison.Ordinal) ? SHA256.HashData(TestCertificates.Server.RawData) : [];
        XmppClient? seen = null;
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", Bind2Offer + FastOffer(mechanism)));
            await s.ExpectAsync($"<authenticate xmlns='urn:xmpp:sasl:2' mechanism='{mechanism}'><initial-response>{{ht}}</initial-response>"
                + $"<user-agent id='{Agent}'><software>xsend</software></user-agent>"
                + "<bind xmlns='urn:xmpp:bind:0'><tag>xsend</tag><enable xmlns='urn:xmpp:sm:3'/></bind><fast xmlns='urn:xmpp:fast:0'/></authenticate>");
            byte[] expected = [.. "alice\0"u8, .. Hmac("Initiator", binding)];
            Assert.Equal(Convert.ToBase64String(expected), s.Captures["ht"]);
            string responder = Convert.ToBase64String(Hmac("Responder", binding));
            await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{responder}</additional-data>{BoundSuccessTail}</success>");
            await AckedMessageAsync(s);
        }, async client => { seen = client; await LoginAndSend(client); }, Options(tokens));

        Assert.Null(error);
        Assert.True(seen!.UsedFastToken);
        Assert.Equal(mechanism, seen.Mechanism);
        Assert.DoesNotContain("<response", server.Transcript); // one round trip: no challenge, no response
    }

    [Fact]
    public async Task A_refused_token_is_forgotten_and_the_password_logs_in_on_the_same_stream()
    {
        var tokens = new MemoryTokenStore();
        tokens.Save(Alice, new FastToken("HT-SHA-256-NONE", "revoked-token", Now.AddDays(1)));
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", Bind2Offer + FastOffer()));
            await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'>*</authenticate>");
            await s.SendAsync("<failure xmlns='urn:xmpp:sasl:2'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></failure>");
            await Sasl2ScramAsync(s,
                "<bind xmlns='urn:xmpp:bind:0'><tag>xsend</tag><enable xmlns='urn:xmpp:sm:3'/></bind><request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>",
                BoundSuccessTail + $"<token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{Token}'/>");
            await AckedMessageAsync(s);
        }, LoginAndSend, Options(tokens));

        Assert.Null(error);
        Assert.Equal(Token, tokens.Load(Alice)!.Token);
        Assert.Equal(1, tokens.Forgotten);
        Assert.Equal(2, StreamHeaders(server));
    }

    [Fact]
    public async Task A_server_that_cannot_prove_it_issued_the_token_is_not_trusted_and_not_retried()
    {
        var tokens = new MemoryTokenStore();
        tokens.Save(Alice, new FastToken("HT-SHA-256-NONE", Token, Now.AddDays(1)));
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", Bind2Offer + FastOffer()));
            await s.ExpectAsync("<authenticate xmlns='urn:xmpp:sasl:2' mechanism='HT-SHA-256-NONE'>*</authenticate>");
            await s.SendAsync($"<success xmlns='urn:xmpp:sasl:2'><additional-data>{Convert.ToBase64String(new byte[32])}</additional-data>{BoundSuccessTail}</success>");
        }, client => client.AuthenticateAsync(Password), Options(tokens));

        var failure = Assert.IsType<XmppAuthenticationException>(error);
        Assert.Equal("server-signature-mismatch", failure.Condition);
        Assert.Single(server.Transcript.Split("<authenticate").Skip(1)); // no password attempt follows
    }

    [Fact]
    public async Task An_expired_token_is_dropped_before_use()
    {
        var tokens = new MemoryTokenStore();
        tokens.Save(Alice, new FastToken("HT-SHA-256-NONE", Token, Now.AddMinutes(-1)));
        var (error, server) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>", Bind2Offer + FastOffer()));
            await Sasl2ScramAsync(s, "<bind *</bind><request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>", BoundSuccessTail);
        }, client => client.AuthenticateAsync(Password), Options(tokens));

        Assert.Null(error);
        Assert.Null(tokens.Load(Alice));
        Assert.DoesNotContain("HT-SHA-256-NONE'><initial-response", server.Transcript);
    }

    [Fact]
    public void Tokens_stay_away_from_unverified_servers_and_unbound_ones_when_binding_is_required()
    {
        string[] offered = ["HT-SHA-256-NONE", "HT-SHA-256-ENDP"];
        var endPoint = ChannelBinding.TlsServerEndPoint(TestCertificates.Server);
        SaslSelectionContext Context(bool verified = true, bool require = false, bool bind = true) => new()
        {
            Advertisement = new SaslAdvertisement(["SCRAM-SHA-256"], null),
            IsTlsProtected = true,
            IsServerAuthenticated = verified,
            ChannelBindings = bind ? [endPoint] : [],
            RequireChannelBinding = require,
        };
        var token = new FastToken("HT-SHA-256-NONE", Token, Now.AddDays(1));

        Assert.Equal("HT-SHA-256-ENDP", SaslMechanismRanking.SelectTokenMechanism(Context(), offered));
        Assert.Equal("HT-SHA-256-NONE", SaslMechanismRanking.SelectTokenMechanism(Context(bind: false), offered));
        Assert.Null(SaslMechanismRanking.SelectTokenMechanism(Context(verified: false), offered)); // --insecure
        Assert.Null(SaslMechanismRanking.SelectTokenMechanism(Context(bind: false, require: true), offered));
        Assert.Null(SaslMechanismRanking.CreateTokenMechanism(Context(require: true), token, offered, "alice"));
        Assert.IsType<HtSha256NoneMechanism>(SaslMechanismRanking.CreateTokenMechanism(Context(), token, offered, "alice"));
    }

    [Fact]
    public async Task Sasl2_can_be_turned_off_for_classic_sasl()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await SecureSasl2Async(s, Sasl2Features("<mechanism>SCRAM-SHA-256</mechanism>")
                + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism></mechanisms>");
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, Password));
            await s.OpenStreamAsync(SessionFeatures);
            await s.BindAsync();
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
        }, client => client.AuthenticateAsync(Password), Options() with { UseSasl2 = false });

        Assert.Null(error);
    }

    /// <summary>An in-memory token store that counts how often a token was forgotten.</summary>
    private sealed class MemoryTokenStore : IFastTokenStore
    {
        private readonly Dictionary<string, FastToken> _tokens = [];

        public int Forgotten { get; private set; }

        public FastToken? Load(Jid account) => _tokens.GetValueOrDefault(account.Bare.ToString());

        public void Save(Jid account, FastToken? token)
        {
            if (token is null)
            {
                Forgotten++;
                _tokens.Remove(account.Bare.ToString());
            }
            else
            {
                _tokens[account.Bare.ToString()] = token;
            }
        }
    }
}
