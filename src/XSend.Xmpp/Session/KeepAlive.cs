namespace XSend.Xmpp.Session;

/// <summary>
/// How an idle session checks that its connection lives: after <paramref name="Interval"/> with
/// nothing received it sends a probe, and declares the connection dead when nothing at all
/// arrives within <paramref name="Timeout"/> after it. A dead connection is therefore found
/// within <paramref name="Interval"/> + <paramref name="Timeout"/> of the last element received.
/// </summary>
/// <param name="Interval">Idle time before a probe.</param>
/// <param name="Timeout">How long the probe may go unanswered.</param>
internal sealed record KeepAlive(TimeSpan Interval, TimeSpan Timeout);
