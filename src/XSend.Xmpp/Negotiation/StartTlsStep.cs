using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Tls;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// RFC 6120 §5: upgrade the stream with STARTTLS, or refuse to go on without it when TLS is
/// required. Does not apply once the stream is protected (after it, or with direct TLS).
/// </summary>
internal sealed class StartTlsStep() : NegotiationStep("starttls", NegotiationPhase.Connect)
{
    /// <inheritdoc/>
    public override bool Applies(NegotiationContext context) => context.State.Tls is null;

    /// <inheritdoc/>
    public override async Task RunAsync(NegotiationContext context, CancellationToken cancellationToken)
    {
        if (!context.State.Features!.StartTls)
        {
            // RFC 6120 §5.3.1 / §13.9.2: a missing STARTTLS offer may be a stripping attack.
            if (context.Options.Tls == TlsRequirement.Required)
            {
                throw new XmppTlsException(TlsFailure.NotOffered,
                    "the server does not offer STARTTLS; refusing to continue unencrypted (a missing offer is what a downgrade attack looks like)");
            }
            context.Connection.Report("the server does not offer STARTTLS; continuing unencrypted as allowed");
            return;
        }

        context.Connection.SetStep(XmppStep.SecuringChannel, "starting TLS");
        await context.Connection.WriteAsync(ClientXml.StartTls, cancellationToken).ConfigureAwait(false);
        var reply = await context.Connection.ReadElementAsync(cancellationToken).ConfigureAwait(false);
        // RFC 6120 §5.4.2.2: <failure/> ends the stream; it came before TLS, so anyone could have sent it.
        if (reply.Name == System.Xml.Linq.XName.Get("failure", Namespaces.Tls))
            throw new XmppTlsException(TlsFailure.RefusedByServer, "the server refused STARTTLS (before TLS, so unverified; treated as temporary)");
        if (reply.Name != System.Xml.Linq.XName.Get("proceed", Namespaces.Tls))
            throw new XmppProtocolException($"expected <proceed/> after STARTTLS, got <{reply.Name.LocalName}>");

        context.State = context.State with
        {
            Tls = await context.Connection.SecureAsync(context.Account.Domain, directTls: false, cancellationToken).ConfigureAwait(false),
        };
        // RFC 6120 §5.4.3.3: after STARTTLS the client opens a fresh stream.
        await context.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
    }
}
