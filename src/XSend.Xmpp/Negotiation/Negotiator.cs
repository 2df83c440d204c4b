namespace XSend.Xmpp.Negotiation;

/// <summary>
/// THE order of stream negotiation (RFC 6120 §4.3.2 ff.). Read it top to bottom: each step
/// runs when it applies to what the earlier ones established.
/// </summary>
internal static class Negotiator
{
    /// <summary>The steps, in the order they are tried.</summary>
    public static IReadOnlyList<NegotiationStep> Steps { get; } =
    [
        new StartTlsStep(),          // RFC 6120 §5: TLS first (or refuse a stream without it)
        new Sasl2Step(),             // XEP-0388 SASL2, with Bind2 (XEP-0386) and FAST (XEP-0484), when offered
        new SaslStep(),              // RFC 6120 §6: SASL, then the stream restart
        new StreamResumptionStep(),  // XEP-0198 §5: resume the previous session instead of binding
        new BindStep(),              // RFC 6120 §7: resource binding, with the legacy RFC 3921 session
        new StreamManagementStep(),  // XEP-0198 §3: enable acks (and resumption) on the new session
    ];

    /// <summary>Runs the steps of <paramref name="phase"/> that apply, in order.</summary>
    public static async Task RunAsync(NegotiationContext context, NegotiationPhase phase, CancellationToken cancellationToken)
    {
        foreach (NegotiationStep step in Steps)
        {
            if (step.Phase != phase || !step.Applies(context))
                continue;
            context.StepsRun.Add(step.Name);
            await step.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }
}
