using System.Security.Cryptography;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Sasl;
using XSend.Xmpp.Tls;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Client;

/// <summary>Expected client XML, then the server's reply: the whole session, and what goes wrong in it.</summary>
public class ScriptedConversationTests
{
    private static Func<XmppClient, Task> SendAlert(string body = "disk <full> & 报警") => async client =>
    {
        await client.AuthenticateAsync("s3cret-Pa55");
        await client.SendMessageAsync(new OutgoingMessage(Bob, body));
        await client.DisconnectAsync();
    };

    private static async Task AckedSessionAsync(ScriptedServer server, ScramServer? scram = null)
    {
        await SecureAsync(server);
        await server.AuthenticateScramAsync(scram ?? new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, "s3cret-Pa55"));
        await server.OpenStreamAsync(SessionFeatures);
        await server.BindAsync();
        await server.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
        await server.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
    }

    [Fact]
    public async Task Full_session_over_tls_sends_an_escaped_message_and_waits_for_the_ack()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
            // XEP-0198: a final ack before closing, so nothing is re-routed as undelivered.
            await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='0'/>");
            await s.ExpectAsync("</stream:stream>");
            await s.SendAsync("</stream:stream>");
        }, SendAlert());

        Assert.Null(error);
        Assert.Contains("<body>disk &lt;full&gt; &amp; 报警</body>", server.Transcript);
        Assert.Contains($"<origin-id xmlns='urn:xmpp:sid:0' id='{server.Captures["msgId"]}'/>", server.Transcript);
        Assert.Matches("<resource>xsend-[0-9a-f]{8}</resource>", server.Transcript);
        Assert.DoesNotContain("<presence", server.Transcript); // a send-only session must not pull offline messages
        Assert.Contains("from='alice@xsend.test'", server.Transcript); // RFC 6120 §4.7.1: 'from' once under TLS
    }

    [Fact]
    public async Task Rfc5802_vector_runs_end_to_end_with_one_byte_server_chunks()
    {
        var options = new XmppClientOptions
        {
            Tls = TlsRequirement.Optional,
            MechanismSelector = (_, user, password) => new ScramSha1Mechanism(user, password, "fyko+d2lbbFgONRv9qkxdawL"),
        };
        var (error, server) = await RunAsync(async s =>
        {
            string mechanisms = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>";
            await s.OpenStreamAsync(mechanisms, chunkSize: 1);
            await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM</auth>");
            await s.SendAsync("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0wzcmZjTkhZSlkxWlZ2V1ZzN2oscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==</challenge>", chunkSize: 1);
            await s.ExpectAsync("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>Yz1iaXdzLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdMM3JmY05IWUpZMVpWdldWczdqLHA9djBYOHYzQnoyVDBDSkdiSlF5RjBYK0hJNFRzPQ==</response>");
            await s.SendAsync("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1ybUY5cHFWOFM3c3VBb1pXamE0ZEpSa0ZzS1E9</success>", chunkSize: 1);
            await s.OpenStreamAsync(SessionFeatures, chunkSize: 1);
            await s.ExpectAsync("<iq type='set' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>");
            await s.SendAsync("<iq type='result' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>user@xsend.test/{resource}</jid></bind></iq>", chunkSize: 1);
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>", chunkSize: 1);
        }, client => client.AuthenticateAsync("pencil"), options, Jid.Parse("user@xsend.test"));

        Assert.Null(error);
        Assert.NotNull(server.Captures["resource"]);
    }

    [Fact]
    public async Task Missing_starttls_offer_is_refused_before_any_credentials_are_sent()
    {
        var (error, server) = await RunAsync(
            s => s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"),
            client => client.AuthenticateAsync("s3cret-Pa55"));

        var tls = Assert.IsType<XmppTlsException>(error);
        Assert.Equal(TlsFailure.NotOffered, tls.Failure);
        Assert.DoesNotContain("<auth", server.Transcript);
    }

    [Fact]
    public async Task Plain_is_never_used_on_an_unencrypted_stream()
    {
        var (error, server) = await RunAsync(
            s => s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"),
            client => client.AuthenticateAsync("s3cret-Pa55"),
            new XmppClientOptions { Tls = TlsRequirement.Optional });

        Assert.Equal("no-acceptable-mechanism", Assert.IsType<XmppAuthenticationException>(error).Condition);
        Assert.DoesNotContain("<auth", server.Transcript);
    }

    [Fact]
    public async Task Sasl_failure_carries_the_servers_condition_and_text()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await SecureAsync(s);
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text xml:lang='en'>Unable to authorize you</text></failure>");
        }, client => client.AuthenticateAsync("wrong"));

        var auth = Assert.IsType<XmppAuthenticationException>(error);
        Assert.Equal("not-authorized", auth.Condition);
        Assert.Equal("Unable to authorize you", auth.Text);
        Assert.False(auth.IsTransient);
    }

    [Fact]
    public async Task Stream_error_carries_condition_and_text()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader
                + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>No such domain</text></stream:error></stream:stream>");
        }, _ => Task.CompletedTask);

        var stream = Assert.IsType<XmppStreamException>(error);
        Assert.Equal("host-unknown", stream.Condition);
        Assert.Equal("No such domain", stream.Text);
    }

    [Theory]
    [InlineData("before-header")]
    [InlineData("after-header")]
    [InlineData("mid-element")]
    [InlineData("after-auth")]
    [InlineData("awaiting-ack")]
    public async Task Disconnect_at_any_point_is_a_lost_connection(string where)
    {
        var (error, _) = await RunAsync(async s =>
        {
            if (where == "before-header")
            {
                await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            }
            else if (where == "after-header")
            {
                await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
                await s.SendAsync(ScriptedServer.ServerHeader);
            }
            else if (where == "mid-element")
            {
                await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
                await s.SendAsync(ScriptedServer.ServerHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:n");
            }
            else if (where == "after-auth")
            {
                await SecureAsync(s);
                await s.ExpectAsync("<auth*</auth>");
            }
            else
            {
                await AckedSessionAsync(s);
                await s.ExpectAsync(MessagePattern);
                await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            }
            s.Disconnect();
        }, SendAlert());

        var lost = Assert.IsType<XmppConnectionException>(error);
        Assert.Equal(ConnectionFailure.Lost, lost.Failure);
        Assert.True(lost.IsTransient);
    }

    [Fact]
    public async Task Bounce_for_the_message_before_the_ack_is_a_stanza_error()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<message type='error' id='{msgId}' from='bob@xsend.test'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        }, SendAlert());

        var stanza = Assert.IsType<XmppStanzaException>(error);
        Assert.Equal("service-unavailable", stanza.Condition);
        Assert.Equal("bob@xsend.test", stanza.From);
    }

    [Fact]
    public async Task Without_stream_management_a_ping_confirms_the_message()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await SecureAsync(s);
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, "s3cret-Pa55"));
            await s.OpenStreamAsync("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
            await s.BindAsync();
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<iq type='get' id='{pingId}'><ping xmlns='urn:xmpp:ping'/></iq>");
            await s.SendAsync("<iq type='result' id='{pingId}'/>");
            await s.ExpectAsync("</stream:stream>");
        }, SendAlert());

        Assert.Null(error);
        Assert.DoesNotContain("urn:xmpp:sm:3", server.Transcript);
    }

    [Fact]
    public async Task Server_ack_requests_and_pings_are_answered_while_waiting()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<iq type='get' id='p1' from='xsend.test'><ping xmlns='urn:xmpp:ping'/></iq><r xmlns='urn:xmpp:sm:3'/>");
            await s.ExpectAsync("<iq type='result' id='p1' to='xsend.test'/>");
            await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='2'/>");
            await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
            await s.ExpectAsync("</stream:stream>");
        }, SendAlert());

        Assert.Null(error);
    }

    [Fact]
    public async Task An_ack_for_more_than_was_sent_is_a_protocol_error()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            await s.ExpectAsync(MessagePattern);
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='7'/>");
        }, SendAlert());

        Assert.IsType<XmppProtocolException>(error);
    }

    [Fact]
    public async Task Forbidden_xml_characters_are_removed_from_the_body()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            await s.ExpectAsync(MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        }, SendAlert("bell\u0007 nul\u0000 esc\u001b ok"));

        Assert.Null(error);
        Assert.Contains("<body>bell nul esc ok</body>", server.Transcript);
    }

    [Fact]
    public async Task Stream_management_is_enabled_without_waiting_for_the_bind_result()
    {
        var (error, _) = await RunAsync(async s =>
        {
            await SecureAsync(s);
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, "s3cret-Pa55"));
            await s.OpenStreamAsync(SessionFeatures);
            await s.ExpectAsync("<iq type='set' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>");
            // Round-trip diet: <enable/> arrives before the server has answered the bind.
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<iq type='result' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@xsend.test/{resource}</jid></bind></iq><enabled xmlns='urn:xmpp:sm:3'/>");
        }, client => client.AuthenticateAsync("s3cret-Pa55"));

        Assert.Null(error);
    }

    [Fact]
    public async Task A_required_legacy_session_keeps_bind_session_enable_in_sequence()
    {
        var (error, server) = await RunAsync(async s =>
        {
            await SecureAsync(s);
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-256", HashAlgorithmName.SHA256, "s3cret-Pa55"));
            await s.OpenStreamAsync(SessionFeatures + "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>");
            await s.BindAsync();
            await s.ExpectAsync("<iq type='set' id='{sessionId}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
            await s.SendAsync("<iq type='result' id='{sessionId}'/>");
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
        }, client => client.AuthenticateAsync("s3cret-Pa55"));

        Assert.Null(error);
    }

    [Fact]
    public async Task A_batch_is_pipelined_in_windows_with_one_ack_request_each()
    {
        var confirmed = new List<(int Index, string? Condition)>();
        var (error, server) = await RunAsync(async s =>
        {
            await AckedSessionAsync(s);
            for (int window = 0; window < 3; window++)
            {
                await s.AckWindowAsync(async () =>
                {
                    if (s.Captures["to"] == "gone@xsend.test")
                        await s.SendAsync("<message type='error' id='{id}' from='gone@xsend.test'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
                });
            }
        }, async client =>
        {
            await client.AuthenticateAsync("s3cret-Pa55");
            string[] names = ["a", "b", "gone", "d", "e"];
            OutgoingMessage[] batch = names.Select(n => new OutgoingMessage(Jid.Parse($"{n}@xsend.test"), $"to {n}")).ToArray();
            await client.SendBatchAsync(batch, windowSize: 2, (i, bounce) => confirmed.Add((i, bounce?.Condition)));
        });

        Assert.Null(error);
        Assert.Equal([(0, null), (1, null), (2, "item-not-found"), (3, null), (4, null)], confirmed);
        // Three windows: message, message, <r/> / message, message, <r/> / message, <r/>.
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(server.Transcript, "<r xmlns='urn:xmpp:sm:3'/>").Count);
    }
}
