using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace XSend.Cli.Commands;

/// <summary>
/// The command line: the tree of commands, one class each (<see cref="SendCommand"/> is the
/// root; <see cref="ListenCommand"/>, <see cref="ContactCommand"/>, <see cref="CheckCommand"/>,
/// <see cref="ManCommand"/>, <see cref="OutboxCommand"/>) over the shared <see cref="ConnectionOptions"/>,
/// and xsend's grammar (<see cref="NormalizeArguments"/>).
/// </summary>
internal static class XSendCommandLine
{
    /// <summary>Builds the whole tree, its actions writing to <paramref name="console"/>.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var connection = new ConnectionOptions();
        RootCommand root = new SendCommand(connection).Build(console);
        root.Subcommands.Add(new ListenCommand().Build(connection, console));
        root.Subcommands.Add(new ContactCommand().Build(connection, console));
        root.Subcommands.Add(new CheckCommand().Build(connection, console));
        root.Subcommands.Add(ManCommand.Build(console, () => Build(console)));
        root.Subcommands.Add(OutboxCommand.Build(connection, console));

        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction defaultHelp)
                help.Action = new HelpWithFooterAction(defaultHelp, HelpFooter.Text);
            else if (option is VersionOption version)
                version.Action = new PrintVersionAction();
        }
        return root;
    }

    private const double DefaultReceiptSeconds = 30;

    /// <summary>
    /// Applies xsend's grammar before System.CommandLine sees the words, which would otherwise
    /// find options and subcommands anywhere, also inside the message text:
    /// <list type="bullet">
    /// <item>a subcommand is recognised only as the first argument (and its own subcommand right after it);</item>
    /// <item>options end at the first operand (POSIX: options before operands), so every later word is an
    /// operand: <c>xsend bob@x load is -v high</c> sends "load is -v high"; a <c>--</c> right after the first
    /// operand is dropped, as it was always the way to send text starting with a dash;</item>
    /// <item>a bare <c>--wait-receipt</c> not followed by a number becomes <c>--wait-receipt=30</c>, so the next
    /// word stays the recipient (an option cannot give a token back in System.CommandLine).</item>
    /// </list>
    /// </summary>
    /// <returns>The arguments to parse, and the subcommand named by the first argument, if any.</returns>
    public static (string[] Arguments, Command? Subcommand) NormalizeArguments(Command root, string[] args)
    {
        var normalized = new List<string>(args.Length + 1);
        Command command = root;
        var options = new List<Option>(root.Options);
        int i = 0;
        // Directives ([suggest] for shell completion) come before everything, as System.CommandLine expects them.
        while (i < args.Length && root is RootCommand { } withDirectives && args[i] is ['[', .., ']']
            && withDirectives.Directives.Any(d => args[i][1..^1].Split(':')[0] == d.Name))
        {
            normalized.Add(args[i++]);
        }
        while (i < args.Length && command.Subcommands.FirstOrDefault(c => c.Name == args[i] || c.Aliases.Contains(args[i])) is { } subcommand)
        {
            normalized.Add(args[i++]);
            command = subcommand;
            options.AddRange(subcommand.Options);
        }

        for (; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                normalized.Add(arg);
                AddOperands(normalized, args, i + 1);
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                // The first operand: from here on, every word is an operand.
                normalized.Add("--");
                AddOperands(normalized, args, i);
                break;
            }

            int attached = arg.IndexOfAny(['=', ':']);
            string name = attached > 0 ? arg[..attached] : arg;
            Option? option = options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
            bool valueFollows = i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (arg == "--wait-receipt" && !valueFollows)
            {
                normalized.Add($"--wait-receipt={DefaultReceiptSeconds.ToString(CultureInfo.InvariantCulture)}");
                continue;
            }
            // An option that needs a value takes the next word, whatever it looks like ("-m -5"):
            // attached with '=', so the parser cannot mistake it for an option.
            normalized.Add(option is not null && attached < 0 && option.Arity.MinimumNumberOfValues > 0 && i + 1 < args.Length
                ? $"{arg}={args[++i]}"
                : arg);
        }
        return ([.. normalized], command == root ? null : command);
    }

    private static void AddOperands(List<string> normalized, string[] args, int first)
    {
        for (int i = first; i < args.Length; i++)
        {
            if (!(i == first + 1 && args[i] == "--"))
                normalized.Add(args[i]);
        }
    }
}
