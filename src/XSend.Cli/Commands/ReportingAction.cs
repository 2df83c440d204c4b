using System.CommandLine;
using XSend.Cli.Failures;

namespace XSend.Cli.Commands;

/// <summary>How every command binds its action: behind the one catch-all, <see cref="FailureReporter.RunAsync"/>.</summary>
internal static class ReportingAction
{
    /// <summary>
    /// Sets <paramref name="command"/>'s action to <paramref name="action"/>; whatever it throws
    /// becomes one line on the console's stderr (a stack trace too with -v) and the failure's exit code.
    /// </summary>
    /// <param name="command">The command whose action this is.</param>
    /// <param name="connection">The shared options (for -v).</param>
    /// <param name="console">Where the failure line goes.</param>
    /// <param name="action">The work: returns the exit code, throws on failure.</param>
    /// <param name="failed">Also told the code and message of a failure (check --json answers it on stdout).</param>
    public static void SetReportingAction(this Command command, ConnectionOptions connection, CliConsole console,
        Func<ParseResult, CancellationToken, Task<int>> action, Action<ParseResult, int, string>? failed = null)
    {
        command.SetAction((result, token) => FailureReporter.RunAsync(console.Error, result.GetValue(connection.Verbose),
            () => action(result, token),
            failed is null ? null : (code, message) => failed(result, code, message)));
    }
}
