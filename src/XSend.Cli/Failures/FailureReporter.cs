namespace XSend.Cli.Failures;

/// <summary>Prints a failure as one line on stderr (plus the stack trace with --verbose) and returns its exit code.</summary>
internal static class FailureReporter
{
    public static int Report(Exception exception, TextWriter stderr, bool verbose)
    {
        (int code, string message) = FailureClassifier.Classify(exception);
        stderr.WriteLine($"xsend: {message}");
        if (verbose)
            stderr.WriteLine(exception.ToString());
        return code;
    }
}
