namespace XSend.Fuzz;

/// <summary>
/// One fuzz target: a name (the corpus folder and the argument of scripts/fuzz.sh) and an entry
/// point that takes the input's bytes. The entry point returns what it reached, or throws; the
/// same entry point runs under afl-fuzz and in the corpus regression tests.
/// </summary>
/// <param name="Name">The target's name, e.g. <c>stream-reader</c>.</param>
/// <param name="Description">What the input is, for the usage text.</param>
/// <param name="Entry">Runs the target on one input and says what it reached.</param>
public sealed record FuzzTarget(string Name, string Description, Func<byte[], string> Entry)
{
    /// <summary>
    /// Runs the target on <paramref name="input"/> within <paramref name="bound"/> (default
    /// <see cref="FuzzContract.TimeBound"/>).
    /// A typed rejection is returned as the outcome; anything else, including a timeout, is thrown
    /// as a <see cref="FuzzCrashException"/>: under afl-fuzz that escapes and is reported as a crash.
    /// </summary>
    public FuzzOutcome Execute(byte[] input, TimeSpan? bound = null)
    {
        TimeSpan limit = bound ?? FuzzContract.TimeBound;
        Task<string> run = Task.Run(() => Entry(input));
        try
        {
            if (!run.Wait(limit))
                throw new FuzzCrashException($"{Name}: still running after {limit.TotalSeconds:0.###} s (a hang)");
            return new FuzzOutcome(null, run.Result);
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count == 1)
        {
            Exception failure = aggregate.InnerException!;
            if (FuzzContract.IsTyped(failure))
                return new FuzzOutcome(failure, failure.GetType().Name);
            throw new FuzzCrashException($"{Name}: {failure.GetType().Name} escaped the typed exceptions: {failure.Message}", failure);
        }
    }
}
