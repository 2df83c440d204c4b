using XSend.Xmpp.Protocol;
using XSend.Xmpp.Sasl;

namespace XSend.Xmpp.Negotiation;

/// <summary>RFC 6120 §6: the SASL login with the strongest mechanism both sides support, then the stream restart.</summary>
internal sealed class SaslStep() : NegotiationStep("sasl", NegotiationPhase.Login)
{
    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) => !context.State.IsAuthenticated;

    /// <inheritdoc/>
    public override async Task RunAsync(NegotiationContext context, CancellationToken cancellationToken)
    {
        SaslSelectionContext selection = SaslExchange.Begin(context, sasl2: false);
        SaslMechanism mechanism = SaslExchange.Select(context, selection);
        await SaslExchange.RunAsync(context, mechanism, initial => ClientXml.Auth(mechanism.Name, initial), SaslProfile.Sasl, cancellationToken)
            .ConfigureAwait(false);
        SaslExchange.Complete(context, mechanism);
        // RFC 6120 §6.4.6: after success the client opens a fresh stream.
        await context.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
    }
}
