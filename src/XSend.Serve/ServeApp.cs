using System.CommandLine;
using System.CommandLine.Invocation;
using XSend.Cli;
using XSend.Cli.Failures;

namespace XSend.Serve;

/// <summary>The entry point behind <c>Main</c> of xsend-serve: parses arguments and runs the bridge.</summary>
internal static class ServeApp
{
    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = new ServeCommand();
        root.Bind(stderr, environment);
        ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            stderr.WriteLine($"xsend: {message} (see 'xsend-serve --help')");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // SIGTERM is handled by the caller's token: in-flight webhooks finish or are queued, then the process exits 0.
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
