using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Logging;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Client;

/// <summary>The opt-in protocol log never shows SASL payloads or the password unless asked to.</summary>
public class ProtocolLogRedactionTests
{
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
        Assert.Contains($"C: <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='{mechanism}'>[redacted]</auth>", log);
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
