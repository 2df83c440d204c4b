using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Nothing a server sends can forge or garble xsend's output: its stream and stanza error texts,
/// a certificate's names and issuer, SCRAM values and the parser's quote of a bad character all
/// reach stderr escaped, and a failure stays one line.
/// </summary>
public sealed class ForgedOutputTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) =>
        _cli.RunAsync(["--jid", "alice@xsend.test", "--password", Password, "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--timeout", "5", "--no-outbox", .. extra, "bob@xsend.test", "disk", "full"]);

    /// <summary>One line, starting "xsend: ", with no raw control or bidi character anywhere on stderr.</summary>
    private static string AssertOneSafeLine(CliResult result)
    {
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("xsend: warning: --password", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1, $"expected one line, got:\n{result.Stderr}");
        Assert.StartsWith("xsend: ", lines[0]);
        Assert.DoesNotContain(result.Stderr.TrimEnd('\n'), c => c != '\n' && (char.IsControl(c) || c is '\u202E' or '\u2028'));
        return lines[0];
    }

    [Fact]
    public async Task A_stream_error_text_before_tls_cannot_add_a_line()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>go away&#10;xsend: forged &#x202E;gnp.exe&#x9B;31m&#13;</text></stream:error></stream:stream>");
        });

        string line = AssertOneSafeLine(await SendAsync(server));

        Assert.Contains(@"go away\nxsend: forged \u202Egnp.exe\x9B31m", line);
    }

    [Fact]
    public async Task A_stanza_error_text_and_its_from_cannot_add_a_line()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<message type='error' id='{msgId}' from='bob@xsend.test&#10;xsend: from'><error type='cancel'>"
                + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no&#10;xsend: forged&#x2028;!</text></error></message>"
                + "<a xmlns='urn:xmpp:sm:3' h='1'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        string line = AssertOneSafeLine(await SendAsync(server));

        Assert.Contains(@"no\nxsend: forged\u2028!", line);
        Assert.Contains(@"bob@xsend.test\nxsend: from", line);
    }

    [Theory]
    [InlineData(false)] // issued by the test CA for another name: the subject is quoted
    [InlineData(true)] // self-signed: the issuer is quoted
    public async Task A_certificates_names_cannot_reach_the_terminal_raw(bool selfSigned)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("evil\u001b[31m\nxsend: forged\u202E");
        X509Certificate2 certificate = TestCertificates.WithSubject(name.Build(), dnsName: selfSigned ? "xsend.test" : null, selfSigned);
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(certificate);
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(79, result.ExitCode);
        string line = AssertOneSafeLine(result);
        Assert.Contains(@"evil\x1B[31m\nxsend: forged\u202E", line);
        Assert.Contains(selfSigned ? "issued by CN=\"evil" : "certificate is for CN=\"evil", line);
    }

    [Fact]
    public async Task Check_prints_a_hostile_certificate_subject_and_service_name_escaped()
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("xsend.test\u001b[2J\nmuc:          owned");
        X509Certificate2 certificate = TestCertificates.WithSubject(name.Build(), "xsend.test", selfSigned: false);
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(certificate);
            await s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>");
            await Conversation.AuthenticatedSessionAsync(s, new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password));
            await s.ExpectAsync("<iq type='get' id='{q1}' to='xsend.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            await s.SendAsync("<iq type='result' id='{q1}' from='xsend.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            await s.ExpectAsync("<iq type='get' id='{q2}' to='xsend.test'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            await s.SendAsync("<iq type='result' id='{q2}' from='xsend.test'><query xmlns='http://jabber.org/protocol/disco#items'>"
                + "<item jid='rooms.xsend.test&#10;tls:          forged&#x202E;'/></query></iq>");
            await s.ExpectAsync("<iq type='get' id='{q3}' to='*'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            await s.SendAsync("<iq type='result' id='{q3}'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query></iq>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(["check", "--jid", "alice@xsend.test", "--password", Password, "--server", server.Endpoint,
            "--ca-file", TestCertificates.CaPemPath, "--timeout", "10"]);

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.DoesNotContain(result.Stdout, c => c != '\n' && (char.IsControl(c) || c == '\u202E'));
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("tls:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("muc:", StringComparison.Ordinal));
        Assert.Contains(@"xsend.test\x1B[2J\nmuc:          owned", result.Stdout);
        Assert.Contains(@"muc rooms.xsend.test\ntls:          forged\u202E", result.Stdout);
    }

    [Fact]
    public async Task A_scram_error_value_with_control_characters_stays_on_one_line()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>{clientFirst}</auth>");
            var scram = new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password);
            await s.SendAsync($"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{scram.ReceiveClientFirst(s.Captures["clientFirst"])}</challenge>");
            await s.ExpectAsync("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{clientFinal}</response>");
            // RFC 5802 §7 server-error, base64 inside the XML, so any byte gets through the parser.
            string final = Convert.ToBase64String(Encoding.UTF8.GetBytes("e=other-error\u001b[2J\r\nxsend: forged\u0085"));
            await s.SendAsync($"<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{final}</success>");
        });

        string line = AssertOneSafeLine(await SendAsync(server));

        Assert.Contains(@"other-error\x1B[2J\r\nxsend: forged\x85", line);
    }

    [Fact]
    public async Task A_scram_iteration_count_with_control_characters_stays_on_one_line()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>{clientFirst}</auth>");
            string clientFirst = Encoding.UTF8.GetString(Convert.FromBase64String(s.Captures["clientFirst"]));
            string nonce = clientFirst[(clientFirst.IndexOf("r=", StringComparison.Ordinal) + 2)..];
            string first = Convert.ToBase64String(Encoding.UTF8.GetBytes($"r={nonce}srv,s=c2FsdA==,i=9\u001b]0;owned\u0007\nxsend: forged"));
            await s.SendAsync($"<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{first}</challenge>");
            await s.ExpectAsync("*</stream:stream>");
        });

        string line = AssertOneSafeLine(await SendAsync(server));

        Assert.Contains(@"9\x1B]0;owned\x07\nxsend: forged", line);
    }

    [Fact]
    public async Task The_parsers_quote_of_a_bad_character_is_escaped()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendBytesAsync([.. Encoding.UTF8.GetBytes(ScriptedServer.ServerHeader + "<stream:features><x>"), 0x1B, .. "[31m</x></stream:features>"u8]);
        });

        string line = AssertOneSafeLine(await SendAsync(server));

        Assert.Contains("malformed XML", line);
        Assert.Contains(@"\x1B", line);
    }
}
