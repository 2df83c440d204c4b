using System.CommandLine;
using System.CommandLine.Invocation;
using XSend.Cli.Commands;
using XSend.Cli.Failures;

namespace XSend.Cli;

/// <summary>The entry point behind <c>Main</c>: parses arguments and dispatches, writing only to the given writers.</summary>
internal static class XSendApp
{
    public static async Task<int> RunAsync(
        string[] args, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        if (args is [Compat.SendxmppCompat.Subcommand, ..])
            return await Compat.SendxmppCompat.RunAsync(args[1..], stdin, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
        RootCommand root = XSendCommandLine.Build(new CliConsole(stdin, stdout, stderr, environment));

        // No @response-file expansion: an argument starting with '@' is data, not a file to read.
        (string[] arguments, Command? subcommand) = XSendCommandLine.NormalizeArguments(root, args);
        if (subcommand is not null)
        {
            // The send's <jid> and <text> are no part of a subcommand: keep them out of its parse and its help.
            root.Arguments.Clear();
        }
        ParseResult parsed = root.Parse(arguments, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            // One line, not the whole help page: cron mails stay short.
            string message = string.Join(' ', parsed.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            stderr.WriteLine($"xsend: {message} (see 'xsend --help')");
            // check --json answers every failure with its JSON object, a usage error too.
            if (subcommand?.Name == CheckCommand.Name && arguments.Contains("--json", StringComparer.Ordinal))
                CheckCommand.WriteFailure(stdout, ExitCodes.Usage, $"{message} (see 'xsend --help')");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = environment.HandleSignals ? TimeSpan.FromSeconds(2) : null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
