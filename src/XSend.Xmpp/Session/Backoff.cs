namespace XSend.Xmpp.Session;

/// <summary>
/// Exponential backoff with jitter, for every retry of the core (the single-shot sender and the
/// long-lived session): each wait is the current step ±50 %, and the step doubles up to a cap,
/// so many clients cut off at once do not all come back at the same instant.
/// </summary>
/// <param name="first">The first step.</param>
/// <param name="max">The largest step.</param>
internal sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private TimeSpan _step = first;

    /// <summary>The next wait, jittered; the step then doubles (up to the cap).</summary>
    public TimeSpan Next()
    {
        TimeSpan wait = TimeSpan.FromTicks((long)(_step.Ticks * (0.5 + Random.Shared.NextDouble())));
        _step = TimeSpan.FromTicks(Math.Min(_step.Ticks * 2, max.Ticks));
        return wait;
    }
}
