using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// XEP-0198 §3: enable stream management on a newly bound session (Bind2 enables it inline,
/// and a resumed session already has it), asking for resumability when the caller wants it.
/// A refusal is not fatal: delivery is then confirmed with a ping.
/// </summary>
internal sealed class StreamManagementStep() : NegotiationStep("sm-enable", NegotiationPhase.Login)
{
    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) =>
        context.State is { BoundJid: not null, UsedBind2: false, StreamManagement.Enabled: false, Features.StreamManagement: true };

    /// <summary>
    /// The &lt;enable/&gt; to send. The sender asks for a resumable session, to resume after a drop
    /// (§5); a session that sends presence (listen) does not, or a killed one would stay
    /// "available" on the server, taking its messages, until the server gives up on it.
    /// </summary>
    public static string EnableRequest(NegotiationContext context) =>
        context.RequestResumption ? ClientXml.EnableResumableStreamManagement : ClientXml.EnableStreamManagement;

    /// <inheritdoc/>
    public override async Task RunAsync(NegotiationContext context, CancellationToken cancellationToken)
    {
        context.Connection.SetStep(XmppStep.EnablingStreamManagement, "enabling stream management");
        if (!context.EnableRequestSent)
            await context.Connection.WriteAsync(EnableRequest(context), cancellationToken).ConfigureAwait(false);
        XElement reply = await context.ReadUntilAsync(
            e => e.Name == XName.Get("enabled", Namespaces.StreamManagement) || e.Name == XName.Get("failed", Namespaces.StreamManagement),
            "no answer to the stream management request", cancellationToken).ConfigureAwait(false);
        if (reply.Name.LocalName == "failed")
        {
            context.Connection.Report("the server refused stream management; delivery will be confirmed with a ping");
            return;
        }

        // XEP-0198 §5: a resumable session has an id, and maybe a preferred reconnection address.
        string? resume = reply.Attribute("resume")?.Value;
        string? id = reply.Attribute("id")?.Value;
        bool resumable = resume is "true" or "1" && !string.IsNullOrEmpty(id);
        ServerEndpoint? location = resumable && ServerEndpoint.TryParse(reply.Attribute("location")?.Value, out ServerEndpoint? parsed, out _)
            ? parsed with { DirectTls = context.DirectTls }
            : null;
        context.State = context.State with
        {
            StreamManagement = context.State.StreamManagement with
            {
                Enabled = true,
                ResumeId = resumable ? id : null,
                ResumeLocation = location,
            },
        };
        context.Connection.Report("stream management enabled; the server will acknowledge what it takes"
            + (resumable ? " and lets the session resume after a drop" : ""));
    }
}
