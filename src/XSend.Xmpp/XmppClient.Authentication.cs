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
    public async Task AuthenticateAsync(string password, CancellationToken cancellationToken = default)
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
            ChannelBindings = _channelBindings,
            RequireChannelBinding = _options.RequireChannelBinding,
            MinimumMechanism = _options.MinimumMechanism,
            MinimumMechanismReason = _options.MinimumMechanismReason,
        };
        if (sasl2)
        {
            await AuthenticateWithSasl2Async(context, password, cancellationToken).ConfigureAwait(false);
            return;
        }
        SaslMechanism mechanism = SelectMechanism(context, password);
        await RunSaslAsync(mechanism, cancellationToken).ConfigureAwait(false);
        CompleteLogin(mechanism);

        // RFC 6120 §6.4.6: after success the client opens a fresh stream.
        await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        await BindAndManageStreamAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// RFC 6120 §6.5 (and XEP-0388 §2.6.2, which reuses its conditions): one defined condition in
    /// the xmpp-sasl namespace plus an optional &lt;text/&gt; in the failure's own namespace.
    /// </summary>
    private static XmppAuthenticationException ServerFailure(XElement failure)
    {
        XElement? condition = failure.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.Sasl && e.Name.LocalName != "text");
        string? text = failure.Element(XName(failure.Name.NamespaceName, "text"))?.Value;
        return XmppAuthenticationException.FromServer(condition?.Name.LocalName ?? "not-authorized",
            string.IsNullOrWhiteSpace(text) ? null : PrintableText.Sanitize(text.Trim())); // the server's words, printed
    }

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
            await WriteAsync(ClientXml.EnableStreamManagement, cancellationToken).ConfigureAwait(false);
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
            await WriteAsync(ClientXml.EnableStreamManagement, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            XElement reply = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name == XName(Namespaces.StreamManagement, "enabled"))
            {
                // XEP-0198 §4: both counters start at zero once enabled.
                IsStreamManagementEnabled = true;
                _outbound = _inbound = _acked = 0;
                Report("stream management enabled; the server will acknowledge what it takes");
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
