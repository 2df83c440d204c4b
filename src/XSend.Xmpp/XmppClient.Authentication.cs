using System.Security.Cryptography;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Sasl;

namespace XSend.Xmpp;

// SASL (RFC 6120 §6), resource binding (§7) and enabling stream management (XEP-0198).
public sealed partial class XmppClient
{
    private const int MaxSaslRounds = 10;

    /// <summary>
    /// Authenticates with the strongest mechanism both sides support, restarts the stream, binds a
    /// unique resource and enables stream management when offered. Sends no presence.
    /// </summary>
    /// <exception cref="XmppAuthenticationException">The credentials were rejected, or the server could not prove itself.</exception>
    /// <exception cref="XmppStanzaException">Binding was refused.</exception>
    public async Task AuthenticateAsync(string password, CancellationToken cancellationToken = default) =>
        await AuthenticateAsync(password, resume: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Authenticates, then resumes the XEP-0198 session <paramref name="resume"/> instead of
    /// binding when it is given and the server offers stream management (not with SASL2, where
    /// Bind2 sets the session up). Returns whether the session was resumed; when the server
    /// refuses, a new session is bound and the caller resends what was not confirmed.
    /// </summary>
    internal async Task<bool> AuthenticateAsync(string password, StreamResumption? resume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (Features is null)
            throw new InvalidOperationException("Connect before authenticating.");
        if (Account.Local is null)
            throw new InvalidOperationException("The account JID has no localpart to log in with.");

        // XEP-0388: SASL2 when offered (with Bind2 and FAST riding along), else RFC 6120 SASL.
        bool sasl2 = _options.UseSasl2 && Features.Sasl2Mechanisms is { Count: > 0 };
        IReadOnlyList<string> offered = sasl2 ? Features.Sasl2Mechanisms! : Features.Mechanisms;
        SetStep(XmppStep.Authenticating, $"authenticating{(sasl2 ? " with SASL2" : "")}; the server offers {string.Join(", ", offered)}");
        if (offered.Count == 0)
            throw new XmppProtocolException("the server offers no SASL mechanisms");
        OfferedMechanisms = offered;
        var context = new SaslSelectionContext
        {
            Advertisement = new SaslAdvertisement(offered, Features.ChannelBindingTypes),
            IsTlsProtected = IsTlsProtected,
            IsServerAuthenticated = IsServerAuthenticated,
            TlsProtocol = TlsProtocol,
            ChannelBindings = _connection.Tls?.ChannelBindings ?? [],
            RequireChannelBinding = _options.RequireChannelBinding,
            MinimumMechanism = _options.MinimumMechanism,
            MinimumMechanismReason = _options.MinimumMechanismReason,
        };
        if (sasl2)
        {
            await AuthenticateWithSasl2Async(context, password, cancellationToken).ConfigureAwait(false);
            return false;
        }
        SaslMechanism mechanism = SelectMechanism(context, password);
        await RunSaslAsync(mechanism, cancellationToken).ConfigureAwait(false);
        CompleteLogin(mechanism);

        // RFC 6120 §6.4.6: after success the client opens a fresh stream.
        await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        // XEP-0198 §5: a resumed session keeps its resource, so there is no binding.
        if (resume is not null && Features!.StreamManagement && await TryResumeAsync(resume, cancellationToken).ConfigureAwait(false))
            return true;
        await BindAndManageStreamAsync(cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Sends &lt;resume/&gt;; on &lt;resumed h/&gt; takes the session over and resends what the
    /// server's h does not cover. Returns false on &lt;failed/&gt;, after noting what its h (if
    /// any) confirmed.
    /// </summary>
    private async Task<bool> TryResumeAsync(StreamResumption resume, CancellationToken cancellationToken)
    {
        SetStep(XmppStep.EnablingStreamManagement, $"resuming the previous session (we handled {resume.Inbound} of its stanzas)");
        await WriteAsync(ClientXml.Resume(resume.Id, resume.Inbound), cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            XElement reply = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name == XName(Namespaces.StreamManagement, "resumed"))
            {
                uint h = ResumptionCount(reply, resume, required: true)!.Value;
                IsStreamManagementEnabled = true;
                BoundJid = resume.BoundJid;
                _resumeId = resume.Id;
                _resumeLocation = resume.Location;
                _inbound = resume.Inbound;
                // XEP-0198 §5: the server's h says exactly what it handled; the rest is sent again,
                // counted from h as the server counts it.
                _outbound = _acked = h;
                _sentMessageIds.UnionWith(resume.SentMessageIds);
                List<UnackedStanza> resend = resume.Unacked.Where(u => u.Sequence > h).ToList();
                Report($"resumed the session: the server handled {h} of the {resume.Sent} stanzas sent; sending {resend.Count} again");
                foreach (UnackedStanza stanza in resend)
                    await WriteStanzaAsync(stanza.Xml, cancellationToken, stanza.MessageId).ConfigureAwait(false);
                return true;
            }
            if (reply.Name == XName(Namespaces.StreamManagement, "failed"))
            {
                // XEP-0198 §5: the server may still say how much of the old session it handled.
                if (ResumptionCount(reply, resume, required: false) is uint h)
                {
                    var unacked = resume.Unacked.Where(u => u.Sequence > h && u.MessageId is not null).Select(u => u.MessageId!).ToHashSet(StringComparer.Ordinal);
                    _confirmedBeforeResumptionFailed.UnionWith(resume.SentMessageIds.Where(id => !unacked.Contains(id)));
                }
                string? condition = reply.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StanzaErrors)?.Name.LocalName;
                Report($"the server could not resume the session ({condition ?? "no reason given"}); binding a new one and resending what it did not confirm");
                return false;
            }
            await HandleIncidentalAsync(reply, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException("no answer to the stream resumption request");
    }

    /// <summary>The h of &lt;resumed/&gt; or &lt;failed/&gt;, checked against what was sent and acked.</summary>
    private static uint? ResumptionCount(XElement reply, StreamResumption resume, bool required)
    {
        string? text = reply.Attribute("h")?.Value;
        if (text is null && !required)
            return null;
        if (!uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint h))
            throw new XmppProtocolException($"the server answered the resumption without a valid 'h' ('{text}')");
        // XEP-0198 §4: h counts what the server handled: never more than we sent, never less than it acked.
        if (h > resume.Sent)
            throw new XmppProtocolException($"the server claims to have handled {h} stanzas of the previous session but only {resume.Sent} were sent");
        if (h < resume.Acked)
            throw new XmppProtocolException($"the server claims to have handled {h} stanzas of the previous session after acknowledging {resume.Acked}");
        return h;
    }

    private async Task BindAndManageStreamAsync(CancellationToken cancellationToken)
    {
        // Round-trip diet: the server handles a stream in order, so <enable/> can follow the bind
        // request at once (XEP-0198 §3 only requires it after binding), unless the legacy session
        // request must come between them.
        bool pipelineEnable = Features!.StreamManagement && !Features.SessionRequired;
        await BindAsync(pipelineEnable, cancellationToken).ConfigureAwait(false);
        if (Features.StreamManagement)
            await EnableStreamManagementAsync(alreadySent: pipelineEnable, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ask the server to keep the session resumable (XEP-0198 §5). The sender does, to resume after
    /// a drop; a session that sends presence (listen) does not, or a killed one would stay
    /// "available" on the server, taking its messages, until the server gives up on it.
    /// </summary>
    internal bool RequestResumption { get; set; }

    private string EnableRequest => RequestResumption ? ClientXml.EnableResumableStreamManagement : ClientXml.EnableStreamManagement;

    private string? _resumeId;
    private ServerEndpoint? _resumeLocation;

    /// <summary>XEP-0198 §5: a resumable session has an id, and maybe a preferred reconnection address.</summary>
    private void NoteResumability(XElement enabled)
    {
        string? resume = enabled.Attribute("resume")?.Value;
        string? id = enabled.Attribute("id")?.Value;
        if (resume is not ("true" or "1") || string.IsNullOrEmpty(id))
            return;
        _resumeId = id;
        _resumeLocation = ServerEndpoint.TryParse(enabled.Attribute("location")?.Value, out ServerEndpoint? location, out _)
            ? location with { DirectTls = _directTls }
            : null;
    }

    private SaslMechanism SelectMechanism(SaslSelectionContext context, string password)
    {
        var select = _options.MechanismSelector ?? SaslMechanismRanking.Select;
        return select(context, Account.Local!, password);
    }

    private void CompleteLogin(SaslMechanism mechanism)
    {
        Mechanism = mechanism.Name;
        ChannelBindingType = (mechanism as ScramMechanism)?.ChannelBindingType;
        Report($"authenticated as {Account} with {mechanism.Name}{(ChannelBindingType is null ? "" : $" bound to {ChannelBindingType}")}");
    }

    private async Task RunSaslAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        string initial = Convert.ToBase64String(mechanism.GetInitialResponse());
        await WriteAsync(ClientXml.Auth(mechanism.Name, initial), cancellationToken).ConfigureAwait(false);

        for (int round = 0; round < MaxSaslRounds; round++)
        {
            XElement reply = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name.Namespace != Namespaces.Sasl)
                throw new XmppProtocolException($"expected a SASL reply, got <{reply.Name.LocalName}>");
            switch (reply.Name.LocalName)
            {
                case "challenge":
                    await AnswerChallengeAsync(mechanism, reply, ClientXml.Response, ClientXml.Abort, cancellationToken).ConfigureAwait(false);
                    continue;
                case "success":
                    // RFC 6120 §6.3.10: success may carry the mechanism's final data (SCRAM's server signature).
                    mechanism.VerifySuccess(DecodeSasl(reply));
                    return;
                case "failure":
                    throw ServerFailure(reply);
                default:
                    throw new XmppProtocolException($"unexpected SASL element <{reply.Name.LocalName}>");
            }
        }
        throw new XmppProtocolException($"the SASL exchange did not finish within {MaxSaslRounds} rounds");
    }

    /// <summary>Evaluates a challenge and sends the response; for both SASL profiles.</summary>
    private async Task AnswerChallengeAsync(SaslMechanism mechanism, XElement challenge, Func<string, string> response, string abort,
        CancellationToken cancellationToken)
    {
        byte[] data = await EvaluateOrAbortAsync(mechanism, DecodeSasl(challenge), abort, cancellationToken).ConfigureAwait(false);
        string payload = Convert.ToBase64String(data);
        await WriteAsync(response(payload), cancellationToken).ConfigureAwait(false);
    }

    private static XmppAuthenticationException ServerFailure(XElement failure) => Connection.ErrorParser.SaslFailure(failure);

    private async Task<byte[]> EvaluateOrAbortAsync(SaslMechanism mechanism, byte[] challenge, string abort, CancellationToken cancellationToken)
    {
        try
        {
            return mechanism.EvaluateChallenge(challenge);
        }
        catch (XmppAuthenticationException)
        {
            // RFC 6120 §6.4.4: tell the server we are giving up; best effort.
            try
            {
                await WriteAsync(abort, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppException)
            {
            }
            throw;
        }
    }

    private static byte[] DecodeSasl(XElement? element)
    {
        if (element is null)
            return [];
        string text = element.Value.Trim();
        // RFC 6120 §6.4.2: '=' stands for empty data.
        if (text.Length == 0 || text == "=")
            return [];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new XmppProtocolException($"the server sent SASL data that is not base64 in <{element.Name.LocalName}>", ex);
        }
    }

    private async Task BindAsync(bool thenEnableStreamManagement, CancellationToken cancellationToken)
    {
        if (!Features!.Bind)
            throw new XmppProtocolException("the server does not offer resource binding");
        // A fresh resource per run: two concurrent runs never evict each other (RFC 6120 §7.7.2.2).
        string resource = $"{_options.ResourcePrefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        SetStep(XmppStep.Binding, $"binding resource {resource}");
        string id = NewId();
        await WriteAsync(ClientXml.Bind(id, resource), cancellationToken).ConfigureAwait(false);
        if (thenEnableStreamManagement)
            await WriteAsync(EnableRequest, cancellationToken).ConfigureAwait(false);
        XElement result = await ReadIqResponseAsync(id, cancellationToken).ConfigureAwait(false);
        string? jidText = result.Element(XName(Namespaces.Bind, "bind"))?.Element(XName(Namespaces.Bind, "jid"))?.Value;
        if (!Jid.TryParse(jidText, out Jid? bound, out _))
            throw new XmppProtocolException($"the server bound an invalid JID '{jidText}'");
        BoundJid = bound;
        Report($"bound as {bound}");

        if (Features.SessionRequired)
        {
            string sessionId = NewId();
            await WriteAsync(ClientXml.Session(sessionId), cancellationToken).ConfigureAwait(false);
            await ReadIqResponseAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnableStreamManagementAsync(bool alreadySent, CancellationToken cancellationToken)
    {
        SetStep(XmppStep.EnablingStreamManagement, "enabling stream management");
        if (!alreadySent)
            await WriteAsync(EnableRequest, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            XElement reply = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name == XName(Namespaces.StreamManagement, "enabled"))
            {
                // XEP-0198 §4: both counters start at zero once enabled.
                IsStreamManagementEnabled = true;
                _outbound = _inbound = _acked = 0;
                NoteResumability(reply);
                Report("stream management enabled; the server will acknowledge what it takes"
                    + (_resumeId is null ? "" : " and lets the session resume after a drop"));
                return;
            }
            if (reply.Name == XName(Namespaces.StreamManagement, "failed"))
            {
                Report("the server refused stream management; delivery will be confirmed with a ping");
                return;
            }
            await HandleIncidentalAsync(reply, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException("no answer to the stream management request");
    }
}
