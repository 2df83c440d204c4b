using System.Globalization;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// XEP-0198 §5: after a SASL login (not SASL2, where Bind2 sets the session up), resume the
/// previous session with &lt;resume previd h/&gt; instead of binding a new one. The server's h
/// says what it handled of what was sent; the session resends the rest. On &lt;failed/&gt; the
/// bind step runs instead, and the h it may carry still says what the old session delivered.
/// </summary>
internal sealed class StreamResumptionStep() : NegotiationStep("resume", NegotiationPhase.Login)
{
    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) =>
        context.Resume is not null && context.State is { IsAuthenticated: true, UsedSasl2: false, BoundJid: null, Features.StreamManagement: true };

    /// <inheritdoc/>
    public override async Task RunAsync(NegotiationContext context, CancellationToken cancellationToken)
    {
        StreamResumption resume = context.Resume!;
        context.Connection.SetStep(XmppStep.EnablingStreamManagement, $"resuming the previous session (we handled {resume.Inbound} of its stanzas)");
        await context.Connection.WriteAsync(ClientXml.Resume(resume.Id, resume.Inbound), cancellationToken).ConfigureAwait(false);
        XElement reply = await context.ReadUntilAsync(
            e => e.Name == XName.Get("resumed", Namespaces.StreamManagement) || e.Name == XName.Get("failed", Namespaces.StreamManagement),
            "no answer to the stream resumption request", cancellationToken).ConfigureAwait(false);

        if (reply.Name.LocalName == "resumed")
        {
            uint h = ResumptionCount(reply, resume, required: true)!.Value;
            // XEP-0198 §5: a resumed session keeps its resource and its resumability.
            context.State = context.State with
            {
                BoundJid = resume.BoundJid,
                StreamManagement = new StreamManagementOutcome(true, resume.Id, resume.Location, resume, Resumed: true, ServerHandled: h),
            };
            int resend = resume.Unacked.Count(u => u.Sequence > h);
            context.Connection.Report($"resumed the session: the server handled {h} of the {resume.Sent} stanzas sent; sending {resend} again");
            return;
        }

        // XEP-0198 §5: the server may still say how much of the old session it handled.
        uint? handled = ResumptionCount(reply, resume, required: false);
        context.State = context.State with
        {
            StreamManagement = context.State.StreamManagement with { Previous = resume, ServerHandled = handled },
        };
        string? condition = reply.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StanzaErrors)?.Name.LocalName;
        context.Connection.Report($"the server could not resume the session ({condition ?? "no reason given"}); binding a new one and resending what it did not confirm");
    }

    /// <summary>The h of &lt;resumed/&gt; or &lt;failed/&gt;, checked against what was sent and acked.</summary>
    private static uint? ResumptionCount(XElement reply, StreamResumption resume, bool required)
    {
        string? text = reply.Attribute("h")?.Value;
        if (text is null && !required)
            return null;
        if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint h))
            throw new XmppProtocolException($"the server answered the resumption without a valid 'h' ('{text}')");
        // XEP-0198 §4: h counts what the server handled: never more than we sent, never less than it acked.
        if (h > resume.Sent)
            throw new XmppProtocolException($"the server claims to have handled {h} stanzas of the previous session but only {resume.Sent} were sent");
        if (h < resume.Acked)
            throw new XmppProtocolException($"the server claims to have handled {h} stanzas of the previous session after acknowledging {resume.Acked}");
        return h;
    }
}
