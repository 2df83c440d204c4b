using XSend.Xmpp.Protocol;

namespace XSend.Cli.Failures;

/// <summary>
/// Prints failures: one line on stderr (plus the stack trace with --verbose), with whatever a
/// server put in the message (its error text, a certificate's names, a parser's quote of a bad
/// character) escaped by <see cref="PrintableText"/>, so it can neither forge a second
/// <c>xsend: …</c> line nor send escape sequences to the terminal.
/// </summary>
internal static class FailureReporter
{
    /// <summary>Prints the failure and returns its exit code.</summary>
    public static int Report(Exception exception, TextWriter stderr, bool verbose)
    {
        (int code, string message) = FailureClassifier.Classify(exception);
        Print(stderr, message);
        if (verbose)
            PrintTrace(stderr, exception);
        return code;
    }

    /// <summary>Prints <c>xsend: </c> and <paramref name="message"/>, made safe, as one line.</summary>
    public static void Print(TextWriter stderr, string message) => stderr.WriteLine($"xsend: {PrintableText.Sanitize(message)}");

    /// <summary>Prints an exception with its stack trace (--verbose), each line made safe.</summary>
    public static void PrintTrace(TextWriter stderr, Exception exception)
    {
        foreach (string line in exception.ToString().Split('\n'))
            stderr.WriteLine(PrintableText.Sanitize(line.TrimEnd('\r')));
    }
}
