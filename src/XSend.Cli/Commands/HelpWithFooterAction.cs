using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace XSend.Cli.Commands;

/// <summary>
/// The standard help with the usage line in xsend's grammar (options first, a subcommand only
/// as the first word), followed by examples and the exit codes.
/// </summary>
internal sealed class HelpWithFooterAction(HelpAction inner, string footer) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        var help = new StringWriter();
        parseResult.InvocationConfiguration.Output = help;
        int result;
        try
        {
            result = inner.Invoke(parseResult);
        }
        finally
        {
            parseResult.InvocationConfiguration.Output = output;
        }
        output.Write(FixUsage(help.ToString(), parseResult.CommandResult.Command));
        output.Write(footer);
        return result;
    }

    /// <summary>"xsend [&lt;jid&gt; [&lt;text&gt;...]] [command] [options]" becomes "xsend [options] &lt;jid&gt; [&lt;text&gt;...]" and "xsend &lt;command&gt; [options]".</summary>
    internal static string FixUsage(string help, Command command)
    {
        string[] lines = help.Split('\n');
        int usage = Array.IndexOf(lines, "Usage:");
        if (usage < 0 || usage + 1 >= lines.Length || !lines[usage + 1].EndsWith(" [options]", StringComparison.Ordinal))
            return help;
        string line = lines[usage + 1][..^" [options]".Length];
        var path = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            path.Insert(0, c.Name);
        string prefix = "  " + string.Join(' ', path.Skip(1).Prepend(line.TrimStart().Split(' ')[0]));
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
            return help;
        string operands = line[prefix.Length..];
        bool subcommands = operands.EndsWith(" [command]", StringComparison.Ordinal);
        if (subcommands)
            operands = operands[..^" [command]".Length];
        lines[usage + 1] = operands.Length > 0 || !subcommands ? $"{prefix} [options]{operands}" : "";
        if (subcommands)
            lines[usage + 1] += (lines[usage + 1].Length > 0 ? "\n" : "") + $"{prefix} <command> [options]";
        return string.Join('\n', lines);
    }
}
