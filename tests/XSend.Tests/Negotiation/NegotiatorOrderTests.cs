using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Negotiation;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Tls;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Negotiation;

/// <summary>
/// Given what a server offers, which negotiation steps run, in which order: TLS first; SASL2 over
/// SASL; Bind2 instead of bind; resumption instead of bind (with SASL only); enabling stream
/// management only on a freshly bound session. The server below answers whatever the client asks.
/// </summary>
public class NegotiatorOrderTests
{
    private const string Sasl = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>";
    private const string Sasl2 = "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>PLAIN</mechanism></authentication>";
    private const string Sasl2Bind2 = "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>PLAIN</mechanism><inline><bind xmlns='urn:xmpp:bind:0'/></inline></authentication>";
    private const string Sasl2Bind2Sm = "<authentication xmlns='urn:xmpp:sasl:2'><mechanism>PLAIN</mechanism><inline><bind xmlns='urn:xmpp:bind:0'><inline><feature var='urn:xmpp:sm:3'/></inline></bind></inline></authentication>";
    private const string Bind = "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>";
    private const string Session = "<session xmlns='urn:ietf:params:xml:ns:xmpp-session'/>";
    private const string Sm = "<sm xmlns='urn:xmpp:sm:3'/>";
    private const string Resumed = "<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='0'/>";
    private const string ResumeFailed = "<failed xmlns='urn:xmpp:sm:3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>";

    /// <summary>A row: the login features (after TLS), the features after the login, the answer to a resume (null: none asked), the steps, whether SM ends enabled.</summary>
    public static TheoryData<string, string, string, string?, string, bool> Orders => new()
    {
        { "SASL, bind and SM", Sasl, Bind + Sm, null, "starttls sasl bind sm-enable", true },
        { "SASL and bind without SM", Sasl, Bind, null, "starttls sasl bind", false },
        { "the legacy session rides in the bind step", Sasl, Bind + Session + Sm, null, "starttls sasl bind sm-enable", true },
        { "SASL2 beats SASL", Sasl + Sasl2, Bind + Sm, null, "starttls sasl2 bind sm-enable", true },
        { "Bind2 skips bind and SM", Sasl2Bind2, "", null, "starttls sasl2", false },
        { "Bind2 with SM inline", Sasl2Bind2Sm, "", null, "starttls sasl2", true },
        { "a resumed session is not bound again", Sasl, Bind + Sm, Resumed, "starttls sasl resume", true },
        { "a refused resumption binds and enables", Sasl, Bind + Sm, ResumeFailed, "starttls sasl resume bind sm-enable", true },
        { "no resumption without SM", Sasl, Bind, "", "starttls sasl bind", false },
        { "no resumption with SASL2 (Bind2 sets the session up)", Sasl2Bind2Sm, "", "", "starttls sasl2", true },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task The_offered_features_decide_the_steps_and_their_order(
        string what, string loginFeatures, string afterLogin, string? resumeAnswer, string expected, bool smEnabled)
    {
        XmppClient? seen = null;
        var (error, _) = await RunAsync(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(TestCertificates.Server);
            await s.OpenStreamAsync(loginFeatures);
            await AnswerAnythingAsync(s, bind2: loginFeatures.Contains("urn:xmpp:bind:0"), bind2Sm: loginFeatures.Contains("<feature var='urn:xmpp:sm:3'/>"),
                afterLogin, resumeAnswer);
        }, async client =>
        {
            seen = client;
            await client.AuthenticateAsync("s3cret-Pa55", resumeAnswer is null ? null : PreviousSession, CancellationToken.None);
        });

        Assert.Null(error);
        Assert.True(expected == string.Join(' ', seen!.NegotiationSteps), $"{what}: expected '{expected}', ran '{string.Join(' ', seen.NegotiationSteps)}'");
        Assert.NotNull(seen.BoundJid);
        Assert.Equal(smEnabled, seen.IsStreamManagementEnabled);
    }

    [Fact]
    public async Task Without_a_starttls_offer_the_tls_step_refuses_and_nothing_else_runs()
    {
        var (error, server) = await RunAsync(s => s.OpenStreamAsync(Sasl), _ => Task.CompletedTask,
            new XmppClientOptions { Tls = TlsRequirement.Required });

        Assert.Equal(TlsFailure.NotOffered, Assert.IsType<XmppTlsException>(error).Failure);
        Assert.DoesNotContain("<auth", server.Transcript); // no login step ran on the unprotected stream
    }

    [Fact]
    public void The_list_reads_in_protocol_order()
    {
        Assert.Equal(["starttls", "sasl2", "sasl", "resume", "bind", "sm-enable"], Negotiator.Steps.Select(s => s.Name));
        Assert.All(Negotiator.Steps.Skip(1), step => Assert.Equal(NegotiationPhase.Login, step.Phase));
        Assert.Equal(NegotiationPhase.Connect, Negotiator.Steps[0].Phase);
    }

    private static readonly StreamResumption PreviousSession = new(
        "sm-1", null, Jid.Parse("alice@xsend.test/old"), Inbound: 0, Acked: 0, Sent: 0, [], new HashSet<string>());

    /// <summary>Answers each request of the login until the client leaves.</summary>
    private static async Task AnswerAnythingAsync(ScriptedServer s, bool bind2, bool bind2Sm, string afterLogin, string? resumeAnswer)
    {
        string features = $"<stream:features>{afterLogin}</stream:features>";
        for (int i = 0; i < 10; i++)
        {
            int which;
            try
            {
                which = await s.ExpectOneOfAsync(
                    "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>*</auth>",
                    "<authenticate xmlns='urn:xmpp:sasl:2' mechanism='PLAIN'>*</authenticate>",
                    ScriptedServer.ClientHeaderPattern,
                    "<iq type='set' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>*</bind></iq>",
                    "<iq type='set' id='{sessionId}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>",
                    "<enable xmlns='urn:xmpp:sm:3'*/>",
                    "<resume xmlns='urn:xmpp:sm:3' previd='sm-1' h='0'/>");
            }
            catch (Xunit.Sdk.XunitException ex) when (ex.Message.Contains("closed the connection"))
            {
                return; // the client is done
            }
            await s.SendAsync(which switch
            {
                0 => "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
                1 when bind2 => "<success xmlns='urn:xmpp:sasl:2'><authorization-identifier>alice@xsend.test/xsend.b2</authorization-identifier>"
                    + "<bound xmlns='urn:xmpp:bind:0'>" + (bind2Sm ? "<enabled xmlns='urn:xmpp:sm:3'/>" : "") + "</bound></success>",
                1 => "<success xmlns='urn:xmpp:sasl:2'><authorization-identifier>alice@xsend.test</authorization-identifier></success>" + features,
                2 => ScriptedServer.ServerHeader + features,
                3 => "<iq type='result' id='{bindId}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@xsend.test/r</jid></bind></iq>",
                4 => "<iq type='result' id='{sessionId}'/>",
                5 => "<enabled xmlns='urn:xmpp:sm:3'/>",
                _ => resumeAnswer!,
            });
        }
    }
}
