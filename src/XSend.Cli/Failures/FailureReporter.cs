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
    /// <summary>
    /// The one catch-all of every command: runs <paramref name="work"/> and returns its exit code,
    /// or, when it throws, prints the failure and returns the failure's code.
    /// </summary>
    /// <param name="stderr">Where the one line (and, with <paramref name="verbose"/>, the stack trace) goes.</param>
    /// <param name="verbose">-v: print the stack trace too.</param>
    /// <param name="work">The command's action.</param>
    /// <param name="failed">Also told the code and the message of a failure (check --json answers it on stdout).</param>
    public static async Task<int> RunAsync(TextWriter stderr, bool verbose, Func<Task<int>> work, Action<int, string>? failed = null)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Report(ex, stderr, verbose, failed);
        }
    }

    private static int Report(Exception exception, TextWriter stderr, bool verbose, Action<int, string>? failed)
    {
        (int code, string message) = FailureClassifier.Classify(exception);
        Print(stderr, message);
        if (verbose)
            PrintTrace(stderr, exception);
        failed?.Invoke(code, message);
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
