namespace XSend.Xmpp.Negotiation;

/// <summary>
/// One step of stream negotiation. The <see cref="Negotiator"/> asks each in turn whether it
/// applies to the state reached so far, and runs it if so; a step reads and writes through
/// <see cref="NegotiationContext"/> and records what it established in its <see cref="NegotiationContext.State"/>.
/// </summary>
internal abstract class NegotiationStep
{
    /// <summary>A short name for traces and tests ("starttls", "sasl2", ...).</summary>
    public abstract string Name { get; }

    /// <summary>The public call that runs this step.</summary>
    public abstract NegotiationPhase Phase { get; }

    /// <summary>Whether the step runs, judged from <see cref="NegotiationContext.State"/> and the options.</summary>
    public abstract bool Applies(NegotiationContext context);

    /// <summary>Runs the step, updating <see cref="NegotiationContext.State"/>.</summary>
    public abstract Task RunAsync(NegotiationContext context, CancellationToken cancellationToken);
}
