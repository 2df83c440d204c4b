using System.Globalization;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Sasl;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// XEP-0388 SASL2, when offered: after TLS, login, resource binding (XEP-0386 Bind2) and stream
/// management in one round trip (two with SCRAM), and with a stored FAST token (XEP-0484) in one.
/// Without Bind2 the server follows success with the features the bind step needs; the stream is
/// not restarted.
/// </summary>
internal sealed class Sasl2Step() : NegotiationStep("sasl2", NegotiationPhase.Login)
{
    private const string SoftwareName = "xsend";
    private const int MaxElementsBeforeFeatures = 20;

    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) =>
        !context.State.IsAuthenticated && context.Options.UseSasl2 && context.State.Features?.Sasl2Mechanisms is { Count: > 0 };

    /// <inheritdoc/>
    public override Task RunAsync(NegotiationContext context, CancellationToken cancellationToken) =>
        new Login(context).RunAsync(cancellationToken);

    /// <summary>One SASL2 login: a token attempt, maybe, then the password.</summary>
    private sealed class Login(NegotiationContext context)
    {
        private readonly XmppClientOptions _options = context.Options;
        private readonly Jid _account = context.Account;

        // The token mechanism a token the server issues in this login is for.
        private string? _tokenMechanism;

        // The server's refusal of the stored token in this login, if it refused it.
        private XmppAuthenticationException? _refusedToken;

        private StreamFeatures Features => context.State.Features!;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            SaslSelectionContext selection = SaslExchange.Begin(context, sasl2: true);
            if (await TryFastTokenAsync(selection, cancellationToken).ConfigureAwait(false))
                return;
            SaslMechanism mechanism = SaslExchange.Select(context, selection);
            // XEP-0484 §3.1: a password login may ask for a token for the next run.
            string? requestToken = _options.FastTokens is null ? null : SaslMechanismRanking.SelectTokenMechanism(selection, Features.FastMechanisms);
            _tokenMechanism = requestToken;
            XElement success;
            try
            {
                success = await AuthenticateAsync(mechanism, Extras(usingToken: false, requestToken), cancellationToken).ConfigureAwait(false);
            }
            catch (XmppAuthenticationException ex) when (ex.IsServerFailure && _refusedToken is { } refusal)
            {
                // A failure after a token refusal is never final: some servers (mod_sasl2_fast) keep
                // the token handler for the stream and refuse any other mechanism. The token is gone,
                // so a fresh connection logs in with the password.
                throw new XmppFreshLoginRequiredException(refusal, ex);
            }
            SaslExchange.Complete(context, mechanism);
            await FinishAsync(success, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Logs in with the stored FAST token if there is a usable one; false to go on with the password.</summary>
        private async Task<bool> TryFastTokenAsync(SaslSelectionContext selection, CancellationToken cancellationToken)
        {
            if (_options.FastTokens is not { } store || Features.FastMechanisms.Count == 0 || store.Load(_account.Bare) is not { } token)
                return false;
            if (token.Expiry <= _options.TimeProvider.GetUtcNow())
            {
                store.Save(_account.Bare, null);
                context.Connection.Report("the stored FAST token has expired; logging in with the password");
                return false;
            }
            if (SaslMechanismRanking.CreateTokenMechanism(selection, token, Features.FastMechanisms, _account.Local!) is not { } mechanism)
            {
                context.Connection.Report($"the stored FAST token ({token.Mechanism}) cannot be used on this connection; logging in with the password");
                return false;
            }
            XElement success;
            _tokenMechanism = token.Mechanism; // XEP-0484 §3.3: a rotated token is for the same mechanism
            try
            {
                success = await AuthenticateAsync(mechanism, Extras(usingToken: true, requestTokenFor: null), cancellationToken).ConfigureAwait(false);
            }
            catch (XmppAuthenticationException ex) when (ex.IsServerFailure && !ex.IsTransient)
            {
                // Revoked or unknown: forget it, and log in with the password on the same stream
                // (XEP-0388 lets the client try again after a failure).
                store.Save(_account.Bare, null);
                _refusedToken = ex;
                context.Connection.Report($"the server refused the stored FAST token ({ex.Condition}); logging in with the password");
                return false;
            }
            context.State = context.State with { UsedFastToken = true };
            SaslExchange.Complete(context, mechanism);
            await FinishAsync(success, cancellationToken).ConfigureAwait(false);
            return true;
        }

        private Sasl2Extras Extras(bool usingToken, string? requestTokenFor) => new(
            SoftwareName,
            _options.UserAgentId,
            // XEP-0386 §3: the server makes the resource from the tag plus a unique suffix.
            BindTag: Features.Bind2 ? _options.ResourcePrefix : null,
            EnableStreamManagement: Features.Bind2 && Features.Bind2Features.Contains(Namespaces.StreamManagement),
            usingToken,
            requestTokenFor);

        private Task<XElement> AuthenticateAsync(SaslMechanism mechanism, Sasl2Extras extras, CancellationToken cancellationToken) =>
            SaslExchange.RunAsync(context, mechanism, initial => ClientXml.Authenticate(mechanism.Name, initial, extras), SaslProfile.Sasl2,
                cancellationToken);

        /// <summary>After success: keep an issued token, then take the Bind2 result or read the features to bind with.</summary>
        private async Task FinishAsync(XElement success, CancellationToken cancellationToken)
        {
            StoreIssuedToken(success);
            // XEP-0388 §2.6.1: the stream is not restarted.
            if (success.Element(XName.Get("bound", Namespaces.Bind2)) is { } bound)
            {
                string? identifier = success.Element(XName.Get("authorization-identifier", Namespaces.Sasl2))?.Value.Trim();
                if (!Jid.TryParse(identifier, out Jid? jid, out _) || jid.Resource is null || !jid.Bare.Equals(_account.Bare))
                    throw new XmppProtocolException($"the server bound with Bind2 but gave '{identifier}' as the session's address");
                context.State = context.State with { BoundJid = jid, UsedBind2 = true };
                context.Connection.Report($"bound as {jid} (Bind2)");
                if (bound.Element(XName.Get("enabled", Namespaces.StreamManagement)) is not null)
                {
                    // XEP-0198 §4: both counters start at zero once enabled.
                    context.State = context.State with { StreamManagement = context.State.StreamManagement with { Enabled = true } };
                    context.Connection.Report("stream management enabled; the server will acknowledge what it takes");
                }
                else if (Features.Bind2Features.Contains(Namespaces.StreamManagement))
                {
                    context.Connection.Report("the server did not enable stream management; delivery will be confirmed with a ping");
                }
                return;
            }

            // Without Bind2 the server follows <success/> with the post-login features.
            context.Connection.SetStep(XmppStep.Binding, "waiting for the server's features after SASL2");
            XElement features = await context.ReadUntilAsync(e => e.Name == XName.Get("features", Namespaces.Streams),
                "the server sent no stream features after SASL2 success", cancellationToken, MaxElementsBeforeFeatures).ConfigureAwait(false);
            context.State = context.State with { Features = StreamFeatures.Parse(features) };
        }

        private void StoreIssuedToken(XElement success)
        {
            if (_options.FastTokens is not { } store || success.Element(XName.Get("token", Namespaces.Fast)) is not { } issued)
                return;
            string? secret = issued.Attribute("token")?.Value;
            string? mechanism = _tokenMechanism;
            // XEP-0484 §3.2: the token is an attribute value; one with control characters or spaces
            // (say '&#10;') is refused rather than stored, so it can never split a record or reach another login.
            if (!FastToken.IsValidSecret(secret) || mechanism is null
                || !DateTimeOffset.TryParse(issued.Attribute("expiry")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset expiry))
            {
                context.Connection.Report("ignoring a malformed FAST token from the server");
                return;
            }
            store.Save(_account.Bare, new FastToken(mechanism, secret, expiry));
            context.Connection.Report($"the server issued a FAST token ({mechanism}), valid until {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        }
    }
}
