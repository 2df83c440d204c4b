using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Logging;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Client;

/// <summary>
/// The opt-in protocol log never shows a secret unless asked to: the logger redacts every line in
/// both directions from one table (SASL and SASL2 payloads, FAST tokens, any password element).
/// </summary>
public class ProtocolLogRedactionTests
{
    private const string Secret = "c2VjcmV0LXBheWxvYWQ=";

    // Each kind of secret-bearing XML, as the client writes it or the server sends it.
    public static TheoryData<string, string> SecretBearing => new()
    {
        { "SASL auth", $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{Secret}</auth>" },
        { "SASL response", $"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Secret}</response>" },
        { "SASL challenge", $"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Secret}</challenge>" },
        { "SASL success", $"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Secret}</success>" },
        { "SASL2 authenticate", $"<authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'><initial-response>{Secret}</initial-response><user-agent><software>xsend</software></user-agent></authenticate>" },
        { "SASL2 response", $"<response xmlns='urn:xmpp:sasl:2'>{Secret}</response>" },
        { "SASL2 challenge", $"<challenge xmlns='urn:xmpp:sasl:2'>{Secret}</challenge>" },
        { "SASL2 success", $"<success xmlns='urn:xmpp:sasl:2'><additional-data>{Secret}</additional-data><authorization-identifier>alice@xsend.test/x</authorization-identifier></success>" },
        { "SASL2 continue", $"<continue xmlns='urn:xmpp:sasl:2'><additional-data>{Secret}</additional-data><tasks><task>HOTP</task></tasks></continue>" },
        { "FAST token", $"<success xmlns='urn:xmpp:sasl:2'><token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='{Secret}'/></success>" },
        { "MUC password", $"<presence to='ops@conference.xsend.test/alice'><x xmlns='http://jabber.org/protocol/muc'><password>{Secret}</password><history maxstanzas='0'/></x></presence>" },
        { "registration password", $"<iq type='set' id='r1'><query xmlns='jabber:iq:register'><username>alice</username><password>{Secret}</password></query></iq>" },
        { "two elements in one write", $"<r xmlns='urn:xmpp:sm:3'/><response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Secret}</response>" },
        { "unparsable XML", $"<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{Secret}" },
    };

    [Theory]
    [MemberData(nameof(SecretBearing))]
    public void Every_kind_of_secret_is_redacted_in_both_directions(string kind, string xml)
    {
        var log = new StringWriter();
        var logger = new TextWriterProtocolLogger(log);

        logger.LogClient(xml);
        logger.LogServer(xml);
        bool oneElement = kind is not ("two elements in one write" or "unparsable XML");
        if (oneElement)
            logger.LogServer(System.Xml.Linq.XElement.Parse(xml)); // the path elements read from the stream take

        string text = log.ToString();
        Assert.DoesNotContain(Secret, text);
        Assert.Matches(@"\[redacted\]|unparsable XML not logged", text);
        Assert.Equal(oneElement ? 3 : 2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Lines_without_secrets_are_logged_exactly_as_written_and_the_rest_stays_readable()
    {
        var log = new StringWriter();
        var logger = new TextWriterProtocolLogger(log);

        logger.LogClient("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='xsend.test' version='1.0'>");
        logger.LogClient("<message type='chat' id='m1' to='bob@xsend.test'><body>disk full</body></message>");
        logger.LogClient($"<presence to='ops@conference.xsend.test/alice'><x xmlns='http://jabber.org/protocol/muc'><password>{Secret}</password><history maxstanzas='0'/></x></presence>");

        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("C: <?xml version='1.0'?><stream:stream", lines[0]);
        Assert.Equal("C: <message type='chat' id='m1' to='bob@xsend.test'><body>disk full</body></message>", lines[1]);
        Assert.Contains("<password>[redacted]</password><history maxstanzas=\"0\" />", lines[2]);
        Assert.Contains("to=\"ops@conference.xsend.test/alice\"", lines[2]);
    }

    [Fact]
    public void A_server_cannot_break_or_colour_a_log_line()
    {
        var log = new StringWriter();
        new TextWriterProtocolLogger(log).LogServer(
            System.Xml.Linq.XElement.Parse("<message xmlns='jabber:client'><body>line one\nS: forged\u202Eevil\u009B31m</body></message>"));

        string line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(@"line one\nS: forged\u202Eevil\x9B31m", line);
    }

    private const string Password = "s3cret-Pa55";

    private static async Task<(string Log, ScriptedServer Server)> LogSessionAsync(string mechanism, bool includeSecrets)
    {
        var log = new StringWriter();
        var options = new XmppClientOptions
        {
            TrustedCertificates = TestCertificates.TrustedCa,
            ProtocolLogger = new TextWriterProtocolLogger(log) { IncludeSecrets = includeSecrets },
        };
        var (error, server) = await RunAsync(async s =>
        {
            await SecureAsync(s, $"<mechanism>{mechanism}</mechanism>");
            if (mechanism == "PLAIN")
            {
                await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>");
                await s.SendAsync("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
            }
            else
            {
                await s.AuthenticateScramAsync(new ScramServer(mechanism, HashAlgorithmName.SHA1, Password));
            }
            await s.OpenStreamAsync(SessionFeatures);
            await s.BindAsync();
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
        }, client => client.AuthenticateAsync(Password), options);
        Assert.Null(error);
        return (log.ToString(), server);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-1")]
    public async Task Sasl_payloads_and_password_are_redacted_by_default(string mechanism)
    {
        (string log, ScriptedServer server) = await LogSessionAsync(mechanism, includeSecrets: false);

        Assert.DoesNotContain(Password, log);
        string sentPayload = mechanism == "PLAIN" ? server.Captures["plain"] : server.Captures["clientFirst"];
        Assert.DoesNotContain(sentPayload, log);
        if (mechanism != "PLAIN")
            Assert.DoesNotContain(server.Captures["clientFinal"], log);
        Assert.Contains($"C: <auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"{mechanism}\">[redacted]</auth>", log);
        Assert.Contains("S: <success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"", log);
        Assert.Contains("C: <iq type='set'", log); // the rest of the conversation is still there
        Assert.All(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches("^[CS]: ", line));
    }

    [Fact]
    public async Task Secrets_appear_only_when_explicitly_included()
    {
        (string log, ScriptedServer server) = await LogSessionAsync("PLAIN", includeSecrets: true);

        Assert.Contains(server.Captures["plain"], log);
        Assert.Equal($"\0alice\0{Password}", Encoding.UTF8.GetString(Convert.FromBase64String(server.Captures["plain"])));
    }
}
