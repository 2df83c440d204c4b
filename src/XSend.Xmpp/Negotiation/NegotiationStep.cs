namespace XSend.Xmpp.Negotiation;

/// <summary>
/// One step of stream negotiation. The <see cref="Negotiator"/> asks each in turn whether it
/// applies to the state reached so far, and runs it if so; a step reads and writes through
/// <see cref="NegotiationContext"/> and records what it established in its <see cref="NegotiationContext.State"/>.
/// </summary>
/// <param name="name">A short name for traces and tests ("starttls", "sasl2", ...).</param>
/// <param name="phase">The public call that runs this step.</param>
internal abstract class NegotiationStep(string name, NegotiationPhase phase)
{
    /// <summary>A short name for traces and tests ("starttls", "sasl2", ...).</summary>
    public string Name { get; } = name;

    /// <summary>The public call that runs this step.</summary>
    public NegotiationPhase Phase { get; } = phase;

    /// <summary>Whether the step runs, judged from <see cref="NegotiationContext.State"/> and the options.</summary>
    public abstract bool Applies(NegotiationContext context);

    /// <summary>Runs the step, updating <see cref="NegotiationContext.State"/>.</summary>
    public abstract Task RunAsync(NegotiationContext context, CancellationToken cancellationToken);
}
