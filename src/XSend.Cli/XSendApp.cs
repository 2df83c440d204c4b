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
        var commandLine = new XSendCommandLine();
        RootCommand root = commandLine.Build();
        root.SetAction((result, token) =>
        {
            SendRequest request = commandLine.ToSendRequest(result);
            // "xsend -v check" sends to a host named "check"; surely a subcommand put second.
            if (request.Recipients.FirstOrDefault(r => root.Subcommands.Any(c => c.Name == r)) is { } name)
            {
                stderr.WriteLine($"xsend: '{name}' is a subcommand, recognised only as the first argument: xsend {name} [options]");
                return Task.FromResult(ExitCodes.Usage);
            }
            return SendAction.RunAsync(request, stdin, stdout, stderr, environment, token);
        });
        commandLine.Listen.SetAction((result, token) =>
            ListenAction.RunAsync(commandLine.ToListenRequest(result), stdout, stderr, environment, token));
        commandLine.ContactAdd.SetAction((result, token) => ContactAction.AddAsync(
            result.GetValue(commandLine.ContactJids) ?? [], commandLine.Connection.ToRequest(result), stdout, stderr, environment, token));
        commandLine.ContactList.SetAction((result, token) => ContactAction.ListAsync(
            result.GetValue(commandLine.ContactListJson), commandLine.Connection.ToRequest(result), stdout, stderr, environment, token));
        commandLine.Check.SetAction((result, token) => CheckAction.RunAsync(
            result.GetValue(commandLine.CheckJson), commandLine.Connection.ToRequest(result), stdout, stderr, environment, token));
        commandLine.Man.SetAction(_ =>
        {
            // The page documents the whole tree, also the send's arguments that a subcommand's parse leaves out.
            stdout.Write(ManPage.Render(new XSendCommandLine().Build()));
            return ExitCodes.Ok;
        });
        commandLine.OutboxList.SetAction(result => OutboxAction.List(commandLine.Connection.ToRequest(result), stdout, stderr, environment));
        commandLine.OutboxPurge.SetAction(result => OutboxAction.Purge(commandLine.Connection.ToRequest(result), stdout, stderr, environment));
        commandLine.OutboxFlush.SetAction((result, token) =>
            OutboxAction.FlushAsync(commandLine.Connection.ToRequest(result), stdout, stderr, environment, token));

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
            if (subcommand == commandLine.Check && arguments.Contains("--json", StringComparer.Ordinal))
            {
                stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                    new Output.CheckFailure(false, ExitCodes.Usage, $"{message} (see 'xsend --help')"), Output.CliJsonContext.Default.CheckFailure));
            }
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
