using System.Security.Cryptography;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// RFC 6120 §7: bind a fresh resource once logged in (unless Bind2 or a resumption gave the
/// session its address), then the legacy RFC 3921 session request when the server still wants it.
/// </summary>
internal sealed class BindStep() : NegotiationStep("bind", NegotiationPhase.Login)
{
    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) => context.State is { IsAuthenticated: true, BoundJid: null };

    /// <inheritdoc/>
    public override async Task RunAsync(NegotiationContext context, CancellationToken cancellationToken)
    {
        StreamFeatures features = context.State.Features!;
        if (!features.Bind)
            throw new XmppProtocolException("the server does not offer resource binding");
        // A fresh resource per run: two concurrent runs never evict each other (RFC 6120 §7.7.2.2).
        string resource = $"{context.Options.ResourcePrefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        context.Connection.SetStep(XmppStep.Binding, $"binding resource {resource}");
        string id = XmppClient.NewId();
        await context.Connection.WriteAsync(ClientXml.Bind(id, resource), cancellationToken).ConfigureAwait(false);
        // Round-trip diet: the server handles a stream in order, so <enable/> can follow the bind
        // request at once (XEP-0198 §3 only requires it after binding), unless the legacy session
        // request must come between them.
        if (features.StreamManagement && !features.SessionRequired)
        {
            await context.Connection.WriteAsync(StreamManagementStep.EnableRequest(context), cancellationToken).ConfigureAwait(false);
            context.EnableRequestSent = true;
        }
        XElement result = await context.ReadIqResultAsync(id, cancellationToken).ConfigureAwait(false);
        string? jidText = result.Element(XName.Get("bind", Namespaces.Bind))?.Element(XName.Get("jid", Namespaces.Bind))?.Value;
        if (!Jid.TryParse(jidText, out Jid? bound, out _))
            throw new XmppProtocolException($"the server bound an invalid JID '{jidText}'");
        context.State = context.State with { BoundJid = bound };
        context.Connection.Report($"bound as {bound}");

        // RFC 3921 §3: the session request, which RFC 6121 dropped; sent only when not marked optional.
        if (features.SessionRequired)
        {
            string sessionId = XmppClient.NewId();
            await context.QueryAsync(sessionId, ClientXml.Session(sessionId), cancellationToken).ConfigureAwait(false);
        }
    }
}
