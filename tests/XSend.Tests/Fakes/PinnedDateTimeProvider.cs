namespace XSend.Tests.Fakes;

/// <summary>
/// A clock that starts at a chosen instant and then runs in real time: timers and deadlines
/// behave as in production (real sockets need real time), while dates no longer depend on the
/// day the tests run.
/// </summary>
internal sealed class PinnedDateTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = TimeProvider.System.GetTimestamp();

    /// <summary>A fixed instant that tests use as "now".</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => start + TimeProvider.System.GetElapsedTime(_origin);
}
