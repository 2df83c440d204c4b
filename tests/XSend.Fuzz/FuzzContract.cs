using XSend.Cli.Failures;
using XSend.Xmpp.Errors;

namespace XSend.Fuzz;

/// <summary>
/// What a fuzz target may do with any input: return, or fail with one of the project's typed
/// exceptions. Anything else (ArgumentOutOfRangeException, NullReferenceException, an
/// OutOfMemoryException, running past the time bound) is a crash.
/// </summary>
public static class FuzzContract
{
    /// <summary>How long one input may run in-process before it counts as a hang.</summary>
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="exception"/> is an allowed way for a target to reject its input.</summary>
    public static bool IsTyped(Exception exception) => exception is XmppException or CliException;
}
