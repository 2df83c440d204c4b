using System.Xml.Linq;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Sasl;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// What the SASL and SASL2 steps share: the offer and the selection (the ranking itself stays in
/// <see cref="SaslMechanismRanking"/>), the one challenge-response loop, and recording the login.
/// </summary>
internal static class SaslExchange
{
    /// <summary>How many challenges a login may take.</summary>
    public const int MaxRounds = 10;

    /// <summary>
    /// Enters the authentication step for the mechanisms the server offers (SASL2's when
    /// <paramref name="sasl2"/>) and describes the connection for the ranking.
    /// </summary>
    public static SaslSelectionContext Begin(NegotiationContext context, bool sasl2)
    {
        StreamFeatures features = context.State.Features!;
        IReadOnlyList<string> offered = sasl2 ? features.Sasl2Mechanisms! : features.Mechanisms;
        context.Connection.SetStep(XmppStep.Authenticating,
            $"authenticating{(sasl2 ? " with SASL2" : "")}; the server offers {string.Join(", ", offered)}");
        if (offered.Count == 0)
            throw new XmppProtocolException("the server offers no SASL mechanisms");
        context.State = context.State with { OfferedMechanisms = offered, UsedSasl2 = sasl2 };
        return new SaslSelectionContext
        {
            Advertisement = new SaslAdvertisement(offered, features.ChannelBindingTypes),
            IsTlsProtected = context.State.Tls is not null,
            IsServerAuthenticated = context.State.Tls?.IsServerAuthenticated ?? false,
            TlsProtocol = context.State.Tls?.Protocol ?? System.Security.Authentication.SslProtocols.None,
            ChannelBindings = context.State.ChannelBindings,
            RequireChannelBinding = context.Options.RequireChannelBinding,
            MinimumMechanism = context.Options.MinimumMechanism,
            MinimumMechanismReason = context.Options.MinimumMechanismReason,
        };
    }

    /// <summary>The password mechanism to log in with: the ranking's choice (or the test seam's).</summary>
    public static SaslMechanism Select(NegotiationContext context, SaslSelectionContext selection)
    {
        var select = context.Options.MechanismSelector ?? SaslMechanismRanking.Select;
        return select(selection, context.Account.Local!, context.Password!);
    }

    /// <summary>Records the mechanism that authenticated the session.</summary>
    public static void Complete(NegotiationContext context, SaslMechanism mechanism)
    {
        string? binding = (mechanism as ScramMechanism)?.ChannelBindingType;
        context.State = context.State with { Mechanism = mechanism.Name, ChannelBindingType = binding };
        context.Connection.Report($"authenticated as {context.Account} with {mechanism.Name}{(binding is null ? "" : $" bound to {binding}")}");
    }

    /// <summary>
    /// Sends the request <paramref name="request"/> builds from the initial response, answers
    /// challenges, and returns the &lt;success/&gt; element once the mechanism accepted its data.
    /// </summary>
    /// <exception cref="XmppAuthenticationException">The server refused, or could not prove itself.</exception>
    public static async Task<XElement> RunAsync(NegotiationContext context, SaslMechanism mechanism, Func<string, string> request,
        SaslProfile profile, CancellationToken cancellationToken)
    {
        XmppConnection connection = context.Connection;
        await connection.WriteAsync(request(Convert.ToBase64String(mechanism.GetInitialResponse())), cancellationToken).ConfigureAwait(false);

        for (int round = 0; round < MaxRounds; round++)
        {
            XElement reply = await connection.ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Name.Namespace != profile.Namespace)
                throw new XmppProtocolException($"expected a {profile.Label} reply, got <{reply.Name.LocalName}>");
            switch (reply.Name.LocalName)
            {
                case "challenge":
                    byte[] data = await EvaluateOrAbortAsync(connection, mechanism, Decode(reply), profile.Abort, cancellationToken).ConfigureAwait(false);
                    await connection.WriteAsync(profile.Response(Convert.ToBase64String(data)), cancellationToken).ConfigureAwait(false);
                    continue;
                case "success":
                    // RFC 6120 §6.3.10 / XEP-0388 §2.6.1: success may carry the mechanism's final data (SCRAM's server signature).
                    mechanism.VerifySuccess(Decode(profile.SuccessDataIsChild ? reply.Element(XName.Get("additional-data", profile.Namespace)) : reply));
                    return reply;
                case "failure":
                    throw ErrorParser.SaslFailure(reply);
                case "continue" when profile.MayContinue:
                    // XEP-0388 §2.6.3: further tasks (second factors, password changes) need a person.
                    string tasks = string.Join(", ", reply.Descendants(XName.Get("task", profile.Namespace)).Select(t => PrintableText.Sanitize(t.Value.Trim())));
                    await connection.WriteAsync(profile.Abort, cancellationToken).ConfigureAwait(false);
                    throw new XmppAuthenticationException("unsupported-task", null,
                        $"the server wants a further login step ({(tasks.Length == 0 ? "unnamed" : tasks)}), which a non-interactive sender cannot do");
                default:
                    throw new XmppProtocolException($"unexpected {profile.Label} element <{reply.Name.LocalName}>");
            }
        }
        throw new XmppProtocolException($"the {profile.Label} exchange did not finish within {MaxRounds} rounds");
    }

    private static async Task<byte[]> EvaluateOrAbortAsync(XmppConnection connection, SaslMechanism mechanism, byte[] challenge, string abort,
        CancellationToken cancellationToken)
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
                await connection.WriteAsync(abort, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppException)
            {
            }
            throw;
        }
    }

    private static byte[] Decode(XElement? element)
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
}
