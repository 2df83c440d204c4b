using System.Globalization;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Sasl;

namespace XSend.Xmpp;

// SASL2 (XEP-0388) with Bind2 (XEP-0386) and FAST (XEP-0484): after TLS, login, resource binding
// and stream management in one round trip (two with SCRAM), and with a FAST token in one.
public sealed partial class XmppClient
{
    private const string SoftwareName = "xsend";
    private const int MaxElementsBeforeFeatures = 20;

    /// <summary>Whether the login used SASL2 (XEP-0388).</summary>
    public bool UsedSasl2 { get; private set; }

    /// <summary>Whether the login used a stored FAST token (XEP-0484) instead of the password.</summary>
    public bool UsedFastToken { get; private set; }

    /// <summary>Whether the resource was bound inside the SASL2 request (XEP-0386 Bind2).</summary>
    public bool UsedBind2 { get; private set; }

    // The token mechanism a token the server issues in this login is for.
    private string? _tokenMechanism;

    // The server's refusal of the stored token in this login, if it refused it.
    private XmppAuthenticationException? _refusedToken;

    private async Task AuthenticateWithSasl2Async(SaslSelectionContext context, string password, CancellationToken cancellationToken)
    {
        UsedSasl2 = true;
        _refusedToken = null;
        if (await TryFastTokenAsync(context, cancellationToken).ConfigureAwait(false))
            return;
        SaslMechanism mechanism = SelectMechanism(context, password);
        // XEP-0484 §3.1: a password login may ask for a token for the next run.
        string? requestToken = _options.FastTokens is null ? null : SaslMechanismRanking.SelectTokenMechanism(context, Features!.FastMechanisms);
        _tokenMechanism = requestToken;
        XElement success;
        try
        {
            success = await RunSasl2Async(mechanism, Extras(usingToken: false, requestToken), cancellationToken).ConfigureAwait(false);
        }
        catch (XmppAuthenticationException ex) when (ex.IsServerFailure && _refusedToken is { } refusal)
        {
            // A failure after a token refusal is never final: some servers (mod_sasl2_fast) keep
            // the token handler for the stream and refuse any other mechanism. The token is gone,
            // so a fresh connection logs in with the password.
            throw new XmppFreshLoginRequiredException(refusal, ex);
        }
        CompleteLogin(mechanism);
        await FinishSasl2Async(success, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs in with the stored FAST token if there is a usable one; false to go on with the password.</summary>
    private async Task<bool> TryFastTokenAsync(SaslSelectionContext context, CancellationToken cancellationToken)
    {
        if (_options.FastTokens is not { } store || Features!.FastMechanisms.Count == 0 || store.Load(Account.Bare) is not { } token)
            return false;
        if (token.Expiry <= _options.TimeProvider.GetUtcNow())
        {
            store.Save(Account.Bare, null);
            Report("the stored FAST token has expired; logging in with the password");
            return false;
        }
        if (SaslMechanismRanking.CreateTokenMechanism(context, token, Features.FastMechanisms, Account.Local!) is not { } mechanism)
        {
            Report($"the stored FAST token ({token.Mechanism}) cannot be used on this connection; logging in with the password");
            return false;
        }
        XElement success;
        _tokenMechanism = token.Mechanism; // XEP-0484 §3.3: a rotated token is for the same mechanism
        try
        {
            success = await RunSasl2Async(mechanism, Extras(usingToken: true, requestTokenFor: null), cancellationToken).ConfigureAwait(false);
        }
        catch (XmppAuthenticationException ex) when (ex.IsServerFailure && !ex.IsTransient)
        {
            // Revoked or unknown: forget it, and log in with the password on the same stream
            // (XEP-0388 lets the client try again after a failure).
            store.Save(Account.Bare, null);
            _refusedToken = ex;
            Report($"the server refused the stored FAST token ({ex.Condition}); logging in with the password");
            return false;
        }
        UsedFastToken = true;
        CompleteLogin(mechanism);
        await FinishSasl2Async(success, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Sasl2Extras Extras(bool usingToken, string? requestTokenFor) => new(
        SoftwareName,
        _options.UserAgentId,
        // XEP-0386 §3: the server makes the resource from the tag plus a unique suffix.
        BindTag: Features!.Bind2 ? _options.ResourcePrefix : null,
        EnableStreamManagement: Features.Bind2 && Features.Bind2Features.Contains(Namespaces.StreamManagement),
        usingToken,
        requestTokenFor);

    /// <summary>Runs one SASL2 exchange; returns the &lt;success/&gt; element.</summary>
    private async Task<XElement> RunSasl2Async(SaslMechanism mechanism, Sasl2Extras extras, CancellationToken cancellationToken)
    {
        string initial = Convert.ToBase64String(mechanism.GetInitialResponse());
        await WriteAsync(ClientXml.Authenticate(mechanism.Name, initial, extras), cancellationToken).ConfigureAwait(false);

        for (int round = 0; round < MaxSaslRounds; round++)
        {
            XElement reply = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name.Namespace != Namespaces.Sasl2)
                throw new XmppProtocolException($"expected a SASL2 reply, got <{reply.Name.LocalName}>");
            switch (reply.Name.LocalName)
            {
                case "challenge":
                    await AnswerChallengeAsync(mechanism, reply, ClientXml.Sasl2Response, ClientXml.Sasl2Abort, cancellationToken).ConfigureAwait(false);
                    continue;
                case "success":
                    // XEP-0388 §2.6.1: the mechanism's final data (SCRAM's server signature) is <additional-data/>.
                    mechanism.VerifySuccess(DecodeSasl(reply.Element(XName(Namespaces.Sasl2, "additional-data"))));
                    return reply;
                case "failure":
                    throw ServerFailure(reply);
                case "continue":
                    // XEP-0388 §2.6.3: further tasks (second factors, password changes) need a person.
                    string tasks = string.Join(", ", reply.Descendants(XName(Namespaces.Sasl2, "task")).Select(t => PrintableText.Sanitize(t.Value.Trim())));
                    await WriteAsync(ClientXml.Sasl2Abort, cancellationToken).ConfigureAwait(false);
                    throw new XmppAuthenticationException("unsupported-task", null,
                        $"the server wants a further login step ({(tasks.Length == 0 ? "unnamed" : tasks)}), which a non-interactive sender cannot do");
                default:
                    throw new XmppProtocolException($"unexpected SASL2 element <{reply.Name.LocalName}>");
            }
        }
        throw new XmppProtocolException($"the SASL2 exchange did not finish within {MaxSaslRounds} rounds");
    }

    /// <summary>After SASL2 success: keep an issued token, then take the Bind2 result or bind the classic way.</summary>
    private async Task FinishSasl2Async(XElement success, CancellationToken cancellationToken)
    {
        StoreIssuedToken(success);
        // XEP-0388 §2.6.1: the stream is not restarted.
        if (success.Element(XName(Namespaces.Bind2, "bound")) is { } bound)
        {
            string? identifier = success.Element(XName(Namespaces.Sasl2, "authorization-identifier"))?.Value.Trim();
            if (!Jid.TryParse(identifier, out Jid? jid, out _) || jid.Resource is null || !jid.Bare.Equals(Account.Bare))
                throw new XmppProtocolException($"the server bound with Bind2 but gave '{identifier}' as the session's address");
            BoundJid = jid;
            UsedBind2 = true;
            Report($"bound as {jid} (Bind2)");
            if (bound.Element(XName(Namespaces.StreamManagement, "enabled")) is not null)
            {
                // XEP-0198 §4: both counters start at zero once enabled.
                IsStreamManagementEnabled = true;
                _outbound = _inbound = _acked = 0;
                Report("stream management enabled; the server will acknowledge what it takes");
            }
            else if (Features!.Bind2Features.Contains(Namespaces.StreamManagement))
            {
                Report("the server did not enable stream management; delivery will be confirmed with a ping");
            }
            return;
        }

        // Without Bind2 the server follows <success/> with the post-login features.
        SetStep(XmppStep.Binding, "waiting for the server's features after SASL2");
        for (int i = 0; i < MaxElementsBeforeFeatures; i++)
        {
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (element.Name == XName(Namespaces.Streams, "features"))
            {
                Features = StreamFeatures.Parse(element);
                await BindAndManageStreamAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException("the server sent no stream features after SASL2 success");
    }

    private void StoreIssuedToken(XElement success)
    {
        if (_options.FastTokens is not { } store || success.Element(XName(Namespaces.Fast, "token")) is not { } issued)
            return;
        string? secret = issued.Attribute("token")?.Value;
        string? mechanism = _tokenMechanism;
        // XEP-0484 §3.2: the token is an attribute value; one with control characters or spaces
        // (say '&#10;') is refused rather than stored, so it can never split a record or reach another login.
        if (!FastToken.IsValidSecret(secret) || mechanism is null
            || !DateTimeOffset.TryParse(issued.Attribute("expiry")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset expiry))
        {
            Report("ignoring a malformed FAST token from the server");
            return;
        }
        store.Save(Account.Bare, new FastToken(mechanism, secret, expiry));
        Report($"the server issued a FAST token ({mechanism}), valid until {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
    }
}
