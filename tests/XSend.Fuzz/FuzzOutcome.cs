namespace XSend.Fuzz;

/// <summary>How a target ended on one input that kept the contract.</summary>
/// <param name="Rejection">The typed exception the input was rejected with, or <see langword="null"/> when it ran to the end.</param>
/// <param name="Detail">What the target reached (for the regression tests and the replay output).</param>
public sealed record FuzzOutcome(Exception? Rejection, string Detail)
{
    /// <summary>Whether the target ran to the end without a rejection.</summary>
    public bool Completed => Rejection is null;

    /// <inheritdoc/>
    public override string ToString() =>
        Rejection is null ? $"completed: {Detail}" : $"rejected with {Rejection.GetType().Name}: {Rejection.Message} ({Detail})";
}
